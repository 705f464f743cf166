// The README's demo: `pyworkers-review check examples/` shows every rule, at the expected lines,
// and the correct, current Worker programs of test/corpus/good pass without error or warning.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';

interface Expected {
  findings: { path: string; line: number; code: string }[];
  silent: { path: string; line: number }[];
}

function check(path: string): { code: number | null; findings: { path: string; line: number; code: string; severity: string }[] } {
  const r = spawnSync(process.execPath, ['bin/pyworkers-review.js', 'check', path, '--format', 'json'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return { code: r.status, findings: JSON.parse(r.stdout).findings };
}

describe('examples/', () => {
  const expected = JSON.parse(readFileSync('examples/expected-findings.json', 'utf8')) as Expected;
  const { code, findings } = check('examples');

  it('exits 1 and reports every rule at least once', () => {
    expect(code).toBe(1);
    const codes = new Set(findings.map((f) => f.code));
    for (const rule of RULES) expect(codes.has(rule.meta.code), rule.meta.code).toBe(true);
  });

  it('reports each expected finding at its line', () => {
    const got = new Set(findings.map((f) => `${f.path.replace(/^examples\//, '')}:${f.line} ${f.code}`));
    const missing = expected.findings.map((e) => `${e.path}:${e.line} ${e.code}`).filter((k) => !got.has(k));
    expect(missing).toEqual([]);
  });

  it('stays silent on the lines that are correct on purpose', () => {
    const noisy = expected.silent.filter((s) => findings.some((f) => f.path === `examples/${s.path}` && f.line === s.line));
    expect(noisy).toEqual([]);
  });
});

describe('test/corpus/good: correct, current Worker programs', () => {
  it('pass with no error or warning', () => {
    const { code, findings } = check('test/corpus/good');
    const loud = findings.filter((f) => f.severity !== 'info').map((f) => `${f.path}:${f.line} ${f.code}`);
    expect(loud).toEqual([]);
    expect(code).toBe(0);
  });
});
