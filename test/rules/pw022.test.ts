import { rule } from '../../rules/pw022-sdk-not-vendored.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = '"""Notebook viewer."""\nimport json\n\nfrom workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n';
const NO_SDK = 'async def on_fetch(request, env):\n    return None\n';
const jsonc = (date: string, flags = '["python_workers"]', entry = ENTRY) => ({
  'wrangler.jsonc': `{\n  "name": "notebook-viewer",\n  "main": "src/entry.py",\n  // bumped for Python 3.13\n  "compatibility_date": "${date}",\n  "compatibility_flags": ${flags}\n}\n`,
  'src/entry.py': entry,
});

ruleTester(rule, {
  valid: [
    { name: 'date before 2026-04-21: SDK built in', files: jsonc('2026-04-20'), target: 'wrangler.jsonc' },
    {
      name: 'workers-py in a dependency group',
      files: { ...jsonc('2026-05-12'), 'pyproject.toml': '[project]\nname = "v"\nversion = "0"\ndependencies = []\n\n[dependency-groups]\ndev = ["workers-py>=1.9"]\n' },
      target: 'wrangler.jsonc',
    },
    {
      name: 'workers-runtime-sdk in project dependencies (toml config)',
      files: {
        'wrangler.toml': 'main = "src/entry.py"\ncompatibility_date = "2026-06-01"\ncompatibility_flags = ["python_workers"]\n',
        'src/entry.py': ENTRY,
        'pyproject.toml': '[project]\nname = "v"\nversion = "0"\ndependencies = ["workers-runtime-sdk"]\n',
      },
      target: 'wrangler.toml',
    },
    { name: 'opted out with disable_python_external_sdk', files: jsonc('2026-05-12', '["python_workers", "disable_python_external_sdk"]'), target: 'wrangler.jsonc' },
    { name: 'no Python file imports workers', files: jsonc('2026-05-12', '["python_workers", "disable_python_no_global_handlers"]', NO_SDK), target: 'wrangler.jsonc' },
    {
      name: 'package.json runs pywrangler (it vendors the SDK)',
      files: { ...jsonc('2026-05-12'), 'package.json': '{ "scripts": { "deploy": "uv run pywrangler deploy" } }' },
      target: 'wrangler.jsonc',
    },
    { name: 'the Worker has its own workers module', files: { ...jsonc('2026-05-12'), 'src/workers.py': 'class WorkerEntrypoint: pass\n' }, target: 'wrangler.jsonc' },
  ],
  invalid: [
    {
      name: 'jsonc: date after 2026-04-21, nothing vendors the SDK (points at the date value)',
      files: jsonc('2026-05-12'),
      target: 'wrangler.jsonc',
      errors: [{ line: 5, column: 25, endColumn: 37, severity: 'error', message: /compatibility_date 2026-05-12.*`import workers` in src\/entry\.py:4 fails/ }],
      output: null,
    },
    {
      name: 'toml: a pyproject.toml without the SDK, import in a local module',
      files: {
        'wrangler.toml': 'main = "src/entry.py"\ncompatibility_date = "2026-09-01" # latest\ncompatibility_flags = ["python_workers"]\n',
        'src/entry.py': 'from app import Default\n',
        'src/app/__init__.py': 'from .handlers import Default\n',
        'src/app/handlers.py': 'import workers\n\nclass Default(workers.WorkerEntrypoint):\n    pass\n',
        'pyproject.toml': '[project]\nname = "v"\nversion = "0"\ndependencies = ["httpx"]\n',
      },
      target: 'wrangler.toml',
      errors: [{ line: 2, column: 22, message: /src\/app\/handlers\.py:1/ }],
      output: null,
    },
    {
      name: 'json: flag set explicitly on an earlier date (points at the flag)',
      files: {
        'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers", "enable_python_external_sdk"]\n}\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.json',
      errors: [{ line: 4, column: 45, message: /`enable_python_external_sdk` is set/ }],
      output: null,
    },
    {
      name: 'Python files not available: the entrypoint class must come from workers',
      files: { 'wrangler.jsonc': jsonc('2026-05-12')['wrangler.jsonc'] },
      target: 'wrangler.jsonc',
      errors: [{ line: 5, column: 25, message: /importing the `WorkerEntrypoint` class from `workers` fails/ }],
      output: null,
    },
    {
      name: 'an environment with a later date of its own',
      files: {
        'wrangler.toml':
          'main = "src/entry.py"\ncompatibility_date = "2026-01-10"\ncompatibility_flags = ["python_workers"]\n\n[env.next]\ncompatibility_date = "2026-04-21"\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.toml',
      errors: [{ line: 6, column: 22, message: /2026-04-21/ }],
      output: null,
    },
  ],
});
