import { ConfigDocument, type ConfigNode } from '../src/engine/config-doc.js';
import type { Rule } from '../src/engine/rule.js';
import { pythonWorkerConfig, sections } from './lib/config-helpers.js';

/** Binding kinds with no local simulation in wrangler dev (Cloudflare "Supported bindings per development mode"). */
const REMOTE_ONLY: { key: string; shape: 'object' | 'array'; what: string }[] = [
  { key: 'ai', shape: 'object', what: 'Workers AI' },
  { key: 'vectorize', shape: 'array', what: 'Vectorize' },
];

export const rule: Rule = {
  meta: {
    code: 'PW013',
    name: 'remote-only-binding',
    gotcha: 13,
    severity: 'warning',
    languages: ['wrangler'],
    fixable: 'safe',
    docs: {
      summary: '`ai` and `vectorize` bindings without `"remote": true`: they have no local simulation',
      whatItDoes:
        'Reports each Workers AI (`ai`) and Vectorize (`vectorize`) binding of a Python Worker that lacks `remote: true`, in every shape the config allows: the JSON `ai` object and `vectorize` array, TOML `[ai]` and `[[vectorize]]` tables, inline tables, and the same bindings inside `env.<name>` sections. A binding with `remote: false` is reported too.',
      whyItBreaks:
        'Under `wrangler dev` (and `pywrangler dev`) bindings are simulated locally by default, but Workers AI and Vectorize have no local simulation: calls through the binding fail in local development until the binding is marked remote, which proxies it to the real service on Cloudflare.',
      whenItHolds:
        'Always, for local development with wrangler 4 (remote bindings are generally available since 2025-09-16). Deployed Workers are not affected: the key matters only to `wrangler dev`. Environments do not inherit bindings, so each `env.<name>` is checked on its own.',
      example: '# wrangler.toml\n[ai]\nbinding = "AI"\n\n[[vectorize]]\nbinding = "SEARCH_INDEX"\nindex_name = "docs-embeddings"',
      useInstead: '[ai]\nbinding = "AI"\nremote = true\n\n[[vectorize]]\nbinding = "SEARCH_INDEX"\nindex_name = "docs-embeddings"\nremote = true',
      fixSafety:
        'Safe: adds `remote = true` / `"remote": true` to the binding, keeping comments and layout; it changes only what `wrangler dev` connects to (calls made in local development then reach the real service and may be billed). Replacing an explicit `remote: false` is unsafe: someone chose it.',
      references: [
        { title: 'Cloudflare: supported bindings per development mode', url: 'https://developers.cloudflare.com/workers/local-development/bindings-per-env/' },
        { title: 'Cloudflare: remote bindings', url: 'https://developers.cloudflare.com/workers/local-development/#remote-bindings' },
        { title: 'Cloudflare changelog 2025-09-16: remote bindings GA', url: 'https://developers.cloudflare.com/changelog/2025-09-16-remote-bindings-ga/' },
      ],
    },
  },
  config(ctx) {
    const target = pythonWorkerConfig(ctx);
    if (!target) return;
    const { doc } = target;
    for (const section of sections(doc)) {
      for (const kind of REMOTE_ONLY) {
        const node = doc.get([...section.path, kind.key]);
        if (!node) continue;
        const bindings = kind.shape === 'object' ? (node.kind === 'object' ? [node] : []) : node.kind === 'array' ? node.children : [];
        for (const binding of bindings) {
          if (binding.kind !== 'object') continue;
          check(binding, kind.what, kind.key);
        }
      }
    }

    function check(binding: ConfigNode, what: string, key: string): void {
      const name = (binding.value as Record<string, unknown>).binding;
      const label = typeof name === 'string' ? `\`${key}\` binding \`${name}\`` : `\`${key}\` binding`;
      const remote = doc.get([...binding.path, 'remote']);
      if (remote?.value === true) return;
      if (remote) {
        ctx.report({
          start: remote.start,
          end: remote.end,
          message: `${label} sets \`remote\` to \`${doc.text.slice(remote.start, remote.end)}\`, but ${what} has no local simulation: its calls fail under \`wrangler dev\``,
          fix: { applicability: 'unsafe', description: 'Set `remote` to true', edits: doc.replaceValue(remote.path, true) },
        });
        return;
      }
      ctx.report({
        ...ConfigDocument.keyOrValue(binding),
        message: `${label} has no \`remote: true\`: ${what} has no local simulation, so its calls fail under \`wrangler dev\``,
        fix: { applicability: 'safe', description: 'Add `remote: true` to the binding', edits: doc.setProperty(binding.path, 'remote', true) },
      });
    }
  },
};
