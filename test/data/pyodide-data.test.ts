import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readJson = (...parts: string[]): any => JSON.parse(readFileSync(join(ROOT, ...parts), 'utf8'));

const VERSIONS = ['0.26', '0.28', '314'] as const;

const packages = readJson('rules', 'data', 'pyodide-packages.json');
const natives = readJson('rules', 'data', 'native-packages.json');
const stdlib = readJson('rules', 'data', 'stdlib-pyodide.json');

describe('rules/data/pyodide-packages.json', () => {
  it('has the three Pyodide lines with their npm sources', () => {
    expect(Object.keys(packages.versions).sort()).toEqual([...VERSIONS].sort());
    expect(packages.versions['0.26'].pyodide).toBe('0.26.4');
    expect(packages.versions['0.26'].runtimePyodide).toBe('0.26.0a2');
    expect(packages.versions['0.28'].pyodide).toBe('0.28.2');
    expect(packages.versions['314'].pyodide).toBe('314.0.4');
    for (const v of VERSIONS) {
      expect(packages.versions[v].source).toBe(`npm pyodide@${packages.versions[v].pyodide} pyodide-lock.json`);
      expect(Object.keys(packages.versions[v].packages).length).toBe(packages.versions[v].counts.packages);
    }
  });

  it('uses PEP 503 names only', () => {
    for (const v of VERSIONS) {
      for (const name of Object.keys(packages.versions[v].packages)) {
        expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }
    }
  });

  it('has no psycopg2 in any version', () => {
    for (const v of VERSIONS) {
      expect(packages.versions[v].packages['psycopg2']).toBeUndefined();
      expect(packages.versions[v].packages['psycopg2-binary']).toBeUndefined();
    }
  });

  it.each(['lxml', 'cryptography', 'pillow'])('has %s in every version', (name) => {
    for (const v of VERSIONS) {
      expect(packages.versions[v].packages[name], `${name} in ${v}`).toBeDefined();
    }
  });

  it('marks compiled wheels native and "any" wheels pure', () => {
    for (const v of VERSIONS) {
      const p = packages.versions[v].packages;
      expect(p['numpy'].native).toBe(true);
      expect(p['micropip'].native).toBe(false);
      expect(p['beautifulsoup4'].native).toBe(false);
    }
  });

  it('maps import names to distributions (import bs4 -> beautifulsoup4)', () => {
    for (const v of VERSIONS) {
      expect(packages.versions[v].packages['beautifulsoup4'].imports).toContain('bs4');
    }
  });

  it('keeps shared libraries and unvendored stdlib modules out of the package map', () => {
    expect(packages.versions['0.26'].sharedLibraries['openssl']).toBeDefined();
    expect(packages.versions['0.26'].packages['openssl']).toBeUndefined();
    expect(packages.versions['0.26'].unvendoredStdlib['ssl']).toEqual(['_ssl', 'ssl']);
    expect(packages.versions['0.26'].packages['ssl']).toBeUndefined();
  });
});

describe('rules/data/native-packages.json', () => {
  const list = natives.packages as Record<string, { alternative: string; reason: string; source: string; imports: string[] }>;

  it('states its provenance', () => {
    expect(natives.$comment).toMatch(/curated; checked against the three locks/);
  });

  it('lists psycopg2 with pg8000 as the alternative', () => {
    expect(list['psycopg2'].alternative).toMatch(/pg8000/);
    expect(list['psycopg2-binary'].alternative).toMatch(/pg8000/);
    expect(list['psycopg2'].imports).toContain('psycopg2');
  });

  it('has 15-30 entries, each with alternative, reason and source', () => {
    const names = Object.keys(list);
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(names.length).toBeLessThanOrEqual(30);
    for (const name of names) {
      for (const field of ['alternative', 'reason', 'source'] as const) {
        expect(typeof list[name][field], `${name}.${field}`).toBe('string');
        expect(list[name][field].length, `${name}.${field}`).toBeGreaterThan(0);
      }
    }
  });

  it('lists nothing that any Pyodide lock contains', () => {
    for (const name of Object.keys(list)) {
      for (const v of VERSIONS) {
        expect(packages.versions[v].packages[name], `${name} in ${v}`).toBeUndefined();
      }
    }
  });
});

describe('rules/data/stdlib-pyodide.json (measured in Node)', () => {
  const mod = (v: string, name: string) => stdlib.versions[v].modules[name];

  it('loaded every version', () => {
    for (const v of VERSIONS) {
      expect(stdlib.versions[v].loads).toBe(true);
      expect(stdlib.versions[v].verifiedWith).toMatch(/^node v\d+\.\d+\.\d+ \+ npm pyodide@/);
    }
  });

  it('pty and tty fail to import before 314 (no termios) and import on 314', () => {
    for (const v of ['0.26', '0.28']) {
      expect(mod(v, 'pty').import).toBe('fails');
      expect(mod(v, 'pty').importError).toMatch(/termios/);
      expect(mod(v, 'tty').import).toBe('fails');
    }
    expect(mod('314', 'pty').import).toBe('ok');
    expect(mod('314', 'tty').import).toBe('ok');
  });

  it('tkinter, curses, venv and _pydecimal fail to import everywhere', () => {
    for (const v of VERSIONS) {
      for (const name of ['tkinter', 'curses', 'venv', '_pydecimal']) {
        expect(mod(v, name).import, `${name} on ${v}`).toBe('fails');
        expect(mod(v, name).importError, `${name} on ${v}`).toMatch(/^ModuleNotFoundError/);
      }
    }
  });

  it('threading and multiprocessing import but cannot be used', () => {
    for (const v of VERSIONS) {
      for (const name of ['threading', 'multiprocessing']) {
        expect(mod(v, name).import).toBe('ok');
        expect(mod(v, name).use).toBe('fails');
      }
    }
    expect(mod('314', 'threading').useError).toMatch(/can't start new thread/);
  });

  it('socket imports everywhere; a real TCP round trip fails under Node in every version', () => {
    for (const v of VERSIONS) {
      expect(mod(v, 'socket').import).toBe('ok');
      expect(mod(v, 'socket').use).toBe('fails');
    }
  });

  it('decimal works (C implementation)', () => {
    for (const v of VERSIONS) {
      expect(mod(v, 'decimal').use).toBe('ok');
      expect(mod(v, '_decimal').import).toBe('ok');
    }
  });

  it('ssl, sqlite3 and lzma are separate lock packages before 314 and built in on 314', () => {
    for (const name of ['ssl', 'sqlite3', 'lzma']) {
      for (const v of ['0.26', '0.28']) {
        expect(mod(v, name).import).toBe('fails');
        expect(mod(v, name).lockPackage).toBe(name);
      }
      expect(mod('314', name).import).toBe('ok');
      expect(mod('314', name).use).toBe('ok');
    }
  });
});

describe('test/fixtures/openapi request schemas', () => {
  const fixtures = ['pulls-create-review', 'checks-create', 'checks-update'].map((name) => ({
    name,
    schema: readJson('test', 'fixtures', 'openapi', `${name}.request.json`),
  }));

  const makeAjv = () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
    return ajv;
  };

  it.each(fixtures)('$name compiles with Ajv and names its source', ({ schema }) => {
    expect(schema.$comment).toMatch(/@octokit\/openapi@\d+\.\d+\.\d+/);
    expect(JSON.stringify(schema)).not.toContain('"$ref"');
    expect(() => makeAjv().compile(schema)).not.toThrow();
  });

  it('pulls/create-review accepts a minimal review and rejects a wrong line type', () => {
    const validate = makeAjv().compile(fixtures[0].schema);
    const review = {
      commit_id: '0123456789abcdef0123456789abcdef01234567',
      event: 'COMMENT',
      body: 'pyworkers-review found 1 issue',
      comments: [{ path: 'src/entry.py', line: 12, side: 'RIGHT', body: 'Use .to_py() on the JsProxy' }],
    };
    expect(validate(review), JSON.stringify(validate.errors)).toBe(true);
    const bad = { ...review, comments: [{ ...review.comments[0], line: 'x' }] };
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/comments/0/line')).toBe(true);
    expect(validate({ ...review, event: 'LGTM' })).toBe(false);
  });

  it('checks/create and checks/update accept a completed run with annotations', () => {
    const create = makeAjv().compile(fixtures[1].schema);
    const update = makeAjv().compile(fixtures[2].schema);
    const run = {
      name: 'pyworkers-review',
      head_sha: '0123456789abcdef0123456789abcdef01234567',
      status: 'completed',
      conclusion: 'neutral',
      completed_at: '2026-11-27T12:00:00Z',
      output: {
        title: '1 issue',
        summary: 'One finding',
        annotations: [{ path: 'src/entry.py', start_line: 3, end_line: 3, annotation_level: 'warning', message: 'm' }],
      },
    };
    expect(create(run), JSON.stringify(create.errors)).toBe(true);
    const { head_sha: _ignored, ...patch } = run;
    expect(update(patch), JSON.stringify(update.errors)).toBe(true);
    expect(create({ ...run, conclusion: 'great' })).toBe(false);
    expect(update({ ...patch, output: { ...patch.output, annotations: [{ path: 'a', start_line: 'one' }] } })).toBe(false);
  });
});
