// A rule tester in the spirit of ESLint's RuleTester: valid and invalid tables, exact positions,
// expected fixed output; every fix must re-parse, converge, and remove what it fixed.
import { describe, expect, it } from 'vitest';
import { analyze, applyFixes, ConfigDocument, parsePython, type Finding, type Rule } from '../../src/engine/index.js';
import type { Applicability } from '../../src/engine/types.js';

export interface Profile {
  /** compatibility_date; null leaves it out. */
  date?: string | null;
  /** compatibility_flags; python_workers is added unless `noPythonWorkers`. */
  flags?: string[];
  noPythonWorkers?: boolean;
  /** vendored adds workers-py to a pyproject.toml. */
  sdk?: 'vendored' | 'built-in';
  /** Put the file outside any Worker (no wrangler config at all). */
  noWorker?: boolean;
}

export interface Case {
  name?: string;
  /** Python source of src/entry.py, unless `files` is given. */
  code?: string;
  /** Whole file set; the file under test is `target` (default: src/entry.py). */
  files?: Record<string, string>;
  target?: string;
  profile?: Profile;
}

export interface ExpectedError {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message?: RegExp | string;
  severity?: Finding['severity'];
}

export interface InvalidCase extends Case {
  errors: ExpectedError[];
  /** Text of the target after applying every fix (safe and unsafe) until none is left; null: no fix. */
  output: string | null;
}

export function workerFiles(profile: Profile = {}, entry = 'src/entry.py', code = ''): Record<string, string> {
  if (profile.noWorker) return { [entry]: code };
  const flags = [...(profile.noPythonWorkers ? [] : ['python_workers']), ...(profile.flags ?? [])];
  const date = profile.date === undefined ? '2025-11-01' : profile.date;
  const config: Record<string, unknown> = { name: 'test-worker', main: entry };
  if (date !== null) config.compatibility_date = date;
  config.compatibility_flags = flags;
  const files: Record<string, string> = { 'wrangler.jsonc': JSON.stringify(config, null, 2) + '\n', [entry]: code };
  if (profile.sdk === 'vendored') {
    files['pyproject.toml'] = '[project]\nname = "test-worker"\nversion = "0.1.0"\ndependencies = ["workers-py"]\n';
  }
  return files;
}

function filesOf(c: Case): { files: Record<string, string>; target: string } {
  if (c.files) return { files: c.files, target: c.target ?? 'src/entry.py' };
  return { files: workerFiles(c.profile, 'src/entry.py', c.code ?? ''), target: 'src/entry.py' };
}

export function run(rule: Rule, files: Record<string, string>, target: string): Finding[] {
  const list = Object.entries(files).map(([path, text]) => ({ path, text }));
  const result = analyze({ files: list, rules: [rule] });
  expect(result.ruleErrors, 'rule threw').toEqual([]);
  return result.findings.filter((f) => f.path === target && f.code === rule.meta.code);
}

/** Throws when the text does not parse in the language of `path`. */
export function assertParses(path: string, text: string): void {
  if (path.endsWith('.py')) {
    const tree = parsePython(text);
    if (tree.rootNode.hasError) throw new Error(`fixed ${path} does not parse:\n${text}`);
  } else if (path.endsWith('.toml')) {
    ConfigDocument.parse(text, 'toml');
  } else if (path.endsWith('.json') || path.endsWith('.jsonc')) {
    ConfigDocument.parse(text, 'jsonc');
  }
}

const ALL: Applicability[] = ['safe', 'unsafe'];

/** Apply fixes repeatedly until the rule offers none; returns the final text. */
export function fixUntilStable(rule: Rule, files: Record<string, string>, target: string): { text: string; passes: number } {
  let current = { ...files };
  for (let pass = 1; pass <= 10; pass++) {
    const findings = run(rule, current, target).filter((f) => f.fix && ALL.includes(f.fix.applicability));
    if (findings.length === 0) return { text: current[target], passes: pass - 1 };
    const { text } = applyFixes(current[target], findings, ALL);
    assertParses(target, text);
    if (text === current[target]) throw new Error('a fix changed nothing');
    current = { ...current, [target]: text };
  }
  throw new Error(`fixes of ${rule.meta.code} did not converge in 10 passes`);
}

export function ruleTester(rule: Rule, tables: { valid: Case[]; invalid: InvalidCase[] }): void {
  const seen = new Set<string>();
  const key = (c: Case) => JSON.stringify([c.code, c.files, c.target, c.profile]);
  describe(`${rule.meta.code} ${rule.meta.name}`, () => {
    it('has at least three valid and three invalid cases', () => {
      expect(tables.valid.length).toBeGreaterThanOrEqual(3);
      expect(tables.invalid.length).toBeGreaterThanOrEqual(3);
    });
    for (const [i, c] of tables.valid.entries()) {
      it(`valid ${i + 1}: ${c.name ?? (c.code ?? '').split('\n')[0]}`, () => {
        expect(seen.has(key(c)), 'duplicate case').toBe(false);
        seen.add(key(c));
        const { files, target } = filesOf(c);
        expect(run(rule, files, target)).toEqual([]);
      });
    }
    for (const [i, c] of tables.invalid.entries()) {
      it(`invalid ${i + 1}: ${c.name ?? (c.code ?? '').split('\n')[0]}`, () => {
        expect(seen.has(key(c)), 'duplicate case').toBe(false);
        seen.add(key(c));
        const { files, target } = filesOf(c);
        const findings = run(rule, files, target);
        expect(findings.length, `findings: ${JSON.stringify(findings.map((f) => [f.line, f.column, f.message]))}`).toBe(c.errors.length);
        c.errors.forEach((e, j) => {
          const f = findings[j];
          expect({ line: f.line, column: f.column }).toEqual({ line: e.line, column: e.column });
          if (e.endLine !== undefined) expect(f.endLine).toBe(e.endLine);
          if (e.endColumn !== undefined) expect(f.endColumn).toBe(e.endColumn);
          if (e.message instanceof RegExp) expect(f.message).toMatch(e.message);
          else if (typeof e.message === 'string') expect(f.message).toBe(e.message);
          if (e.severity) expect(f.severity).toBe(e.severity);
          expect(f.docsUrl).toMatch(new RegExp(`/${rule.meta.code}\\.md$`));
        });
        const fixable = findings.some((f) => f.fix && ALL.includes(f.fix.applicability));
        if (c.output === null) {
          expect(fixable, 'case says no fix, but the rule offers one').toBe(false);
        } else {
          expect(fixable, 'case expects a fix, but the rule offers none').toBe(true);
          const { text } = fixUntilStable(rule, files, target);
          expect(text).toBe(c.output);
          // Fixing removes the fixed findings: only those without a fix may remain.
          const remaining = run(rule, { ...files, [target]: text }, target);
          expect(remaining.length).toBeLessThanOrEqual(findings.filter((f) => !f.fix).length);
        }
      });
    }
  });
}
