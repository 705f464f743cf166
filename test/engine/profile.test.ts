import { describe, expect, it } from 'vitest';
import { isSkippedPath, Workspace } from '../../src/engine/index.js';

function profileOf(config: Record<string, unknown>, pyproject?: string, overrides = {}) {
  const files = [
    { path: 'w/wrangler.jsonc', text: JSON.stringify({ main: 'src/entry.py', ...config }) },
    { path: 'w/src/entry.py', text: 'from workers import WorkerEntrypoint\n' },
  ];
  if (pyproject) files.push({ path: 'w/pyproject.toml', text: pyproject });
  const ws = new Workspace(files, overrides);
  return ws.pythonProfile('w/src/entry.py', files[1].text)!;
}

describe('runtime profile (runtime-facts.md)', () => {
  it.each([
    // date, extra flags, python, pyodide, sdk, flags expected in / out
    ['2025-03-01', [], '3.12', '0.26', 'built-in', [], ['python_no_global_handlers', 'allow_eval_during_startup']],
    ['2025-06-01', [], '3.12', '0.26', 'built-in', ['allow_eval_during_startup'], ['python_no_global_handlers']],
    ['2025-08-14', [], '3.12', '0.26', 'built-in', ['python_no_global_handlers'], ['python_workflows']],
    ['2025-09-20', [], '3.12', '0.26', 'built-in', ['python_workflows'], ['python_workers_20250116']],
    ['2025-09-29', [], '3.13', '0.28', 'built-in', ['python_workers_20250116'], ['python_dedicated_snapshot']],
    ['2025-10-16', [], '3.13', '0.28', 'built-in', ['python_dedicated_snapshot'], ['python_check_rng_state']],
    ['2025-12-16', [], '3.13', '0.28', 'built-in', ['python_check_rng_state'], ['enable_python_external_sdk']],
    ['2026-04-21', [], '3.13', '0.28', 'vendored', ['enable_python_external_sdk'], []],
    ['2025-01-01', ['python_workers_20250116'], '3.13', '0.28', 'built-in', ['python_workers_20250116'], ['python_dedicated_snapshot']],
    ['2025-11-01', ['python_workers_20260610'], '3.14', '314', 'built-in', ['python_workers_20260610'], []],
    ['2025-11-01', ['disable_python_no_global_handlers'], '3.13', '0.28', 'built-in', [], ['python_no_global_handlers']],
    ['2025-11-01', ['no_python_workers_20250116'], '3.12', '0.26', 'built-in', [], ['python_workers_20250116', 'python_dedicated_snapshot']],
  ] as const)('date %s flags %j → Python %s / Pyodide %s, %s SDK', (date, flags, python, pyodide, sdk, on, off) => {
    const p = profileOf({ compatibility_date: date, compatibility_flags: ['python_workers', ...flags] });
    expect(p.known).toBe(true);
    expect({ python: p.python, pyodide: p.pyodide, sdk: p.sdk }).toEqual({ python, pyodide, sdk });
    for (const f of on) expect(p.flags.has(f), `${f} on`).toBe(true);
    for (const f of off) expect(p.flags.has(f), `${f} off`).toBe(false);
  });

  it.each([
    ['[project]\ndependencies = ["workers-py>=1.9"]\n'],
    ['[dependency-groups]\ndev = ["workers-py", "pytest"]\n'],
    ['[project.optional-dependencies]\nruntime = ["workers-runtime-sdk==1.6.15"]\n'],
    ['[tool.uv]\ndev-dependencies = ["Workers_Runtime_SDK"]\n'],
  ])('vendored SDK when pyproject.toml lists it: %s', (pyproject) => {
    expect(profileOf({ compatibility_date: '2025-11-01', compatibility_flags: ['python_workers'] }, pyproject).sdk).toBe('vendored');
  });

  it('built-in SDK when pyproject.toml lists other things', () => {
    expect(profileOf({ compatibility_date: '2025-11-01' }, '[project]\ndependencies = ["httpx"]\n').sdk).toBe('built-in');
  });

  it('no compatibility_date: runtime unknown', () => {
    expect(profileOf({ compatibility_flags: ['python_workers'] }).known).toBe(false);
  });

  it('repository runtime overrides win over the config', () => {
    const p = profileOf({ compatibility_date: '2025-01-01' }, undefined, { compatibility_date: '2025-11-01', sdk: 'vendored' });
    expect(p.compatibilityDate).toBe('2025-11-01');
    expect(p.sdk).toBe('vendored');
  });

  it('a config that does not parse: Worker known, profile unknown', () => {
    const ws = new Workspace([
      { path: 'wrangler.jsonc', text: '{ "main": "src/entry.py", ' },
      { path: 'src/entry.py', text: 'import js\n' },
    ]);
    expect(ws.workers[0].configError).not.toBeNull();
    expect(ws.pythonProfile('src/entry.py', 'import js\n')!.known).toBe(false);
  });

  it('assigns files to the deepest Worker; scripts outside Workers are not Worker code', () => {
    const ws = new Workspace([
      { path: 'wrangler.toml', text: 'main = "src/entry.py"\ncompatibility_date = "2025-03-01"\ncompatibility_flags = ["python_workers"]\n' },
      { path: 'api/wrangler.jsonc', text: '{ "main": "src/entry.py", "compatibility_date": "2025-11-01", "compatibility_flags": ["python_workers"] }' },
      { path: 'js/wrangler.jsonc', text: '{ "main": "src/index.ts", "compatibility_date": "2025-11-01" }' },
    ]);
    expect(ws.pythonProfile('api/src/entry.py', '')!.compatibilityDate).toBe('2025-11-01');
    expect(ws.pythonProfile('src/entry.py', '')!.compatibilityDate).toBe('2025-03-01');
    // Under a JS Worker (inside the root Python Worker's folder), the root Worker does not own it: the JS one does.
    expect(ws.pythonProfile('js/tools/gen.py', 'import os\n')).toBeNull();
    expect(ws.pythonProfile('js/tools/gen.py', 'from js import fetch\n')!.known).toBe(false);
  });

  it('wrangler.json wins over wrangler.jsonc and wrangler.toml in one folder, as wrangler reads them', () => {
    const ws = new Workspace([
      { path: 'wrangler.toml', text: 'main = "src/entry.py"\ncompatibility_date = "2025-03-01"\n' },
      { path: 'wrangler.json', text: '{ "main": "src/entry.py", "compatibility_date": "2025-11-01" }' },
    ]);
    expect(ws.workers).toHaveLength(1);
    expect(ws.workers[0].configPath).toBe('wrangler.json');
  });

  it('skips the folders nobody lints, as whole path segments only', () => {
    for (const dir of ['.git', 'node_modules', '.venv', 'venv', 'python_modules', '__pycache__', '.wrangler']) {
      expect(isSkippedPath(`${dir}/wrangler.toml`), dir).toBe(true);
      expect(isSkippedPath(`app/${dir}/x/entry.py`), dir).toBe(true);
      expect(isSkippedPath(`app/${dir}`), dir).toBe(true);
      expect(isSkippedPath(`app/x${dir}/entry.py`), dir).toBe(false);
      expect(isSkippedPath(`app/${dir}x/entry.py`), dir).toBe(false);
    }
    expect(isSkippedPath('src/venv.py')).toBe(false);
    expect(isSkippedPath('')).toBe(false);
    const ws = new Workspace([
      { path: 'node_modules/pkg/wrangler.toml', text: 'main = "src/entry.py"\n' },
      { path: 'app/wrangler.toml', text: 'main = "src/entry.py"\n' },
    ]);
    expect(ws.workers.map((w) => w.configPath)).toEqual(['app/wrangler.toml']);
  });

  it("reads a Worker's pyproject.toml once, beside its config", () => {
    const ws = new Workspace([
      { path: 'w/wrangler.toml', text: 'main = "src/entry.py"\ncompatibility_date = "2026-05-01"\n' },
      { path: 'w/pyproject.toml', text: '[dependency-groups]\ndev = ["workers-py"]\n' },
      { path: 'v/wrangler.toml', text: 'main = "src/entry.py"\n' },
      { path: 'v/pyproject.toml', text: '[project\n' },
    ]);
    const [v, w] = [...ws.workers].sort((a, b) => a.root.localeCompare(b.root));
    expect(w.pyprojectPath).toBe('w/pyproject.toml');
    expect(w.pyproject?.get(['dependency-groups', 'dev', 0])?.value).toBe('workers-py');
    expect(w.profile.sdk).toBe('vendored');
    // A pyproject.toml that does not parse: known to exist, not read.
    expect(v.pyprojectPath).toBe('v/pyproject.toml');
    expect(v.pyproject).toBeNull();
  });
});
