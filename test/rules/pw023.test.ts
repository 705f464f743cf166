import { describe, expect, it } from 'vitest';
import { correctionOf, unknownPythonFlag } from '../../rules/lib/config-helpers.js';
import { rule } from '../../rules/pw023-unknown-python-flag.js';
import { DATE_IMPLIED_FLAGS, KNOWN_PYTHON_FLAGS } from '../../src/engine/profile.js';
import { editDistance, nearest } from '../../src/engine/spelling.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n';
const toml = (flags: string, rest = '') => ({
  'wrangler.toml': `main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ${flags}\n${rest}`,
  'src/entry.py': ENTRY,
});
const jsonc = (flags: string, name = 'wrangler.jsonc') => ({
  [name]: `{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ${flags}\n}\n`,
  'src/entry.py': ENTRY,
});

ruleTester(rule, {
  valid: [
    { name: 'known Python flags', files: toml('["python_workers", "python_dedicated_snapshot", "python_workers_20260610", "disable_python_no_global_handlers"]'), target: 'wrangler.toml' },
    { name: 'flags that are not about Python', files: jsonc('["python_workers", "nodejs_compat", "experimental", "no_global_fetch_mock"]'), target: 'wrangler.jsonc' },
    { name: 'newer flags from the capnp', files: jsonc('["python_workers", "python_request_headers_preserve_commas", "python_process_pth_files"]', 'wrangler.json'), target: 'wrangler.json' },
    {
      name: 'a JavaScript Worker',
      files: { 'wrangler.jsonc': '{ "main": "src/index.js", "compatibility_flags": ["python_worker"] }' },
      target: 'wrangler.jsonc',
    },
  ],
  invalid: [
    {
      name: 'toml: plural snapshot flag (comment kept)',
      files: toml('["python_workers", "python_dedicated_snapshots"] # faster'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 42, endColumn: 70, severity: 'warning', message: /did you mean `python_dedicated_snapshot`\?/ }],
      output: 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"] # faster\n',
    },
    {
      name: 'jsonc: singular python_worker, multi-line list with comments',
      files: jsonc('[\n    "python_worker", // enable Python\n    "nodejs_compat"\n  ]'),
      target: 'wrangler.jsonc',
      errors: [{ line: 5, column: 5, endColumn: 20, message: /`python_worker`.*`python_workers`/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": [\n    "python_workers", // enable Python\n    "nodejs_compat"\n  ]\n}\n',
    },
    {
      name: 'json: a misspelling of a flag already listed is removed',
      files: jsonc('["python_workers", "python-workers"]', 'wrangler.json'),
      target: 'wrangler.json',
      errors: [{ line: 4, column: 45, message: /already listed/ }],
      output: '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}\n',
    },
    {
      name: 'toml: environment list, and an unknown dated runtime without a fix',
      files: toml('["python_workers"]', '\n[env.next]\ncompatibility_flags = ["python_workers", "python_workers_20260817", "Python_Workflows"]\n'),
      target: 'wrangler.toml',
      errors: [
        { line: 6, column: 42, message: /not a Python runtime flag this tool knows \(known: `python_workers_20250116`, `python_workers_20260610`\)/ },
        { line: 6, column: 69, message: /did you mean `python_workflows`/ },
      ],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.next]\ncompatibility_flags = ["python_workers", "python_workers_20260817", "python_workflows"]\n',
    },
    {
      name: 'far from any known flag: reported with the nearest, no fix',
      files: toml('["python_workers", "python_fast_imports"]'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 42, message: /not a Python compatibility flag the runtime knows; nearest:/ }],
      output: null,
    },
  ],
});

describe('flag names', () => {
  it('corrects near misses only', () => {
    expect(correctionOf('python_workers')).toBeNull();
    expect(correctionOf('pyhton_workers')).toBe('python_workers');
    expect(correctionOf('python_workers_2025116')).toBe('python_workers_20250116');
    expect(correctionOf('python_workers_20250117')).toBeNull();
    expect(unknownPythonFlag('nodejs_compat')).toBeNull();
  });

  it('has the Python flags of workerd compatibility-date.capnp, enable and disable forms', () => {
    for (const f of [
      'python_workers',
      'python_workers_20250116',
      'no_python_workers_20250116',
      'python_workflows',
      'disable_python_workflows',
      'python_no_global_handlers',
      'disable_python_no_global_handlers',
      'python_dedicated_snapshot',
      'disable_python_dedicated_snapshot',
      'python_check_rng_state',
      'disable_python_check_rng_state',
      'enable_python_external_sdk',
      'disable_python_external_sdk',
      'python_workers_force_new_vendor_path',
      'python_workflows_implicit_dependencies',
    ]) {
      expect(KNOWN_PYTHON_FLAGS).toContain(f);
    }
  });

  it('knows every flag a date implies and every name that switches one off (so PW023 never flags them)', () => {
    for (const implied of DATE_IMPLIED_FLAGS) {
      for (const f of [implied.flag, ...implied.off]) expect(KNOWN_PYTHON_FLAGS, f).toContain(f);
    }
  });
});

describe('spelling shortcuts give the same answers as the full comparison', () => {
  // Misspellings of every known flag (and some words that are not flags), deterministic.
  const words: string[] = ['nodejs_compat', 'python', 'PYTHON_WORKERS', 'x', '', 'pyodide_2025', 'python_workers_20991231'];
  let seed = 11;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (const flag of KNOWN_PYTHON_FLAGS) {
    for (let i = 0; i < 6; i++) {
      const chars = [...flag];
      for (let e = 0; e <= next(4); e++) {
        const at = next(chars.length + 1);
        const op = next(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, 'abcdefghijklmnopqrstuvwxyz_0123456789'[next(37)]);
        else chars[at] = '_';
      }
      words.push(chars.join(''));
    }
  }
  const fullDistance = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
  };

  it('editDistance', () => {
    for (const w of words) for (const f of KNOWN_PYTHON_FLAGS.slice(0, 8)) expect(editDistance(w, f), `${w} / ${f}`).toBe(fullDistance(w, f));
  });

  it('unknownPythonFlag: nearest flags and distance, every time it is asked', () => {
    for (const w of words) {
      const expected = (() => {
        if (KNOWN_PYTHON_FLAGS.includes(w)) return null;
        const lower = w.toLowerCase();
        const distances = KNOWN_PYTHON_FLAGS.map((k) => fullDistance(lower, k));
        const distance = Math.min(...distances);
        if (!(/pyth?on|pyodide/.test(lower) || distance <= 2)) return null;
        return { nearest: KNOWN_PYTHON_FLAGS.filter((_, i) => distances[i] === distance), distance, dated: /^python_workers_\d{8}$/.test(lower) };
      })();
      expect(unknownPythonFlag(w), w).toEqual(expected);
      expect(unknownPythonFlag(w), `${w}, asked again`).toEqual(expected);
    }
  });

  it('nearest (config keys and rule codes): the closest within two edits, the first of equals', () => {
    const candidates = ['rules', 'paths', 'review', 'runtime', 'limits', 'include', 'exclude', 'max_comments', 'request_changes', 'drafts', 'filter'];
    const reference = (word: string) => {
      let best: string | null = null;
      let bestD = 3;
      for (const c of candidates) {
        const d = fullDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestD) [best, bestD] = [c, d];
      }
      return best;
    };
    for (const w of [...candidates.flatMap((c) => [c, c.toUpperCase(), c.slice(1), `${c}s`, c.replace('_', ''), `x${c.slice(2)}`]), 'rule', 'path', 'limit', 'zzz', '']) {
      expect(nearest(w, candidates), w).toBe(reference(w));
    }
  });
});
