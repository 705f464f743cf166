// The rule catalogue in docs/rules/, generated from each rule's meta (a test fails when stale).
import type { Rule } from '../engine/rule.js';

const SEVERITY_WORDS = { error: 'error (breaks deploy or run)', warning: 'warning (likely bug)', info: 'info (advice)' };

function fence(code: string, lang: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${code.replace(/\n$/, '')}\n${f}`;
}

function exampleLanguage(rule: Rule): string {
  const l = rule.meta.languages[0];
  if (l === 'python') return 'python';
  if (l === 'package-json') return 'json';
  if (l === 'requirements') return 'text';
  const ex = rule.meta.docs.example;
  return /^\s*(\/\/|\{)/.test(ex) ? 'jsonc' : 'toml';
}

export function renderRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const d = m.docs;
  const lang = exampleLanguage(rule);
  const lines = [
    `# ${m.code} ${m.name}`,
    '',
    `${d.summary}.`,
    '',
    `- Gotcha: ${m.gotcha <= 18 ? `#${m.gotcha} of the original catalogue` : `#${m.gotcha} (documented by this project)`}`,
    `- Default severity: ${SEVERITY_WORDS[m.severity]}`,
    `- Files: ${m.languages.join(', ')}`,
    `- Fix: ${m.fixable ? m.fixable : 'none'}`,
    '',
    '## What it does',
    '',
    d.whatItDoes,
    '',
    '## Why it breaks',
    '',
    d.whyItBreaks,
    '',
    '## When it holds',
    '',
    d.whenItHolds,
    '',
    '## Example',
    '',
    fence(d.example, lang),
    '',
    'Use instead:',
    '',
    fence(d.useInstead, lang),
    '',
    '## Fix safety',
    '',
    d.fixSafety,
    '',
    '## Suppression',
    '',
    `\`${lang === 'jsonc' || lang === 'json' ? '//' : '#'} noqa: ${m.code}\` on the reported line.`,
    '',
    '## References',
    '',
    ...d.references.map((r) => `- [${r.title}](${r.url})`),
    '',
  ];
  return lines.join('\n');
}

export function renderCatalogueIndex(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `| [${r.meta.code}](${r.meta.code}.md) | ${r.meta.name} | ${r.meta.gotcha} | ${r.meta.severity} | ${r.meta.fixable ?? ''} | ${r.meta.docs.summary.replace(/\|/g, '\\|')} |`,
  );
  return [
    '# Rule catalogue',
    '',
    'Generated from the rules\' metadata by `npm run docs`; do not edit by hand.',
    '',
    '| code | name | gotcha | severity | fix | what it reports |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** Every catalogue file by path relative to the package root. */
export function renderCatalogue(rules: readonly Rule[]): Map<string, string> {
  const files = new Map<string, string>();
  files.set('docs/rules/README.md', renderCatalogueIndex(rules));
  for (const r of rules) files.set(`docs/rules/${r.meta.code}.md`, renderRuleDoc(r));
  return files;
}
