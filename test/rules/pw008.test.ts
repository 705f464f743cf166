import { rule } from '../../rules/pw008-dedicated-snapshot-flag.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n';
const jsonc = (text: string) => ({ 'wrangler.jsonc': text, 'src/entry.py': ENTRY });
const toml = (text: string) => ({ 'wrangler.toml': text, 'src/entry.py': ENTRY });

ruleTester(rule, {
  valid: [
    {
      name: 'date implies it (3.13 runtime from 2025-09-29, snapshot from 2025-10-16)',
      files: jsonc('{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}\n'),
      target: 'wrangler.jsonc',
    },
    {
      name: 'explicit on an old date',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"]\n'),
      target: 'wrangler.toml',
    },
    {
      name: 'switched off on purpose',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers", "disable_python_dedicated_snapshot"]\n'),
      target: 'wrangler.toml',
    },
    {
      name: 'unknown date: silent',
      files: jsonc('{\n  "main": "src/entry.py",\n  "compatibility_flags": ["python_workers"]\n}\n'),
      target: 'wrangler.jsonc',
    },
    {
      name: 'JavaScript Worker',
      files: { 'wrangler.json': '{\n  "main": "src/index.js",\n  "compatibility_date": "2025-03-10"\n}\n' },
      target: 'wrangler.json',
    },
    {
      name: 'explicit flag needed by an environment on an older date (not redundant)',
      files: toml(
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"]\n\n[env.legacy]\ncompatibility_date = "2025-05-01"\n',
      ),
      target: 'wrangler.toml',
    },
  ],
  invalid: [
    {
      name: 'toml: old date, flag missing (comment kept)',
      files: toml('# Link previews\nname = "link-preview"\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers"] # required\n'),
      target: 'wrangler.toml',
      errors: [{ line: 5, column: 1, endColumn: 20, severity: 'info', message: /2025-03-10 is before 2025-10-16/ }],
      output:
        '# Link previews\nname = "link-preview"\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"] # required\n',
    },
    {
      name: 'jsonc: multi-line flags with comments',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": [\n    "python_workers", // required\n  ],\n}\n',
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 4, column: 3 }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": [\n    "python_workers", // required\n    "python_dedicated_snapshot",\n  ],\n}\n',
    },
    {
      name: 'json: a late date on the 3.12 runtime does not imply it',
      files: {
        'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers", "no_python_workers_20250116"]\n}\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.json',
      errors: [{ line: 4, column: 3, message: /Python 3\.12 runtime/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers", "no_python_workers_20250116", "python_dedicated_snapshot"]\n}\n',
    },
    {
      name: 'toml: misspelt flag is corrected, not duplicated',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-09-30"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshots"]\n'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 42, endColumn: 70, message: /`python_dedicated_snapshots` is not a flag/ }],
      output: 'main = "src/entry.py"\ncompatibility_date = "2025-09-30"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"]\n',
    },
    {
      name: 'jsonc: redundant explicit flag is removed, comments kept',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-12-01",\n  "compatibility_flags": [\n    "python_workers", // required\n    "python_dedicated_snapshot" // faster cold starts\n  ]\n}\n',
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 6, column: 5, severity: 'info', message: /redundant/ }],
      output: '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-12-01",\n  "compatibility_flags": [\n    "python_workers" // required\n  ]\n}\n',
    },
    {
      name: 'toml: an environment with its own older date and flags',
      files: toml(
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.legacy]\ncompatibility_date = "2025-05-01"\ncompatibility_flags = ["python_workers"] # pinned\n',
      ),
      target: 'wrangler.toml',
      errors: [{ line: 7, column: 1, message: /2025-05-01/ }],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.legacy]\ncompatibility_date = "2025-05-01"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"] # pinned\n',
    },
    {
      name: 'jsonc: environment on an older date inheriting the top-level list',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n  "env": { "legacy": { "compatibility_date": "2025-05-01" } }\n}\n',
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 4, column: 3, message: /2025-05-01/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers", "python_dedicated_snapshot"],\n  "env": { "legacy": { "compatibility_date": "2025-05-01" } }\n}\n',
    },
  ],
});
