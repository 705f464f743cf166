import { rule } from '../../rules/pw016-pywrangler-install.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n';
const CONFIG_313 = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';
const CONFIG_314 = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers", "python_workers_20260610"]\n';
const CONFIG_312 = 'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = ["python_workers"]\n';
const PYWRANGLER = '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = []\n\n[dependency-groups]\ndev = ["workers-py"]\n';
const JSON_CONFIG = '{\n  "$schema": "node_modules/wrangler/config-schema.json",\n  "main": "src/entry.py",\n  "compatibility_date": "2026-05-01",\n  "compatibility_flags": ["python_workers"]\n}\n';

const withDeps = (config: string, deps: string) => ({
  'wrangler.toml': config,
  'src/entry.py': ENTRY,
  'pyproject.toml': `[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n${deps}]\n`,
});

ruleTester(rule, {
  valid: [
    { name: 'pins that match Pyodide 0.28', files: withDeps(CONFIG_313, '    "numpy==2.2.5",\n    "pandas>=2,<3",\n    "lxml~=6.0",\n    "pillow==11.*",\n'), target: 'pyproject.toml' },
    { name: 'pure-Python packages may be pinned freely', files: withDeps(CONFIG_313, '    "beautifulsoup4==4.9.3",\n    "pydantic<2",\n'), target: 'pyproject.toml' },
    { name: '3.12 runtime: resolved against the 0.27 index, not judged', files: withDeps(CONFIG_312, '    "numpy==2.0.2",\n'), target: 'pyproject.toml' },
    { name: 'requirements.txt without pywrangler', files: { 'wrangler.toml': CONFIG_313, 'src/entry.py': ENTRY, 'requirements.txt': 'numpy\n' }, target: 'requirements.txt' },
    { name: 'wrangler.jsonc in a pywrangler project', files: { 'wrangler.jsonc': JSON_CONFIG, 'src/entry.py': ENTRY, 'pyproject.toml': PYWRANGLER }, target: 'wrangler.jsonc' },
    { name: 'wrangler.json without pywrangler', files: { 'wrangler.json': JSON_CONFIG, 'src/entry.py': ENTRY }, target: 'wrangler.json' },
    { name: 'unparseable specifier is left alone', files: withDeps(CONFIG_313, '    "numpy===1.26.4-custom",\n'), target: 'pyproject.toml' },
    {
      name: 'wrangler.json beside a pyproject.toml that does not parse: not known as a pywrangler project',
      files: { 'wrangler.json': JSON_CONFIG, 'src/entry.py': ENTRY, 'pyproject.toml': `${PYWRANGLER}[project\n` },
      target: 'wrangler.json',
    },
  ],
  invalid: [
    {
      name: 'exact pin of a compiled package on Pyodide 0.28 (unsafe fix keeps the rest of the string)',
      files: withDeps(CONFIG_313, '    "numpy==1.26.4",  # pinned long ago\n    "psycopg2>=2.9",\n'),
      target: 'pyproject.toml',
      errors: [{ line: 5, column: 5, endColumn: 20, message: /`numpy==1\.26\.4` excludes numpy 2\.2\.5.*Pyodide 0\.28/ }],
      output: '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n    "numpy==2.2.5",  # pinned long ago\n    "psycopg2>=2.9",\n]\n',
    },
    {
      name: 'upper bound and lower bound on Pyodide 314 (no fix for ranges)',
      files: withDeps(CONFIG_314, '    "numpy<2",\n    "cryptography>=48",\n    "pillow[avif]==12.2.0",\n'),
      target: 'pyproject.toml',
      errors: [
        { line: 5, column: 5, message: /excludes numpy 2\.4\.3.*Pyodide 314/ },
        { line: 6, column: 5, message: /excludes cryptography 47\.0\.0/ },
      ],
      output: null,
    },
    {
      name: 'exact pin with extras and a marker',
      files: withDeps(CONFIG_313, "    \"pandas[performance]==2.2.0; python_version >= '3.12'\",\n"),
      target: 'pyproject.toml',
      errors: [{ line: 5, column: 5, message: /excludes pandas 2\.3\.1/ }],
      output: '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n    "pandas[performance]==2.3.1; python_version >= \'3.12\'",\n]\n',
    },
    {
      name: 'requirements.txt in a pywrangler project: file-level, on the first requirement',
      files: { 'wrangler.toml': CONFIG_313, 'src/entry.py': ENTRY, 'pyproject.toml': PYWRANGLER, 'requirements.txt': '# old list\nnumpy\njinja2>=3.1\n' },
      target: 'requirements.txt',
      errors: [{ line: 2, column: 1, endColumn: 6, message: /refuses to run while requirements\.txt exists/ }],
      output: null,
    },
    {
      name: 'empty requirements.txt in a pywrangler project: its first line',
      files: { 'wrangler.toml': CONFIG_313, 'src/entry.py': ENTRY, 'pyproject.toml': PYWRANGLER, 'requirements.txt': '\n# nothing yet\n' },
      target: 'requirements.txt',
      errors: [{ line: 2, column: 1, endColumn: 14 }],
      output: null,
    },
    {
      name: 'requirements.txt in a pywrangler project of a folder that is no Worker',
      files: { 'wrangler.toml': CONFIG_313, 'src/entry.py': ENTRY, 'tools/pyproject.toml': PYWRANGLER, 'tools/requirements.txt': 'numpy\n' },
      target: 'tools/requirements.txt',
      errors: [{ line: 1, column: 1, endColumn: 6, message: /refuses to run while requirements\.txt exists/ }],
      output: null,
    },
    {
      name: 'wrangler.json in a pywrangler project: the first key',
      files: { 'wrangler.json': JSON_CONFIG, 'src/entry.py': ENTRY, 'pyproject.toml': PYWRANGLER },
      target: 'wrangler.json',
      errors: [{ line: 2, column: 3, endColumn: 12, message: /looks only for wrangler\.jsonc or wrangler\.toml/ }],
      output: null,
    },
    {
      name: 'wrangler.json beside wrangler.toml in a pywrangler project',
      files: { 'wrangler.json': JSON_CONFIG, 'wrangler.toml': CONFIG_313, 'src/entry.py': ENTRY, 'pyproject.toml': PYWRANGLER },
      target: 'wrangler.json',
      errors: [{ line: 2, column: 3, message: /reads wrangler\.toml while wrangler uses this wrangler\.json/ }],
      output: null,
    },
  ],
});
