import { rule } from '../../rules/pw015-package-not-in-pyodide.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n';

/** A Worker on a runtime: 3.12 (Pyodide 0.26), 3.13 (0.28) or 3.14 (314); null date: unknown. */
function worker(runtime: '3.12' | '3.13' | '3.14' | 'unknown', extra: Record<string, string>): Record<string, string> {
  const date = runtime === '3.12' ? '"2025-06-01"' : runtime === 'unknown' ? null : '"2025-11-01"';
  const flags = runtime === '3.14' ? '["python_workers", "python_workers_20260610"]' : '["python_workers"]';
  const config = `main = "src/entry.py"\n${date ? `compatibility_date = ${date}\n` : ''}compatibility_flags = ${flags}\n`;
  return { 'wrangler.toml': config, 'src/entry.py': ENTRY, ...extra };
}
const pyproject = (deps: string, more = '') => ({ 'pyproject.toml': `[project]\nname = "w"\nversion = "0.1.0"\ndependencies = [\n${deps}]\n${more}` });

ruleTester(rule, {
  valid: [
    {
      name: 'packages Pyodide ships, and pure-Python ones',
      files: worker('3.13', pyproject('    "numpy",\n    "lxml>=5",\n    "cryptography",\n    "pillow",\n    "httpx",\n    "some-pure-lib==1.0",\n')),
      target: 'pyproject.toml',
    },
    {
      name: 'native-only package in a dev group: pywrangler does not ship groups',
      files: worker('3.13', pyproject('    "httpx",\n', '\n[dependency-groups]\ndev = ["workers-py", "psycopg2-binary"]\n')),
      target: 'pyproject.toml',
    },
    {
      name: 'a marker leaves it out on emscripten',
      files: worker('3.13', pyproject('    "psycopg2>=2.9; sys_platform != \'emscripten\'",\n')),
      target: 'pyproject.toml',
    },
    {
      name: 'built for this runtime only (polars on 3.14)',
      files: worker('3.14', pyproject('    "polars",\n')),
      target: 'pyproject.toml',
    },
    {
      name: 'unknown runtime: a package built for some Pyodide is not judged',
      files: worker('unknown', { 'requirements.txt': 'polars\n' }),
      target: 'requirements.txt',
    },
    {
      name: 'requirements-dev.txt is for the host',
      files: worker('3.13', { 'requirements-dev.txt': 'psycopg2\n' }),
      target: 'requirements-dev.txt',
    },
    {
      name: 'a pyproject.toml that belongs to no Worker',
      files: { 'tools/pyproject.toml': '[project]\nname = "t"\nversion = "0"\ndependencies = ["psycopg2"]\n' },
      target: 'tools/pyproject.toml',
    },
  ],
  invalid: [
    {
      name: 'psycopg2 on 3.13: names pg8000 and its socket caveat',
      files: worker('3.13', pyproject('    "numpy==2.2.5",\n    "psycopg2>=2.9",  # database\n')),
      target: 'pyproject.toml',
      errors: [{ line: 6, column: 5, endColumn: 20, severity: 'error', message: /`psycopg2` has native code.*Pyodide 0\.28.*Use pg8000 instead.*only on the Python 3\.14 runtime/ }],
      output: null,
    },
    {
      name: 'psycopg2-binary on 3.14: pg8000 works there',
      files: worker('3.14', { 'requirements.txt': '# db\npsycopg2-binary==2.9.9\n' }),
      target: 'requirements.txt',
      errors: [{ line: 2, column: 1, endColumn: 23, message: /Use pg8000 instead \(pure Python; it opens raw TCP sockets, which this runtime supports\)/ }],
      output: null,
    },
    {
      name: 'unknown runtime: curated native-only packages still fail everywhere',
      files: worker('unknown', pyproject('    "cchardet",\n')),
      target: 'pyproject.toml',
      errors: [{ line: 5, column: 5, message: /no build for any Pyodide build.*charset-normalizer/ }],
      output: null,
    },
    {
      name: 'built for another runtime only (polars on 3.13, duckdb on 3.13)',
      files: worker('3.13', pyproject('    "polars>=1",\n    "duckdb",\n')),
      target: 'pyproject.toml',
      errors: [
        { line: 5, column: 5, message: /`polars` is a compiled package that Pyodide 0\.28.*built for Pyodide 314/ },
        { line: 6, column: 5, message: /`duckdb`.*built for Pyodide 0\.26.*and Pyodide 314/ },
      ],
      output: null,
    },
    {
      name: 'removed in 314 (cramjam on 3.14)',
      files: worker('3.14', pyproject('    "cramjam",\n')),
      target: 'pyproject.toml',
      errors: [{ line: 5, column: 5, severity: 'error', message: /built for Pyodide 0\.26.*and Pyodide 0\.28/ }],
      output: null,
    },
    {
      name: 'on 3.12 a package missing from 0.26 is a warning (pywrangler uses the 0.27 index)',
      files: worker('3.12', { 'requirements.txt': 'tiktoken\n' }),
      target: 'requirements.txt',
      errors: [{ line: 1, column: 1, severity: 'warning', message: /0\.27 index/ }],
      output: null,
    },
  ],
});
