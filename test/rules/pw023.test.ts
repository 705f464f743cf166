import { describe, expect, it } from 'vitest';
import { correctionOf, unknownPythonFlag } from '../../rules/lib/config-helpers.js';
import { rule } from '../../rules/pw023-unknown-python-flag.js';
import { DATE_IMPLIED_FLAGS, KNOWN_PYTHON_FLAGS } from '../../src/engine/profile.js';
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
