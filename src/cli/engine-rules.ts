// Findings the engine itself reports (not a rule module), documented like the rules.
import type { Rule } from '../engine/rule.js';
import { PARSE_ERROR, UNUSED_NOQA } from '../engine/runner.js';

export const ENGINE_RULES: readonly Rule[] = [
  {
    meta: {
      ...PARSE_ERROR,
      severity: 'error',
      languages: ['python', 'wrangler', 'pyproject', 'package-json'],
      docs: {
        summary: 'A file that does not parse',
        whatItDoes:
          'Reports the first syntax error of a Python file, or why a wrangler config, `pyproject.toml` or `package.json` does not parse, at the place it stops making sense.',
        whyItBreaks:
          'The runtime, wrangler and pywrangler reject a file they cannot parse. A wrangler config that does not parse also leaves the Worker\'s runtime unknown, so rules that depend on the compatibility date stay silent for its files.',
        whenItHolds: 'Always.',
        example: 'def fetch(self, request:\n    return Response("hi")',
        useInstead: 'def fetch(self, request):\n    return Response("hi")',
        fixSafety: 'No fix. Other rules still run on a Python file with a syntax error, but their fixes are shown only as guidance.',
        references: [{ title: 'Cloudflare: wrangler configuration', url: 'https://developers.cloudflare.com/workers/wrangler/configuration/' }],
      },
    },
  },
  {
    meta: {
      ...UNUSED_NOQA,
      severity: 'info',
      languages: ['python', 'wrangler', 'pyproject'],
      fixable: 'safe',
      docs: {
        summary: 'A `noqa` comment that silences nothing',
        whatItDoes:
          'Reports a code in a `# noqa: PWnnn` (or `// noqa: PWnnn`) comment when that rule ran on the file and reported nothing on that line. Codes of other tools are left alone.',
        whyItBreaks:
          'A stale suppression hides the next real finding on that line: when the code changes, the pitfall it was written for may come back unnoticed.',
        whenItHolds: 'Always; only for rules that ran on the file (a rule skipped for the Worker\'s runtime does not make its `noqa` unused).',
        example: 'rows = results.results.to_py()  # noqa: PW011',
        useInstead: 'rows = results.results.to_py()',
        fixSafety: 'Safe: removes the unused code, or the whole comment when nothing else is in it.',
        references: [{ title: 'ruff: unused-noqa (RUF100)', url: 'https://docs.astral.sh/ruff/rules/unused-noqa/' }],
      },
    },
  },
];

/** The engine's findings and every rule, by code: what `rules`, SARIF and the catalogue list. */
export function catalogueRules(rules: readonly Rule[]): Rule[] {
  return [...ENGINE_RULES, ...rules].sort((a, b) => (a.meta.code < b.meta.code ? -1 : a.meta.code > b.meta.code ? 1 : 0));
}
