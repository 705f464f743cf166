// Shared by the reliability tests: the real projects under examples/ and test/corpus/good/, input
// mutations, and the invariants every analyze() result must keep whatever the input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { RULES } from '../../rules/index.js';
import {
  analyze,
  applyFixes,
  applyTextEdits,
  ConfigDocument,
  DEFAULT_CONFIG,
  languageOf,
  LineIndex,
  parsePython,
  type AnalyzeResult,
  type Finding,
  type RepoConfig,
  type SourceFile,
  type TextEdit,
} from '../../src/engine/index.js';
import { decodeText } from '../../src/local/disk.js';

export const REPO = join(import.meta.dirname, '..', '..');

// ---- corpus ----

export type Kind = 'python' | 'jsonc' | 'toml' | 'requirements' | 'package-json';
export const KINDS: readonly Kind[] = ['python', 'jsonc', 'toml', 'requirements', 'package-json'];

export interface Project {
  /** Folder, relative to the repository. */
  dir: string;
  /** Files with paths relative to the project folder. */
  files: SourceFile[];
}

export function kindOf(path: string): Kind | null {
  const lang = languageOf(path);
  if (lang === 'python' || lang === 'requirements' || lang === 'package-json') return lang;
  if (lang === 'wrangler' || lang === 'pyproject') return path.endsWith('.toml') ? 'toml' : 'jsonc';
  return null;
}

function readProject(abs: string): Project {
  const files: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (languageOf(name)) files.push({ path: relative(abs, p).split(sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(abs);
  return { dir: relative(REPO, abs).split(sep).join('/'), files };
}

/** Every project folder of examples/ and test/corpus/good/. */
export function loadProjects(): Project[] {
  const out: Project[] = [];
  for (const parent of ['examples', 'test/corpus/good']) {
    const abs = join(REPO, parent);
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) out.push(readProject(p));
    }
  }
  return out.filter((p) => p.files.length > 0);
}

export interface Seed {
  project: Project;
  target: string;
}

/** (project, file) pairs per input kind: every real file of that kind is a starting point. */
export function seedsByKind(projects: readonly Project[]): Map<Kind, Seed[]> {
  const m = new Map<Kind, Seed[]>(KINDS.map((k) => [k, []]));
  for (const project of projects) {
    for (const f of project.files) {
      const kind = kindOf(f.path);
      if (kind) m.get(kind)!.push({ project, target: f.path });
    }
  }
  return m;
}

// ---- mutations ----

/** Byte sequences that are not UTF-8: stray continuation, truncated 2/3/4-byte forms, overlong, surrogate, > U+10FFFF. */
export const INVALID_UTF8: readonly number[][] = [
  [0x80],
  [0xbf, 0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xfe, 0xff],
  [0xff],
];

export const SPECIAL = ['\0', '\uFEFF', '\t', '\r', '\r\n', '\n', '😀', '𝔘', '\u2028', '\u00a0', '\\', '"', "'", '#', '\u0301'];

export const TOKENS: Record<Kind, readonly string[]> = {
  python: [
    'from pyodide.ffi import to_py\n',
    'from pyodide.ffi import to_js\n',
    'from js import eval as js_eval\n',
    'import requests\n',
    'import random\n',
    'from workers import WorkerEntrypoint, Response, handler\n',
    'x = to_py(y)\n',
    'requests.get("https://example.com")\n',
    'to_js({"a": 1})\n',
    'random.random()\n',
    'await env.DB.prepare("select 1").bind(None).run()\n',
    'async def on_fetch(request, env):\n    return Response("hi")\n',
    'async def fetch(request, env):\n    return to_py(request)\n',
    '@handler\nasync def on_fetch(request):\n    pass\n',
    'class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return 1\n    async def scheduled(self):\n        pass\n',
    '"😀" ; x = to_py(y)\n',
    '\tx = to_py(y)\n',
    '# noqa: PW004\n',
    '  # noqa: PW004, PW003',
    'def f(:\n',
    '"""',
    "'''",
    'f"{to_py(x)}"',
    'lambda: to_py(x)',
    '\\\n',
    '(',
    ')',
    ':',
    ',',
    'to_py',
    'eval',
    ' ',
    '    ',
  ],
  jsonc: [
    '"main": "src/entry.py",',
    '"compatibility_date": "2025-11-01",',
    '"compatibility_date": "2024-01-01",',
    '"compatibility_flags": ["python_workers"],',
    '"compatibility_flags": ["python_worker", "python_no_global_handlers"],',
    '"compatibility_flags": [],',
    '"env": {"staging": {"compatibility_flags": []}},',
    '"d1_databases": [{"binding": "DB", "database_id": "x"}],',
    '// noqa: PW001\n',
    '/* c */',
    '/*',
    '*/',
    '//',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '"\\u0000"',
    '"\\ud83d"',
    'null',
    '1e309',
    '-0',
    '\n',
  ],
  toml: [
    'main = "src/entry.py"\n',
    'compatibility_date = "2025-11-01"\n',
    'compatibility_flags = ["python_workers"]\n',
    'compatibility_flags = []\n',
    '[env.staging]\ncompatibility_flags = []\n',
    '[[d1_databases]]\nbinding = "DB"\n',
    '[project]\nname = "w"\ndependencies = ["workers-py", "numpy==1.0", "requests"]\n',
    '[tool.uv]\ndev-dependencies = ["workers-py"]\n',
    '[dependency-groups]\ndev = ["workers-py"]\n',
    'a.b.c = 1\n',
    'x = { a = 1, b = [1, 2] }\n',
    '# noqa: PW001\n',
    '"""',
    "'''",
    '[',
    ']',
    '[[',
    ']]',
    '=',
    '{',
    '}',
    '"',
    '1979-05-27T07:32:00Z',
    '0x_',
    'inf',
    '\n',
  ],
  requirements: [
    'numpy==1.26.0\n',
    'pydantic>=2 ; python_version < "3.13"\n',
    'requests[security]>=2.0\n',
    '-r other.txt\n',
    '--index-url https://example.com/simple\n',
    'git+https://github.com/a/b.git\n',
    'pkg @ https://example.com/pkg.whl\n',
    'workers-py\n',
    'psycopg2-binary\n',
    '# comment\n',
    '  numpy  # trailing\n',
    '==',
    '[',
    '\\\n',
    ';',
    '\n',
  ],
  'package-json': [
    '"scripts": {"dev": "wrangler dev --config py/wrangler.jsonc & wrangler dev --config js/wrangler.jsonc"},',
    '"scripts": {"deploy": "pywrangler deploy"},',
    '"dependencies": {"wrangler": "^4.0.0"},',
    '"devDependencies": {"workers-py": "1.0.0"},',
    '"scripts": null,',
    '"scripts": [],',
    '{',
    '}',
    '[',
    ']',
    ',',
    '"',
    '//',
    '\n',
  ],
};

/** Deep-nesting brackets per kind: [open, close]. */
export const NESTING: Record<Kind, readonly [string, string][]> = {
  python: [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
    ['f(', ')'],
    ['-', ''],
    ['not ', ''],
    ['a + ', ''],
    ['x.', 'y'],
  ],
  jsonc: [
    ['[', ']'],
    ['{"a":', '}'],
  ],
  toml: [
    ['[', ']'],
    ['{a=', '}'],
  ],
  requirements: [
    ['[', ']'],
    ['(', ')'],
  ],
  'package-json': [
    ['[', ']'],
    ['{"a":', '}'],
  ],
};

export type Mutation =
  | { op: 'flipByte'; at: number; bit: number }
  | { op: 'invalidUtf8'; at: number; seq: number }
  | { op: 'special'; at: number; which: number; count: number }
  | { op: 'token'; at: number; which: number }
  | { op: 'eol'; style: 'crlf' | 'cr' | 'lf' }
  | { op: 'tabs' }
  | { op: 'bom' }
  | { op: 'nest'; at: number; span: number; which: number; depth: number; closed: boolean }
  | { op: 'longLine'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'empty' }
  | { op: 'duplicate'; from: number; len: number; at: number }
  | { op: 'delete'; at: number; len: number };

/** A position in the text, moved off the middle of a surrogate pair. */
function pos(text: string, n: number): number {
  let i = n % (text.length + 1);
  const c = text.charCodeAt(i);
  if (i > 0 && c >= 0xdc00 && c <= 0xdfff) {
    const p = text.charCodeAt(i - 1);
    if (p >= 0xd800 && p <= 0xdbff) i++;
  }
  return i;
}

function insert(text: string, at: number, s: string): string {
  return text.slice(0, at) + s + text.slice(at);
}

/** Apply one mutation; byte-level ones go through UTF-8 and back with the CLI's lenient decoder. */
export function mutate(text: string, m: Mutation, kind: Kind): string {
  switch (m.op) {
    case 'flipByte': {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      const i = m.at % bytes.length;
      bytes[i] ^= 1 << m.bit;
      return decodeText(bytes);
    }
    case 'invalidUtf8': {
      const bytes = Buffer.from(text, 'utf8');
      const i = m.at % (bytes.length + 1);
      return decodeText(Buffer.concat([bytes.subarray(0, i), Buffer.from(INVALID_UTF8[m.seq % INVALID_UTF8.length]), bytes.subarray(i)]));
    }
    case 'special':
      return insert(text, pos(text, m.at), SPECIAL[m.which % SPECIAL.length].repeat(m.count));
    case 'token': {
      const list = TOKENS[kind];
      return insert(text, pos(text, m.at), list[m.which % list.length]);
    }
    case 'eol': {
      const eol = m.style === 'crlf' ? '\r\n' : m.style === 'cr' ? '\r' : '\n';
      return text.replace(/\r\n|\r|\n/g, eol);
    }
    case 'tabs':
      return text.replace(/^( {4})+/gm, (s) => '\t'.repeat(s.length / 4));
    case 'bom':
      return '\uFEFF' + text;
    case 'nest': {
      const [open, close] = NESTING[kind][m.which % NESTING[kind].length];
      const a = pos(text, m.at);
      const b = m.closed ? pos(text, a + (m.span % (text.length - a + 1))) : a;
      const wrapped = text.slice(0, a) + open.repeat(m.depth) + text.slice(a, b);
      return wrapped + (m.closed ? close.repeat(m.depth) : '') + text.slice(b);
    }
    case 'longLine':
      return insert(text, pos(text, m.at), 'x'.repeat(m.length));
    case 'truncate':
      return text.slice(0, pos(text, m.at));
    case 'empty':
      return '';
    case 'duplicate': {
      const from = pos(text, m.from);
      const to = pos(text, from + (m.len % (text.length - from + 1)));
      return insert(text, pos(text, m.at), text.slice(from, to));
    }
    case 'delete': {
      const a = pos(text, m.at);
      const b = pos(text, a + (m.len % (text.length - a + 1)));
      return text.slice(0, a) + text.slice(b);
    }
  }
}

// ---- parsing the way the engine does ----

/** Whether the text parses in the language the engine reads `path` in (requirements always do). */
export function parses(path: string, text: string): boolean {
  const kind = kindOf(path);
  try {
    if (kind === 'python') return !parsePython(text).rootNode.hasError;
    if (kind === 'toml') ConfigDocument.parse(text, 'toml');
    else if (kind === 'jsonc' || kind === 'package-json') ConfigDocument.parse(text, 'jsonc');
    return true;
  } catch {
    return false;
  }
}

// ---- invariants ----

export interface Tally {
  inputs: number;
  parsed: number;
  findings: number;
  fixesChecked: number;
  safeFixesReparsed: number;
  skipped: number;
  parseErrors: number;
  ops: Record<string, number>;
}

export function newTally(): Tally {
  return { inputs: 0, parsed: 0, findings: 0, fixesChecked: 0, safeFixesReparsed: 0, skipped: 0, parseErrors: 0, ops: {} };
}

/** Lines of a text split independently of LineIndex: \r\n, \r and \n end a line. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

interface Lines {
  lines: string[];
  index: LineIndex;
}

const linesCache = new Map<string, Lines>();

function linesOf(text: string): Lines {
  let l = linesCache.get(text);
  if (!l) {
    if (linesCache.size > 16) linesCache.clear();
    linesCache.set(text, (l = { lines: splitLines(text), index: new LineIndex(text) }));
  }
  return l;
}

/** Problems with a range (1-based, UTF-16 columns, end exclusive) in a text; [] when it lies inside. */
export function rangeProblems(text: string, r: { line: number; column: number; endLine: number; endColumn: number }): string[] {
  const { lines, index } = linesOf(text);
  const out: string[] = [];
  if (index.lineCount !== lines.length) out.push(`LineIndex counts ${index.lineCount} lines, the text has ${lines.length}`);
  const at = (line: number, column: number, what: string) => {
    if (!Number.isInteger(line) || !Number.isInteger(column)) return out.push(`${what} ${line}:${column} is not an integer`);
    if (line < 1 || line > lines.length) return out.push(`${what} line ${line} outside 1..${lines.length}`);
    const len = lines[line - 1].length;
    if (column < 1 || column > len + 1) return out.push(`${what} column ${column} outside 1..${len + 1} of line ${line}`);
    if (index.lineText(line) !== lines[line - 1]) out.push(`LineIndex text of line ${line} differs`);
    const offset = index.offset(line, column);
    if (offset > 0 && offset < text.length && isLow(text.charCodeAt(offset)) && isHigh(text.charCodeAt(offset - 1))) {
      out.push(`${what} ${line}:${column} splits a surrogate pair`);
    }
  };
  at(r.line, r.column, 'start');
  at(r.endLine, r.endColumn, 'end');
  if (r.endLine < r.line || (r.endLine === r.line && r.endColumn < r.column)) out.push(`end ${r.endLine}:${r.endColumn} before start ${r.line}:${r.column}`);
  return out;
}

/** Safe fixes applied and re-parsed one by one per file; the rest are checked together. */
const MAX_SINGLE_FIX_CHECKS = 20;

export interface CheckOptions {
  config?: RepoConfig;
}

/**
 * Every invariant of one analyze() result, as a list of problems (empty when all hold):
 * no rule error; findings and fix edits inside their file; a safe fix of a file that parsed
 * leaves a file that parses, alone and together with the other safe fixes; files over the size
 * limit are skipped with a note and get no finding.
 */
export function resultProblems(files: readonly SourceFile[], result: AnalyzeResult, tally?: Tally, opts: CheckOptions = {}): string[] {
  const problems: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const limit = (opts.config ?? DEFAULT_CONFIG).limits.max_file_bytes;
  for (const e of result.ruleErrors) problems.push(`rule error ${e.code} in ${e.path}: ${e.message}`);
  const parsedCache = new Map<string, boolean>();
  const parsedBefore = (path: string) => {
    let p = parsedCache.get(path);
    if (p === undefined) parsedCache.set(path, (p = parses(path, byPath.get(path)!)));
    return p;
  };
  const byFile = new Map<string, Finding[]>();
  const checkedPerFile = new Map<string, number>();
  for (const f of result.findings) {
    const text = byPath.get(f.path);
    const where = `${f.code} ${f.path}:${f.line}:${f.column}`;
    if (text === undefined) {
      problems.push(`${where}: finding for a file not analysed`);
      continue;
    }
    if (tally) tally.findings++;
    if (f.code === 'PW000' && tally) tally.parseErrors++;
    for (const p of rangeProblems(text, f)) problems.push(`${where}: ${p}`);
    if (!f.fix) continue;
    byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
    if (tally) tally.fixesChecked++;
    for (const [i, e] of f.fix.edits.entries()) for (const p of rangeProblems(text, e)) problems.push(`${where}: fix edit ${i}: ${p}`);
    if (f.fix.applicability !== 'safe' || !parsedBefore(f.path)) continue;
    // Each check re-parses the file: a few per file, then only all of them together (below).
    const checked = (checkedPerFile.get(f.path) ?? 0) + 1;
    checkedPerFile.set(f.path, checked);
    if (checked > MAX_SINGLE_FIX_CHECKS) continue;
    let fixed: string;
    try {
      fixed = applyTextEdits(text, f.fix.edits as TextEdit[]);
    } catch (err) {
      problems.push(`${where}: safe fix does not apply: ${(err as Error).message}`);
      continue;
    }
    if (!parses(f.path, fixed)) problems.push(`${where}: safe fix leaves a file that does not parse: ${JSON.stringify(f.fix.edits).slice(0, 300)}`);
    else if (tally) tally.safeFixesReparsed++;
  }
  for (const [path, findings] of byFile) {
    if (!parsedBefore(path)) continue;
    try {
      const { text } = applyFixes(byPath.get(path)!, findings, ['safe']);
      if (!parses(path, text)) problems.push(`${path}: the safe fixes together leave a file that does not parse`);
    } catch (err) {
      problems.push(`${path}: applying the safe fixes together failed: ${(err as Error).message}`);
    }
  }
  for (const f of files) {
    if (!languageOf(f.path)) continue;
    const bytes = Buffer.byteLength(f.text, 'utf8');
    const skipped = result.skipped.find((s) => s.path === f.path);
    if (skipped && tally) tally.skipped++;
    if (bytes > limit) {
      if (!skipped) problems.push(`${f.path}: ${bytes} bytes, over limits.max_file_bytes (${limit}), not skipped`);
      else if (!/max_file_bytes/.test(skipped.reason)) problems.push(`${f.path}: skipped without naming the limit: ${skipped.reason}`);
      if (result.findings.some((x) => x.path === f.path)) problems.push(`${f.path}: over the size limit but has findings`);
    }
  }
  return problems;
}

/** analyze() over all registered rules, returning the problems (a throw is one). */
export function analyzeAndCheck(files: SourceFile[], tally?: Tally, config?: RepoConfig): string[] {
  let result: AnalyzeResult;
  try {
    result = analyze({ files, rules: RULES, config });
  } catch (err) {
    return [`analyze threw: ${(err as Error).stack ?? String(err)}`.slice(0, 2000)];
  }
  return resultProblems(files, result, tally, { config });
}

/** Replace one file of a project. */
export function withFile(project: Project, path: string, text: string): SourceFile[] {
  return project.files.map((f) => (f.path === path ? { path, text } : f));
}
