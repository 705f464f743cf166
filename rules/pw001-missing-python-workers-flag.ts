import { ConfigDocument } from '../src/engine/config-doc.js';
import type { Rule } from '../src/engine/rule.js';

const FLAG = 'python_workers';

export const rule: Rule = {
  meta: {
    code: 'PW001',
    name: 'missing-python-workers-flag',
    gotcha: 1,
    severity: 'error',
    languages: ['wrangler'],
    fixable: 'safe',
    docs: {
      summary: 'A Worker whose `main` is a Python file lacks the `python_workers` compatibility flag',
      whatItDoes:
        'Reports a wrangler config (`wrangler.jsonc`, `wrangler.json`, `wrangler.toml`) whose `main` is a `.py` file and whose `compatibility_flags` do not include `python_workers`, at the top level or in an `env.<name>` section that sets its own flags.',
      whyItBreaks:
        'No compatibility date turns Python on: without the flag the runtime refuses the Worker ("Python Workers require the python_workers compatibility flag") and pywrangler will not run it.',
      whenItHolds: 'Always, for every compatibility date.',
      example: '// wrangler.jsonc\n{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01"\n}',
      useInstead: '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}',
      fixSafety: 'Safe: adds the flag to `compatibility_flags` (creating the list when absent) and keeps comments and formatting.',
      references: [
        { title: 'Cloudflare: Python Workers', url: 'https://developers.cloudflare.com/workers/languages/python/' },
        { title: 'Cloudflare: compatibility flags', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
      ],
    },
  },
  config(ctx) {
    const worker = ctx.worker;
    const doc = ctx.doc;
    if (!worker || !doc || !worker.main?.endsWith('.py') || worker.configPath !== ctx.path) return;
    const check = (prefix: (string | number)[], where: string) => {
      const flagsNode = doc.get([...prefix, 'compatibility_flags']);
      const flags = Array.isArray(flagsNode?.value) ? (flagsNode!.value as unknown[]) : [];
      if (flags.includes(FLAG)) return;
      if (prefix.length > 0 && !flagsNode) return; // inherits the top-level flags
      const anchor = flagsNode ?? doc.get([...prefix, 'main']) ?? doc.get(['main']);
      const range = anchor ? ConfigDocument.keyOrValue(anchor) : { start: 0, end: 0 };
      ctx.report({
        ...range,
        message: `\`main\` is a Python file but ${where} \`compatibility_flags\` lack \`${FLAG}\`: the Worker will not start`,
        fix: {
          applicability: 'safe',
          description: `Add \`${FLAG}\` to \`compatibility_flags\``,
          edits: doc.appendToArray([...prefix, 'compatibility_flags'], FLAG),
        },
      });
    };
    check([], 'the');
    const envs = doc.get(['env']);
    for (const env of envs?.kind === 'object' ? envs.children : []) {
      check(env.path, `\`env.${String(env.path[1])}\``);
    }
  },
};
