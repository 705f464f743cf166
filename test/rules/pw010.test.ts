import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { rule } from '../../rules/pw010-cpu-limit.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n';
const HEAD_TOML = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';
const toml = (rest: string) => ({ 'wrangler.toml': HEAD_TOML + rest, 'src/entry.py': ENTRY });
const jsonc = (rest: string) => ({
  'wrangler.jsonc': `{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n${rest}}\n`,
  'src/entry.py': ENTRY,
});
const PYPROJECT = (deps: string) => `[project]\nname = "feeds"\nversion = "0.1.0"\ndependencies = [\n${deps}]\n\n[dependency-groups]\ndev = ["workers-py"]\n`;

ruleTester(rule, {
  valid: [
    { name: 'toml: the maximum', files: toml('\n[limits]\ncpu_ms = 300_000\n'), target: 'wrangler.toml' },
    { name: 'jsonc: a raised limit', files: jsonc('  "limits": { "cpu_ms": 60000 }, // feeds are slow\n'), target: 'wrangler.jsonc' },
    {
      name: 'json: an environment with its own limit',
      files: {
        'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "env": { "batch": { "limits": { "cpu_ms": 120000 } } }\n}\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.json',
    },
    {
      name: 'JavaScript Worker: not this tool\'s business',
      files: { 'wrangler.toml': 'main = "src/index.js"\ncompatibility_date = "2025-11-01"\n[limits]\ncpu_ms = 900000\n' },
      target: 'wrangler.toml',
    },
    {
      name: 'heavy parser with a raised limit: no advice',
      files: { ...toml('\n[limits]\ncpu_ms = 60000\n'), 'pyproject.toml': PYPROJECT('  "feedparser",\n') },
      target: 'pyproject.toml',
    },
    {
      name: 'heavy parser only in a dev group: not shipped',
      files: { ...toml(''), 'pyproject.toml': '[project]\nname = "x"\nversion = "0"\ndependencies = []\n\n[dependency-groups]\ndev = ["workers-py", "pandas"]\n' },
      target: 'pyproject.toml',
    },
    {
      name: 'requirements-dev.txt is not the Worker\'s',
      files: { ...toml(''), 'requirements-dev.txt': 'lxml\n' },
      target: 'requirements-dev.txt',
    },
  ],
  invalid: [
    {
      name: 'toml: above the maximum (the gotcha list\'s 15 minutes)',
      files: toml('\n# Embedding takes a while\n[limits]\ncpu_ms = 900000 # 15 min\n'),
      target: 'wrangler.toml',
      errors: [{ line: 7, column: 10, endColumn: 16, severity: 'error', message: /900,000 is above the Workers Paid maximum of 300,000 ms/ }],
      output: HEAD_TOML + '\n# Embedding takes a while\n[limits]\ncpu_ms = 300000 # 15 min\n',
    },
    {
      name: 'jsonc: not a number, and a float',
      files: jsonc('  "limits": { "cpu_ms": "30000" },\n  "env": {\n    "slow": { "limits": { "cpu_ms": 0 } },\n  },\n'),
      target: 'wrangler.jsonc',
      errors: [
        { line: 5, column: 25, message: /positive whole number.*"30000"/ },
        { line: 7, column: 37, message: /not `0`/ },
      ],
      output: null,
    },
    {
      name: 'json: environment above the maximum',
      files: {
        'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "env": {\n    "batch": {\n      "limits": {\n        "cpu_ms": 600000\n      }\n    }\n  }\n}\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.json',
      errors: [{ line: 7, column: 19 }],
      output: '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "env": {\n    "batch": {\n      "limits": {\n        "cpu_ms": 300000\n      }\n    }\n  }\n}\n',
    },
    {
      name: 'toml: a float literal',
      files: toml('\n[limits]\ncpu_ms = 30000.0\n'),
      target: 'wrangler.toml',
      errors: [{ line: 6, column: 10, message: /not `30000\.0`/ }],
      output: null,
    },
    {
      name: 'pyproject: heavy parsers under the default limit (advice on each dependency string)',
      files: { ...toml(''), 'pyproject.toml': PYPROJECT('  "feedparser>=6",\n  "httpx",\n  "beautifulsoup4",\n') },
      target: 'pyproject.toml',
      errors: [
        { line: 5, column: 3, endColumn: 18, severity: 'info', message: /`feedparser`.*30,000 ms/ },
        { line: 7, column: 3, severity: 'info', message: /`beautifulsoup4`/ },
      ],
      output: null,
    },
    {
      name: 'requirements.txt: heavy parser under the default limit',
      files: { ...jsonc(''), 'requirements.txt': '# parsing\nlxml==5.2.1  # xml\n' },
      target: 'requirements.txt',
      errors: [{ line: 2, column: 1, endColumn: 12, severity: 'info', message: /`lxml`/ }],
      output: null,
    },
  ],
});

describe('rules/data/limits.json', () => {
  const data = JSON.parse(readFileSync(new URL('../../rules/data/limits.json', import.meta.url), 'utf8'));
  it('keeps the CPU maximum with its sources and the note on the outdated figure', () => {
    expect(data.cpuMs.maximum).toBe(300000);
    expect(data.cpuMs.default).toBe(30000);
    expect(data.cpuMs.sources.map((s: { url: string }) => s.url)).toContain('https://developers.cloudflare.com/changelog/2025-03-25-higher-cpu-limits/');
    expect(data.cpuMs.outdated).toMatch(/900,000/);
  });
});
