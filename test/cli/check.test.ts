import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parsePython } from '../../src/engine/index.js';

const BIN = resolve('bin/pyworkers-review.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pwr-cli-'));
  mkdirSync(join(dir, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const WORKER = {
  'worker/wrangler.jsonc': '{\n  // the API worker\n  "name": "api",\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n}\n',
  'worker/src/entry.py':
    'from pyodide.ffi import to_js, to_py\nfrom workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        data = to_py(await request.json())\n        return Response.json(data)\n',
  'scripts/seed.py': 'import random\nfrom pyodide.ffi import to_py  # not Worker code? it imports pyodide, so it is\n',
};

describe('pyworkers-review check', () => {
  it('prints findings like ruff, with docs links and fix hints, and exits 1', () => {
    const dir = project(WORKER);
    const r = cli(['check'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('worker/wrangler.jsonc:4:3: PW001 error');
    expect(r.stdout).toContain('worker/src/entry.py:1:32: PW004 error');
    expect(r.stdout).toMatch(/docs: https:\/\/github\.com\/.+\/docs\/rules\/PW004\.md/);
    expect(r.stdout).toContain('[*] fixable with --fix');
    expect(r.stdout).toMatch(/Found \d+ findings/);
  });

  it('emits the JSON contract of DESIGN.md', () => {
    const dir = project(WORKER);
    const r = cli(['check', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    const f = out.findings.find((x: { code: string; line: number }) => x.code === 'PW004' && x.line === 6);
    expect(Object.keys(f)).toEqual(['code', 'name', 'gotcha', 'severity', 'path', 'line', 'column', 'endLine', 'endColumn', 'message', 'docsUrl', 'fix']);
    expect(f).toMatchObject({ gotcha: 4, severity: 'error', path: 'worker/src/entry.py', column: 16, endLine: 6, endColumn: 43 });
    expect(f.fix).toEqual({
      applicability: 'safe',
      description: 'Call the `.to_py()` method',
      edits: [{ line: 6, column: 16, endLine: 6, endColumn: 43, text: '(await request.json()).to_py()' }],
    });
  });

  it('emits SARIF 2.1.0 that GitHub code scanning accepts', () => {
    const dir = project(WORKER);
    const r = cli(['check', '--format', 'sarif'], dir);
    const sarif = JSON.parse(r.stdout);
    // The parts of the SARIF 2.1.0 schema GitHub code scanning requires of an upload.
    const schema = {
      type: 'object',
      required: ['version', 'runs'],
      properties: {
        version: { const: '2.1.0' },
        runs: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['tool', 'results'],
            properties: {
              tool: {
                type: 'object',
                required: ['driver'],
                properties: {
                  driver: {
                    type: 'object',
                    required: ['name', 'rules'],
                    properties: { rules: { type: 'array', items: { type: 'object', required: ['id', 'shortDescription'] } } },
                  },
                },
              },
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['ruleId', 'message', 'locations', 'level'],
                  properties: {
                    level: { enum: ['none', 'note', 'warning', 'error'] },
                    message: { type: 'object', required: ['text'] },
                    locations: {
                      type: 'array',
                      minItems: 1,
                      items: {
                        type: 'object',
                        required: ['physicalLocation'],
                        properties: {
                          physicalLocation: {
                            type: 'object',
                            required: ['artifactLocation', 'region'],
                            properties: {
                              artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', pattern: '^[^/]' } } },
                              region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } } },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const ids = sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    for (const res of sarif.runs[0].results) expect(ids[res.ruleIndex]).toBe(res.ruleId);
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it('emits GitHub workflow annotations', () => {
    const dir = project(WORKER);
    const r = cli(['check', '--format', 'github'], dir);
    expect(r.stdout).toMatch(/^::error file=worker\/src\/entry\.py,line=1,col=32,endLine=1,endColumn=37,title=PW004 to-py-is-a-method::/m);
  });

  it('--fix applies safe fixes, keeps comments, and reports what remains', () => {
    const dir = project(WORKER);
    const r = cli(['check', '--fix'], dir);
    const py = readFileSync(join(dir, 'worker/src/entry.py'), 'utf8');
    expect(py).toContain('from pyodide.ffi import to_js\n');
    expect(py).toContain('data = (await request.json()).to_py()');
    expect(parsePython(py).rootNode.hasError).toBe(false);
    const cfg = readFileSync(join(dir, 'worker/wrangler.jsonc'), 'utf8');
    expect(cfg).toContain('// the API worker');
    expect(cfg).toMatch(/"compatibility_flags": \[\s*"python_workers"\s*\]/);
    expect(r.stdout).toMatch(/after fixing \d+|no findings remain/);
    const again = cli(['check', '--format', 'json'], dir);
    const left = JSON.parse(again.stdout).findings.filter((f: { path: string }) => f.path.startsWith('worker/'));
    expect(left).toEqual([]);
  });

  it('exits 0 on a clean project', () => {
    const dir = project({
      'wrangler.toml': 'name = "ok"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n',
      'src/entry.py': 'from workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n',
    });
    const r = cli(['check'], dir);
    expect(r.stdout).toContain('All checks passed.');
    expect(r.code).toBe(0);
  });

  it('reports a file that does not parse and still checks the others', () => {
    const dir = project({
      ...WORKER,
      'worker/src/broken.py': 'def fetch(self, request:\n    return 1\n',
    });
    const r = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    const codes = r.findings.map((f: { code: string; path: string }) => `${f.code} ${f.path}`);
    expect(codes).toContain('PW000 worker/src/broken.py');
    expect(codes).toContain('PW004 worker/src/entry.py');
  });

  it.each([
    [['check', 'missing-dir'], /missing-dir: no such file or directory/],
    [['check', '--select', 'PW999'], /unknown rule code `PW999`/],
    [['check', '--format', 'xml'], /unknown format `xml`/],
    [['check', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['frob'], /unknown command `frob`/],
  ])('usage error %j: one line on stderr, exit 2', (args, message) => {
    const dir = project(WORKER);
    const r = cli(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .+\.js:\d+/);
  });

  it('rejects a config with a typo, naming the key', () => {
    const dir = project({ ...WORKER, '.github/pyworkers-review.yml': 'rules:\n  PW004: off\nreveiw:\n  max_comments: 5\n' });
    const r = cli(['check'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key `reveiw` \(did you mean `review`\?\)/);
  });

  it('honours the repository config: rules off and severities', () => {
    const dir = project({ ...WORKER, '.github/pyworkers-review.yml': 'rules:\n  PW004: off\n  missing-python-workers-flag: warning\n' });
    const out = JSON.parse(cli(['check', '--format', 'json'], dir).stdout);
    expect(out.findings.some((f: { code: string }) => f.code === 'PW004')).toBe(false);
    expect(out.findings.find((f: { code: string }) => f.code === 'PW001').severity).toBe('warning');
  });

  it('`# noqa: CODE` silences that code only; a bare noqa silences nothing', () => {
    const dir = project({
      ...WORKER,
      'worker/src/entry.py': 'from pyodide.ffi import to_py  # noqa: PW004\nx = to_py(y)  # noqa\n',
    });
    const out = JSON.parse(cli(['check', '--format', 'json', '--select', 'PW004'], dir).stdout);
    expect(out.findings.filter((f: { path: string }) => f.path === 'worker/src/entry.py').map((f: { line: number }) => f.line)).toEqual([2]);
  });

  it('lists the rules', () => {
    const r = cli(['rules'], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PW001\s+missing-python-workers-flag/m);
  });

  it('works on the examples folder of this repository', () => {
    const r = cli(['check', 'examples', '--format', 'json'], process.cwd());
    expect(r.code).toBe(1);
    const codes = new Set(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code));
    for (const code of ['PW001', 'PW002', 'PW004']) expect(codes.has(code), code).toBe(true);
  });
});

