// Hostile input, one case at a time: 10,000-deep nesting in every language, 1 MB lines, the size
// limit, empty files, NUL, BOM, line endings, tabs, invalid UTF-8 read from disk. Each case checks
// the invariants of resultProblems() and what the engine should say about the input.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze, DEFAULT_CONFIG, parseRepoConfig, type Finding, type RepoConfig, type SourceFile } from '../../src/engine/index.js';
import { ruleKeys } from '../../rules/index.js';
import { readDisk } from '../../src/local/disk.js';
import { analyzeAndCheck, loadProjects, REPO, resultProblems } from './harness.js';

const WRANGLER = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';
const ENTRY = 'from pyodide.ffi import to_py\nfrom workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response(to_py(request))\n';

function worker(extra: Record<string, string>): SourceFile[] {
  const files: Record<string, string> = { 'wrangler.toml': WRANGLER, 'src/entry.py': ENTRY, ...extra };
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

function run(files: SourceFile[], config?: RepoConfig) {
  const result = analyze({ files, rules: RULES, config });
  expect(resultProblems(files, result, undefined, { config })).toEqual([]);
  return result;
}

function withLimit(bytes: number): RepoConfig {
  return { ...DEFAULT_CONFIG, limits: { max_file_bytes: bytes } };
}

const D = 10_000;

describe('10,000-deep nesting', () => {
  const python: [string, string][] = [
    ['parentheses', `x = ${'('.repeat(D)}1${')'.repeat(D)}\n`],
    ['lists', `x = ${'['.repeat(D)}${']'.repeat(D)}\n`],
    ['dicts and sets', `x = ${'{1: {'.repeat(D / 2)}${'}}'.repeat(D / 2)}\n`],
    ['calls of a trigger at every level', `x = ${'to_py('.repeat(D)}y${')'.repeat(D)}\n`],
    ['unclosed calls of a trigger', `x = ${'to_py('.repeat(D)}\n`],
    ['a binary chain of triggers', `x = ${'to_py(a) + '.repeat(D)}1\n`],
    ['an attribute chain', `x = a${'.b'.repeat(D)}\n`],
    ['not not not', `x = ${'not '.repeat(D)}a\n`],
    ['lambdas', `f = ${'lambda: '.repeat(D)}to_py(x)\n`],
    ['calls whose string arguments hold closing brackets', `x = ${'to_py(")]}", '.repeat(D)}y${')'.repeat(D)}\n`],
  ];
  it.each(python)('Python: %s', (_, body) => {
    const r = run(worker({ 'src/deep.py': `from pyodide.ffi import to_py\n${body}` }));
    expect(r.skipped.filter((s) => s.path === 'src/deep.py' && !/deep/.test(s.reason))).toEqual([]);
  });

  // Brackets inside strings and comments are no nesting, and closing ones there must not cancel
  // real nesting out: the rules are not run, and the deep bracket is reported where Python stops.
  it.each([
    ['string arguments', `x = ${'f(")", '.repeat(D)}1${')'.repeat(D)}\n`, { line: 2, column: 'x = '.length + 200 * 'f(")", '.length + 2 }],
    ['comments', `x = ${'f(  # )\n'.repeat(D)}1${')'.repeat(D)}\n`, { line: 202, column: 2 }],
    ['f-strings', `x = ${'f(f")", '.repeat(D)}1${')'.repeat(D)}\n`, { line: 2, column: 'x = '.length + 200 * 'f(f")", '.length + 2 }],
  ])('Python: closing brackets in %s hide no nesting', (_, body, at) => {
    const r = run(worker({ 'src/deep.py': `from pyodide.ffi import to_py\n${body}` }));
    expect(r.skipped.filter((s) => s.path === 'src/deep.py').map((s) => s.reason)).toEqual([expect.stringMatching(/nested deeper than 200 levels/)]);
    const pw000 = r.findings.filter((f) => f.path === 'src/deep.py' && f.code === 'PW000');
    expect(pw000.map((f) => ({ line: f.line, column: f.column, message: f.message }))).toEqual([
      { ...at, message: expect.stringMatching(/too many nested parentheses/) },
    ]);
  });

  const configs: [string, string, string][] = [
    ['wrangler.jsonc', 'arrays', `{"main": "src/entry.py", "x": ${'['.repeat(D)}${']'.repeat(D)}}`],
    ['wrangler.jsonc', 'objects', `{"main": "src/entry.py", "x": ${'{"a": '.repeat(D)}1${'}'.repeat(D)}}`],
    ['wrangler.jsonc', 'unclosed arrays', `{"main": "src/entry.py", "x": ${'['.repeat(D)}`],
    ['wrangler.toml', 'arrays', `main = "src/entry.py"\nx = ${'['.repeat(D)}${']'.repeat(D)}\n`],
    ['wrangler.toml', 'inline tables', `main = "src/entry.py"\nx = ${'{a = '.repeat(D)}1${'}'.repeat(D)}\n`],
  ];
  it.each(configs)('%s, %s: a PW000 at the first bracket too deep, the Worker\'s runtime unknown', (path, _, text) => {
    const files = [{ path, text }, { path: 'src/entry.py', text: ENTRY }];
    const r = run(files);
    const pw000 = r.findings.filter((f) => f.code === 'PW000' && f.path === path);
    expect(pw000).toHaveLength(1);
    expect(pw000[0].message).toMatch(/nested deeper than \d+ levels/);
    expect(pw000[0].line).toBe(path.endsWith('.toml') ? 2 : 1);
    expect(r.workspace.workers).toHaveLength(1);
    expect(r.workspace.workers[0].profile.known).toBe(false);
    expect(r.profiles.get('src/entry.py')?.known).toBe(false);
  });

  it.each([
    ['package.json', `{"scripts": ${'['.repeat(D)}${']'.repeat(D)}}`],
    ['pyproject.toml', `[project]\ndependencies = ${'['.repeat(D)}${']'.repeat(D)}\n`],
    ['requirements.txt', `numpy${'['.repeat(D)}${']'.repeat(D)}\nrequests${'('.repeat(D)}\n`],
  ])('%s', (path, text) => {
    const r = run(worker({ [path]: text }));
    if (path !== 'requirements.txt') expect(r.findings.some((f) => f.path === path && f.code === 'PW000')).toBe(true);
  });

  it('nesting under the limit still parses (256 levels of arrays in JSONC and TOML)', () => {
    const r = run(
      worker({
        'package.json': `{"x": ${'['.repeat(250)}${']'.repeat(250)}}`,
        'pyproject.toml': `[project]\nname = "w"\nx = ${'['.repeat(250)}${']'.repeat(250)}\n`,
      }),
    );
    expect(r.findings.filter((f) => f.code === 'PW000')).toEqual([]);
  });
});

describe('size limit (limits.max_file_bytes)', () => {
  const MB = 1_000_000;
  const lines: [string, (n: number) => string][] = [
    ['src/long.py', (n) => `from pyodide.ffi import to_py\nx = "${'a'.repeat(n)}" ; y = to_py(z)\n`],
    ['wrangler.toml', (n) => `${WRANGLER}name = "${'a'.repeat(n)}"\n`],
    ['pyproject.toml', (n) => `[project]\nname = "${'a'.repeat(n)}"\ndependencies = ["numpy"]\n`],
    ['package.json', (n) => `{"name": "${'a'.repeat(n)}", "scripts": {"dev": "wrangler dev & pywrangler dev"}}`],
    ['requirements.txt', (n) => `numpy\n${'a'.repeat(n)}\n`],
  ];

  it.each(lines)('%s with a 1 MB line: skipped with a note by default, checked under a larger limit', (path, make) => {
    const text = make(MB);
    const files = worker({ [path]: text });
    const byDefault = run(files);
    expect(byDefault.skipped).toContainEqual({ path, reason: `larger than limits.max_file_bytes (${MB})` });
    expect(byDefault.findings.filter((f) => f.path === path)).toEqual([]);
    const raised = run(files, withLimit(2 * MB));
    expect(raised.skipped.map((s) => s.path)).not.toContain(path);
    if (path === 'src/long.py') expect(raised.findings.some((f) => f.path === path && f.code === 'PW004' && f.line === 2)).toBe(true);
  });

  it('counts UTF-8 bytes, not UTF-16 units; exactly the limit is checked, one byte more is skipped', () => {
    const limit = 4_000;
    const body = (bytes: number) => `x = 1 # ${'😀'.repeat((bytes - 9) / 4)}\n`; // 9 ASCII bytes + 4 per emoji
    const at = body(limit - 3);
    const over = body(limit + 1);
    expect(Buffer.byteLength(at)).toBe(limit - 3);
    const files = worker({ 'src/at.py': at + 'y=1', 'src/over.py': over });
    expect(Buffer.byteLength(files.find((f) => f.path === 'src/at.py')!.text)).toBe(limit);
    expect(Buffer.byteLength(files.find((f) => f.path === 'src/over.py')!.text)).toBe(limit + 1);
    expect(files.find((f) => f.path === 'src/over.py')!.text.length).toBeLessThan(limit);
    const r = run(files, withLimit(limit));
    expect(r.skipped.map((s) => s.path)).toEqual(['src/over.py']);
  });

  it('the limit comes from .github/pyworkers-review.yml and the CLI prints the note', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwr-rel-'));
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, '.github'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, '.github/pyworkers-review.yml'), 'limits:\n  max_file_bytes: 2000\n');
    writeFileSync(join(dir, 'wrangler.toml'), WRANGLER);
    writeFileSync(join(dir, 'src/entry.py'), ENTRY);
    writeFileSync(join(dir, 'src/big.py'), `from pyodide.ffi import to_py\nx = to_py(${'y'.repeat(3000)})\n`);
    const r = spawnSync(process.execPath, [join(REPO, 'bin/pyworkers-review.js'), 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toContain('src/big.py: skipped, larger than limits.max_file_bytes (2000)');
    const findings = JSON.parse(r.stdout).findings as Finding[];
    expect(findings.some((f) => f.path === 'src/entry.py' && f.code === 'PW004')).toBe(true);
    expect(findings.some((f) => f.path === 'src/big.py')).toBe(false);
    expect(parseRepoConfig('limits:\n  max_file_bytes: 2000\n', ruleKeys()).limits.max_file_bytes).toBe(2000);
  });
});

describe('empty files, NUL, BOM, line endings, tabs', () => {
  const NAMES = ['wrangler.jsonc', 'wrangler.toml', 'pyproject.toml', 'package.json', 'requirements.txt', 'src/entry.py'];

  it('every kind of file empty, alone and all together', () => {
    for (const path of NAMES) expect(analyzeAndCheck([{ path, text: '' }])).toEqual([]);
    const r = run(NAMES.map((path) => ({ path, text: '' })));
    // An empty wrangler.jsonc is no config: PW000, and its Worker's runtime is unknown.
    expect(r.findings.filter((f) => f.code === 'PW000').map((f) => f.path)).toContain('wrangler.jsonc');
    expect(r.workspace.workers.find((w) => w.configPath === 'wrangler.jsonc')?.profile.known).toBe(false);
  });

  it('a NUL byte in Python is a syntax error (as in CPython); in configs, no crash', () => {
    const r = run(worker({ 'src/nul.py': 'from workers import Response\nx = 1\0\n', 'package.json': '{"a": "\0"}', 'pyproject.toml': '\0' }));
    expect(r.findings.find((f) => f.path === 'src/nul.py' && f.code === 'PW000')).toMatchObject({ line: 2 });
  });

  /** Findings with their positions, for comparing two runs over the same content. */
  const key = (f: Finding) => `${f.path}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code} ${f.fix?.applicability ?? '-'}`;

  it('a leading BOM changes nothing but the columns of line 1, in every file of every example', () => {
    for (const project of loadProjects()) {
      const plain = run(project.files);
      const bom = run(project.files.map((f) => ({ path: f.path, text: `\uFEFF${f.text}` })));
      const shift = (f: Finding) => (f.line === 1 ? { ...f, column: f.column - 1, endColumn: f.endLine === 1 ? f.endColumn - 1 : f.endColumn } : f);
      expect(bom.findings.map((f) => key(shift(f))), project.dir).toEqual(plain.findings.map(key));
    }
  });

  // TOML allows only LF and CRLF (TOML 1.0, "Newline"): TOML files keep LF under lone CR.
  it.each([
    ['CRLF', '\r\n', /./],
    ['lone CR', '\r', /(?<!\.toml)$/],
  ])('%s line endings give the same findings at the same positions as LF, in every example', (_, eol, converts) => {
    for (const project of loadProjects()) {
      const plain = run(project.files);
      const converted = run(project.files.map((f) => (converts.test(f.path) ? { path: f.path, text: f.text.replace(/\r\n|\r|\n/g, eol) } : f)));
      expect(converted.findings.map(key), project.dir).toEqual(plain.findings.map(key));
    }
  });

  it('a lone CR in TOML is a parse error, as the TOML spec has it', () => {
    const r = run(worker({ 'wrangler.toml': WRANGLER.replace(/\n/g, '\r') }));
    expect(r.findings.filter((f) => f.code === 'PW000').map((f) => f.path)).toEqual(['wrangler.toml']);
  });

  it('tab indentation gives the same findings on the same lines as spaces', () => {
    const code = (f: Finding) => `${f.path}:${f.line} ${f.code}`;
    for (const project of loadProjects()) {
      const plain = run(project.files);
      const tabs = run(project.files.map((f) => (f.path.endsWith('.py') ? { path: f.path, text: f.text.replace(/^( {4})+/gm, (s) => '\t'.repeat(s.length / 4)) } : f)));
      expect(tabs.findings.map(code), project.dir).toEqual(plain.findings.map(code));
    }
  });
});

describe('files read from disk', () => {
  it('invalid UTF-8 becomes U+FFFD, a BOM is dropped, and the engine checks what was read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pwr-rel-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'wrangler.toml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(WRANGLER)]));
    writeFileSync(
      join(dir, 'src/entry.py'),
      Buffer.concat([Buffer.from('from pyodide.ffi import to_py\n# '), Buffer.from([0xff, 0xc3, 0xed, 0xa0, 0x80]), Buffer.from('\nx = to_py(y)\n')]),
    );
    const disk = readDisk([dir], dir);
    expect(disk.unreadable).toEqual([]);
    const entry = disk.files.find((f) => f.path === 'src/entry.py')!;
    expect(entry.text).toContain('# \uFFFD');
    expect(entry.text).not.toMatch(/[\uD800-\uDFFF]/);
    expect(disk.files.find((f) => f.path === 'wrangler.toml')!.text).toBe(WRANGLER);
    const r = run(disk.files);
    expect(r.findings.map((f) => `${f.path}:${f.line} ${f.code}`)).toContain('src/entry.py:3 PW004');
  });
});
