import { KNOWN_PYTHON_FLAGS } from '../src/engine/profile.js';
import type { Rule } from '../src/engine/rule.js';
import { correctionOf, flagLists, pythonWorkerConfig, unknownPythonFlag } from './lib/config-helpers.js';

export const rule: Rule = {
  meta: {
    code: 'PW023',
    name: 'unknown-python-flag',
    gotcha: 23,
    severity: 'warning',
    languages: ['wrangler'],
    fixable: 'safe',
    docs: {
      summary: 'A Python compatibility flag the runtime does not know, usually a misspelling (`python_worker`, `python_dedicated_snapshots`)',
      whatItDoes:
        'Checks every entry of `compatibility_flags` (top level and `env.<name>`) of a Python Worker that looks like a Python flag (it mentions python or pyodide, or is within two edits of a known Python flag) against the Python flags workerd defines (`KNOWN_PYTHON_FLAGS`, read from workerd\'s compatibility-date.capnp). ' +
        'An unknown one is reported at the string, with the nearest known flag when the correction is clear.',
      whyItBreaks:
        'A misspelt flag does not do what its author meant: `python_dedicated_snapshots` leaves the dedicated snapshot off, `python_worker` leaves Python off. Cloudflare also rejects compatibility flags it does not recognise when the Worker is uploaded, so the deploy fails.',
      whenItHolds:
        'Always. Dated runtime flags (`python_workers_YYYYMMDD`) that this tool does not know are reported without a fix: a newer runtime than the list may exist. If a genuine new flag is reported, extend `KNOWN_PYTHON_FLAGS` in src/engine/profile.ts.',
      example: '# wrangler.toml\ncompatibility_flags = ["python_workers", "python_dedicated_snapshots"]',
      useInstead: 'compatibility_flags = ["python_workers", "python_dedicated_snapshot"]',
      fixSafety:
        'Safe when exactly one known flag is nearest and the distance is small (at most a fifth of its length, three edits at most): the string is replaced by it, or removed when the list already has it. No fix otherwise.',
      references: [
        { title: 'Cloudflare: compatibility flags', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
        { title: 'workerd: compatibility-date.capnp', url: 'https://github.com/cloudflare/workerd/blob/main/src/workerd/io/compatibility-date.capnp' },
      ],
    },
  },
  config(ctx) {
    const target = pythonWorkerConfig(ctx);
    if (!target) return;
    const { doc } = target;
    for (const list of flagLists(doc)) {
      if (!list.node || list.node.kind !== 'array') continue;
      for (const [i, item] of list.node.children.entries()) {
        if (item.kind !== 'string') continue;
        const flag = item.value as string;
        const unknown = unknownPythonFlag(flag);
        if (!unknown) continue;
        const correction = correctionOf(flag);
        if (correction) {
          const duplicate = list.flags.includes(correction);
          ctx.report({
            start: item.start,
            end: item.end,
            message: `\`${flag}\` is not a compatibility flag: did you mean \`${correction}\`?${duplicate ? ` (\`${correction}\` is already listed)` : ''}`,
            fix: duplicate
              ? { applicability: 'safe', description: `Remove \`${flag}\``, edits: doc.removeArrayItem([...list.path, i]) }
              : { applicability: 'safe', description: `Replace with \`${correction}\``, edits: doc.replaceValue([...list.path, i], correction) },
          });
          continue;
        }
        const nearest = unknown.nearest.slice(0, 3).map((f) => `\`${f}\``).join(', ');
        ctx.report({
          start: item.start,
          end: item.end,
          message: unknown.dated
            ? `\`${flag}\` is not a Python runtime flag this tool knows (known: ${knownRuntimes()}); if Cloudflare added it after this tool's list, ignore this`
            : `\`${flag}\` is not a Python compatibility flag the runtime knows; nearest: ${nearest}`,
        });
      }
    }
  },
};

function knownRuntimes(): string {
  return KNOWN_PYTHON_FLAGS.filter((f) => /^python_workers_\d{8}$/.test(f))
    .map((f) => `\`${f}\``)
    .join(', ');
}
