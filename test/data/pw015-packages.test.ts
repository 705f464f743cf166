// PW015 decided from the package data: the curated native-only list and the Pyodide locks.
import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/pw015-package-not-in-pyodide.js';
import { analyze } from '../../src/engine/index.js';

const RUNTIMES = {
  '0.26 (Python 3.12)': { date: '2025-06-01', flags: ['python_workers'] },
  '0.28 (Python 3.13)': { date: '2025-11-01', flags: ['python_workers'] },
  '314 (Python 3.14)': { date: '2025-11-01', flags: ['python_workers', 'python_workers_20260610'] },
} as const;

function findings(runtime: keyof typeof RUNTIMES, dependency: string) {
  const { date, flags } = RUNTIMES[runtime];
  const files = [
    { path: 'wrangler.jsonc', text: JSON.stringify({ main: 'src/entry.py', compatibility_date: date, compatibility_flags: flags }) },
    { path: 'src/entry.py', text: 'from workers import WorkerEntrypoint\n' },
    { path: 'pyproject.toml', text: `[project]\nname = "w"\nversion = "0"\ndependencies = [${JSON.stringify(dependency)}]\n` },
  ];
  const result = analyze({ files, rules: [rule] });
  expect(result.ruleErrors).toEqual([]);
  return result.findings.filter((f) => f.code === 'PW015');
}

describe('PW015 against rules/data', () => {
  for (const runtime of Object.keys(RUNTIMES) as (keyof typeof RUNTIMES)[]) {
    it(`psycopg2 is an error naming pg8000 on Pyodide ${runtime}`, () => {
      const f = findings(runtime, 'psycopg2');
      expect(f).toHaveLength(1);
      expect(f[0].severity).toBe('error');
      expect(f[0].message).toContain('pg8000');
      expect(f[0].line).toBe(4);
    });

    it.each(['lxml', 'cryptography', 'pillow', 'Pillow>=10', 'numpy', 'beautifulsoup4', 'httpx'])(`%s is silent on Pyodide ${runtime}`, (dep) => {
      expect(findings(runtime, dep)).toEqual([]);
    });
  }
});
