// One view over JSONC/JSON and TOML documents: values with exact ranges, and edits that keep
// comments, key order, indentation and trailing commas.
import * as jsonc from 'jsonc-parser';
import { parseTOML, type AST } from 'toml-eslint-parser';
import { detectEol } from './text.js';
import type { OffsetEdit } from './types.js';

export type ConfigPath = (string | number)[];
export type ConfigFormat = 'jsonc' | 'toml';

export interface ConfigNode {
  path: ConfigPath;
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'other';
  value: unknown;
  /** Range of the value (for a TOML `[table]`, the whole table). */
  start: number;
  end: number;
  /** Range of the key or table header that names this value, when there is one. */
  keyStart?: number;
  keyEnd?: number;
  children: ConfigNode[];
  /** TOML only: how the object or array is written. */
  style?: 'inline' | 'table' | 'array-of-tables' | 'root' | 'implicit';
}

export class ConfigParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export class ConfigDocument {
  private constructor(
    readonly format: ConfigFormat,
    readonly text: string,
    readonly root: ConfigNode,
  ) {}

  /**
   * Parse JSONC (comments and trailing commas allowed) or TOML. Throws ConfigParseError, and only
   * that: nesting deeper than MAX_CONFIG_DEPTH (which would overflow the recursive parsers) and any
   * other failure of the parsers are parse errors too.
   */
  static parse(written: string, format: ConfigFormat): ConfigDocument {
    // A leading BOM reads as a space (as the CLI drops it on reading): same length, same offsets.
    const text = written.charCodeAt(0) === 0xfeff ? ` ${written.slice(1)}` : written;
    // Only a text with more than MAX_CONFIG_DEPTH opening brackets can nest that deep: most
    // configs skip the scan.
    const deep = !mayNestTooDeep(text) ? -1 : format === 'toml' ? tomlTooDeep(text) : jsoncTooDeep(text);
    if (deep >= 0) throw new ConfigParseError(`nested deeper than ${MAX_CONFIG_DEPTH} levels`, deep);
    try {
      return new ConfigDocument(format, text, format === 'toml' ? buildToml(text) : buildJsonc(text));
    } catch (err) {
      if (err instanceof ConfigParseError) throw err;
      throw new ConfigParseError(`cannot be read: ${err instanceof Error ? err.message : String(err)}`, 0);
    }
  }

  get data(): unknown {
    return this.root.value;
  }

  get(path: ConfigPath): ConfigNode | undefined {
    let node: ConfigNode | undefined = this.root;
    for (const seg of path) {
      if (!node) return undefined;
      node = child(node, seg);
    }
    return node;
  }

  /** Range to point at for a node: its key when it has one, else its value. */
  static keyOrValue(node: ConfigNode): { start: number; end: number } {
    return node.keyStart !== undefined ? { start: node.keyStart, end: node.keyEnd! } : { start: node.start, end: node.end };
  }

  /**
   * Edits that append a string to the array at `path`, creating the array when absent. The new
   * element follows the array's layout: on the same line for a one-line array, on a line of its
   * own (with the array's indentation and trailing-comma habit) for a multi-line one.
   */
  appendToArray(path: ConfigPath, item: string): OffsetEdit[] {
    const arr = this.get(path);
    const literal = this.literal(item);
    if (arr) {
      if (arr.kind !== 'array' || (this.format === 'toml' && arr.style !== 'inline')) {
        throw new Error(`cannot append to ${path.join('.')}: not an inline array`);
      }
      return this.insertEntry(arr, arr.children, literal);
    }
    return this.setProperty(path.slice(0, -1), String(path[path.length - 1]), `[${literal}]`, true);
  }

  /**
   * Edits that set `key` in the object at `objectPath` to a literal (already in the document's
   * syntax when `raw`, else a JS value rendered in that syntax). An existing value is replaced in
   * place; a new key goes after the object's last entry, in the object's layout.
   */
  setProperty(objectPath: ConfigPath, key: string, value: unknown, raw = false): OffsetEdit[] {
    const literal = raw ? String(value) : this.literal(value);
    const existing = this.get([...objectPath, key]);
    if (existing) return [{ start: existing.start, end: existing.end, text: literal }];
    const obj = this.get(objectPath);
    if (this.format === 'jsonc') {
      if (!obj || obj.kind !== 'object') {
        // Missing parents: let jsonc-parser create them.
        const jsValue = raw ? JSON.parse(literal) : value;
        return jsonc
          .modify(this.text, [...objectPath, key], jsValue, { formattingOptions: this.formatting() })
          .map((e) => ({ start: e.offset, end: e.offset + e.length, text: e.content }));
      }
      const entries = obj.children.map((c) => ({ start: c.keyStart ?? c.start, end: c.end }));
      return this.insertEntry(obj, entries, `${JSON.stringify(key)}: ${literal}`);
    }
    const keyText = tomlKey(key);
    if (!obj || obj.kind !== 'object') throw new Error(`no table at ${objectPath.join('.') || '(root)'}`);
    if (obj.style === 'inline') {
      const entries = obj.children.map((c) => ({ start: c.keyStart ?? c.start, end: c.end }));
      return this.insertEntry(obj, entries, `${keyText} = ${literal}`);
    }
    if (obj.style === 'implicit') return this.setInImplicitTable(obj, keyText, literal);
    const eol = this.eol();
    const entries = obj.children.filter((c) => c.style !== 'table' && c.style !== 'array-of-tables' && c.style !== 'implicit');
    const lastEntry = entries.reduce<ConfigNode | undefined>((a, c) => (!a || c.end > a.end ? c : a), undefined);
    if (lastEntry) {
      const at = this.lineEndAfter(lastEntry.end);
      const indent = indentOf(this.text, lastEntry.keyStart ?? lastEntry.start);
      return [{ start: at, end: at, text: `${eol}${indent}${keyText} = ${literal}` }];
    }
    if (obj.style === 'root') {
      // Top-level keys must come before the first table header.
      const firstTable = this.root.children
        .filter((c) => c.style === 'table' || c.style === 'array-of-tables' || c.style === 'implicit')
        .reduce((m, c) => Math.min(m, c.keyStart !== undefined ? lineStartOf(this.text, c.keyStart - 1) : c.start), this.text.length);
      return [{ start: firstTable, end: firstTable, text: `${keyText} = ${literal}${eol}` }];
    }
    // An empty [table]: right after its header line.
    const at = this.lineEndAfter(obj.keyEnd ?? obj.start);
    return [{ start: at, end: at, text: `${eol}${keyText} = ${literal}` }];
  }

  /** Replace a value in place. */
  replaceValue(path: ConfigPath, value: unknown): OffsetEdit[] {
    const node = this.get(path);
    if (!node) throw new Error(`no value at ${path.join('.')}`);
    return [{ start: node.start, end: node.end, text: this.literal(value) }];
  }

  /**
   * Remove one element of an array with its separator. An element on a line of its own goes with
   * its line (and its own trailing comment); comments of the other elements stay where they are.
   */
  removeArrayItem(path: ConfigPath): OffsetEdit[] {
    const parent = this.get(path.slice(0, -1));
    const node = this.get(path);
    if (!parent || !node || parent.kind !== 'array') throw new Error(`no array element at ${path.join('.')}`);
    if (this.format === 'toml' && parent.style !== 'inline') throw new Error(`cannot remove ${path.join('.')}: not an inline array`);
    const text = this.text;
    const i = parent.children.indexOf(node);
    const prev = parent.children[i - 1];
    const next = parent.children[i + 1];
    const afterItem = this.skipTrivia(node.end, true);
    const commaAfter = text[afterItem] === ',' ? afterItem : -1;
    const restOfLine = this.skipTrivia(commaAfter >= 0 ? commaAfter + 1 : afterItem, true, true);
    const ownLine = /^[ \t]*$/.test(text.slice(lineStartOf(text, node.start), node.start));
    const endsLine = restOfLine >= text.length || text[restOfLine] === '\n' || text[restOfLine] === '\r';
    if (ownLine && endsLine) {
      const start = lineStartOf(text, node.start);
      let end = restOfLine;
      if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
      else if (end < text.length) end += 1;
      const edits: OffsetEdit[] = [{ start, end, text: '' }];
      if (!next && commaAfter < 0 && prev) {
        // The element before becomes the last one: drop its separator.
        const sep = this.skipTrivia(prev.end, false);
        if (text[sep] === ',' && sep < start) edits.push({ start: sep, end: sep + 1, text: '' });
      }
      return edits;
    }
    if (next) return [{ start: node.start, end: next.start, text: '' }];
    if (prev) return [{ start: prev.end, end: node.end, text: '' }];
    return [{ start: node.start, end: commaAfter >= 0 ? commaAfter + 1 : node.end, text: '' }];
  }

  /** A JS value in the document's syntax (one line). */
  literal(value: unknown): string {
    return this.format === 'toml' ? tomlLiteral(value) : jsonLiteral(value);
  }

  /**
   * Insert `entry` after the last of `entries` of an object or array whose brackets are at the
   * node's start and end, following its layout.
   */
  private insertEntry(container: ConfigNode, entries: { start: number; end: number }[], entry: string): OffsetEdit[] {
    const text = this.text;
    const open = container.start;
    const close = container.end - 1;
    const eol = this.eol();
    const sameLine = (a: number, b: number) => !/[\r\n]/.test(text.slice(a, b));
    const isObject = container.kind === 'object';
    const last = entries[entries.length - 1];
    if (!last) {
      if (sameLine(open, close)) {
        const inner = text.slice(open + 1, close);
        if (inner.trim() === '') return [{ start: open + 1, end: close, text: isObject ? ` ${entry} ` : entry }];
      }
      const childIndent = indentOf(text, close) + this.indentUnit();
      return [{ start: open + 1, end: open + 1, text: `${eol}${childIndent}${entry}` }];
    }
    if (sameLine(last.end, close) || (this.format === 'toml' && isObject)) {
      return [{ start: last.end, end: last.end, text: `, ${entry}` }];
    }
    const afterLast = this.skipTrivia(last.end, true);
    const hasComma = text[afterLast] === ',';
    const lineEnd = this.skipTrivia(hasComma ? afterLast + 1 : afterLast, true, true);
    const at = Math.min(lineEnd, close);
    const indent = indentOf(text, last.start);
    if (hasComma) return [{ start: at, end: at, text: `${eol}${indent}${entry},` }];
    if (at === last.end) return [{ start: at, end: at, text: `,${eol}${indent}${entry}` }];
    return [
      { start: last.end, end: last.end, text: ',' },
      { start: at, end: at, text: `${eol}${indent}${entry}` },
    ];
  }

  /**
   * Offset after spaces, tabs and block comments from `offset` (and line breaks unless
   * `stayOnLine`); with `lineComment`, a line comment is skipped too (to the line's end).
   */
  private skipTrivia(offset: number, stayOnLine: boolean, lineComment = false): number {
    const text = this.text;
    let i = offset;
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t') i++;
      else if (!stayOnLine && (c === '\n' || c === '\r')) i++;
      else if (this.format === 'jsonc' && c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? text.length : close + 2;
      } else if ((lineComment || !stayOnLine) && (c === '#' ? this.format === 'toml' : c === '/' && text[i + 1] === '/' && this.format === 'jsonc')) {
        while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      } else return i;
    }
  }

  /**
   * A TOML table that exists only through sub-table headers (`[env.prod.ai]` with no
   * `[env.prod]`): give it its own header just before the first of those, or a dotted key when it
   * was made by dotted keys.
   */
  private setInImplicitTable(obj: ConfigNode, keyText: string, literal: string): OffsetEdit[] {
    const eol = this.eol();
    const leaf = lastDottedLeaf(obj);
    if (leaf) {
      // `a.b.c = 1` made this table: add `a.b.<key> = …` beside it.
      const segments = [...this.text.slice(leaf.keyStart, leaf.keyEnd).matchAll(TOML_KEY_SEGMENT)].map((m) => m[1]);
      const prefix = segments.slice(0, segments.length - (leaf.path.length - obj.path.length));
      const at = this.lineEndAfter(leaf.end);
      const indent = indentOf(this.text, leaf.keyStart!);
      return [{ start: at, end: at, text: `${eol}${indent}${[...prefix, keyText].join('.')} = ${literal}` }];
    }
    const headers = collectHeaders(obj);
    if (!headers.length) throw new Error(`cannot place a key in ${obj.path.join('.')}`);
    const first = Math.min(...headers.map((h) => lineStartOf(this.text, h)));
    const header = obj.path.map((seg) => tomlKey(String(seg))).join('.');
    return [{ start: first, end: first, text: `[${header}]${eol}${keyText} = ${literal}${eol}${eol}` }];
  }

  // Facts about the whole text, each found once per document: fixes for a config with many
  // sections would otherwise scan the whole text once per fix.
  private eolMemo: string | undefined;
  private indentMemo: string | undefined;

  private eol(): string {
    return (this.eolMemo ??= detectEol(this.text));
  }

  private indentUnit(): string {
    if (this.indentMemo === undefined) {
      const m = /^([ \t]+)\S/m.exec(this.text);
      this.indentMemo = m ? m[1] : '  ';
    }
    return this.indentMemo;
  }

  /** Offset of the line break ending the line that holds `offset` (the text's end on the last line). */
  private lineEndAfter(offset: number): number {
    const text = this.text;
    let i = Math.max(0, Math.min(offset, text.length));
    if (text[i] === '\n' && text[i - 1] === '\r') return i - 1;
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    return i;
  }

  private formatting(): jsonc.FormattingOptions {
    const indent = this.indentUnit();
    return {
      insertSpaces: !indent.startsWith('\t'),
      tabSize: indent.startsWith('\t') ? 1 : indent.length,
      eol: this.eol(),
    };
  }
}

// Sticky: segments follow one another from the start of the key, so a failed match ends the scan
// instead of restarting at every later offset (which is quadratic on a long bare key).
const TOML_KEY_SEGMENT = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)/gy;

/** The last key/value written with a dotted key inside an implicit TOML table, or undefined. */
function lastDottedLeaf(node: ConfigNode): ConfigNode | undefined {
  let best: ConfigNode | undefined;
  for (const c of node.children) {
    const candidate = c.style === 'implicit' ? lastDottedLeaf(c) : c.style !== 'table' && c.style !== 'array-of-tables' && c.keyStart !== undefined ? c : undefined;
    if (candidate && (!best || candidate.end > best.end)) best = candidate;
  }
  return best;
}

/** Offsets of the table headers below a TOML node (the tables that make it exist). */
function collectHeaders(node: ConfigNode): number[] {
  const out: number[] = [];
  for (const c of node.children) {
    if ((c.style === 'table' || c.style === 'array-of-tables') && c.keyStart !== undefined) out.push(c.keyStart);
    else if (c.style === 'implicit') out.push(...collectHeaders(c));
    if (c.style === 'array-of-tables') for (const el of c.children) if (el.keyStart !== undefined) out.push(el.keyStart);
  }
  return out;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** JSON on one line, with the spacing people write by hand: `["a", "b"]`, `{ "k": 1 }`. */
export function jsonLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonLiteral).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonLiteral(v)}`).join(', ')} }` : '{}';
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error(`no JSON literal for ${String(value)}`);
  return text;
}

function indentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function lineStartOf(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function tomlLiteral(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlLiteral).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${tomlKey(k)} = ${tomlLiteral(v)}`)
      .join(', ')} }`;
  }
  throw new Error(`no TOML literal for ${String(value)}`);
}

// ---- nesting ----

/** Far deeper than any real config, far shallower than what overflows the JS stack. */
export const MAX_CONFIG_DEPTH = 256;

/** False when the text has at most MAX_CONFIG_DEPTH `[` and `{` in all: it cannot nest deeper. */
function mayNestTooDeep(text: string): boolean {
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x5b || c === 0x7b) && ++brackets > MAX_CONFIG_DEPTH) return true;
  }
  return false;
}

/** Offset of the first `[` or `{` nested deeper than MAX_CONFIG_DEPTH, or -1. One scanner pass. */
function jsoncTooDeep(text: string): number {
  const scanner = jsonc.createScanner(text, true);
  let depth = 0;
  for (let t = scanner.scan(); t !== jsonc.SyntaxKind.EOF; t = scanner.scan()) {
    if (t === jsonc.SyntaxKind.OpenBraceToken || t === jsonc.SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_CONFIG_DEPTH) return scanner.getTokenOffset();
    } else if ((t === jsonc.SyntaxKind.CloseBraceToken || t === jsonc.SyntaxKind.CloseBracketToken) && depth > 0) {
      depth--;
    }
  }
  return -1;
}

/** The same for TOML: brackets and braces outside strings and comments. */
function tomlTooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
    } else if (c === '"' || c === "'") {
      const multi = text.startsWith(c.repeat(3), i);
      const close = multi ? c.repeat(3) : c;
      i += multi ? 3 : 1;
      for (; i < text.length; i++) {
        if (c === '"' && text[i] === '\\') i++;
        else if (text.startsWith(close, i)) break;
        else if (!multi && (text[i] === '\n' || text[i] === '\r')) break;
      }
      if (multi) i += 2;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return -1;
}

// ---- JSONC ----

// Nodes are made by these two functions only, always with the same properties in the same order,
// so that every node of a format shares one hidden class (object spreads of varying shapes made a
// fresh hidden class per node: slower, and most of a document's memory).

function jsoncNode(path: ConfigPath, kind: ConfigNode['kind'], value: unknown, start: number, end: number): ConfigNode {
  return { path, kind, value, start, end, keyStart: undefined, keyEnd: undefined, children: [] };
}

function tomlNode(path: ConfigPath, kind: ConfigNode['kind'], value: unknown, start: number, end: number, style: ConfigNode['style']): ConfigNode {
  return { path, kind, value, start, end, keyStart: undefined, keyEnd: undefined, children: [], style };
}

/**
 * The JSONC tree straight from jsonc-parser's visitor (the one parseTree uses, with the same
 * options): no intermediate tree to convert. The first error stops the parse, as only the first
 * is reported.
 *
 * One visitor serves every parse, its callbacks module functions working on `jsonBuild`: V8 keeps
 * optimized code only while a function object using it lives, so callbacks made anew per parse
 * would run unoptimized again after every full garbage collection. Parsing is synchronous and the
 * callbacks never parse, so one build is in progress at a time.
 */
function buildJsonc(text: string): ConfigNode {
  const b = jsonBuild;
  b.root = undefined;
  b.open.length = 0;
  b.firstChild.length = 0;
  b.done.length = 0;
  try {
    jsonc.visit(text, JSONC_VISITOR, JSONC_OPTIONS);
    if (!b.root) throw new ConfigParseError('empty document', 0);
    return b.root;
  } finally {
    // Nothing of this document stays reachable from the module.
    b.root = undefined;
    b.open.length = 0;
    b.firstChild.length = 0;
    b.done.length = 0;
  }
}

const JSONC_OPTIONS: jsonc.ParseOptions = { allowTrailingComma: true, disallowComments: false };

/**
 * The state of the JSONC build in progress: open objects and arrays (innermost last), each with
 * where its children start in `done`, the finished children of every open container in order. A
 * container takes its children (and an array its value) as arrays of their exact size when it
 * closes. `key` and its range: the property whose value comes next.
 */
const jsonBuild = {
  root: undefined as ConfigNode | undefined,
  open: [] as ConfigNode[],
  firstChild: [] as number[],
  done: [] as ConfigNode[],
  key: '',
  keyStart: 0,
  keyEnd: 0,
  /**
   * A function of the latest jsonc-parser visit, kept so that the functions that visit creates
   * anew on every call (its parser and scanner are closures) stay alive with their optimized code
   * between parses; without it, every full garbage collection sends JSONC parsing back to the
   * interpreter. It holds that one visit's state: the last text parsed, nothing more.
   */
  lastParse: undefined as unknown,
};

const JSONC_VISITOR: jsonc.JSONVisitor = {
  onObjectBegin: (offset, _length, _line, _column, pathSupplier) => {
    jsonBuild.lastParse = pathSupplier;
    jsonBegin('object', offset);
  },
  onObjectProperty: (name, offset, length) => {
    jsonBuild.key = name;
    jsonBuild.keyStart = offset;
    jsonBuild.keyEnd = offset + length;
  },
  onObjectEnd: jsonClose,
  onArrayBegin: (offset) => jsonBegin('array', offset),
  onArrayEnd: jsonClose,
  onLiteralValue: (value, offset, length) => jsonFinish(jsonMake(jsoncKind(value), value, offset, offset + length)),
  onError: (error, offset) => {
    const message = jsonc.printParseErrorCode(error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ConfigParseError(message, offset);
  },
};

/** A node for the value that starts here, with its path (and key range) from where it stands. */
function jsonMake(kind: ConfigNode['kind'], value: unknown, start: number, end: number): ConfigNode {
  const b = jsonBuild;
  const parent = b.open[b.open.length - 1];
  if (!parent) return jsoncNode([], kind, value, start, end);
  if (parent.kind === 'array') return jsoncNode(parent.path.concat(b.done.length - b.firstChild[b.firstChild.length - 1]), kind, value, start, end);
  const node = jsoncNode(parent.path.concat(b.key), kind, value, start, end);
  node.keyStart = b.keyStart;
  node.keyEnd = b.keyEnd;
  return node;
}

/** A finished value joins its parent (in the order convertJsonc of a parseTree tree added them). */
function jsonFinish(node: ConfigNode): void {
  const b = jsonBuild;
  const parent = b.open[b.open.length - 1];
  if (!parent) {
    b.root ??= node;
    return;
  }
  b.done.push(node);
  if (parent.kind === 'object') (parent.value as Record<string, unknown>)[node.path[node.path.length - 1] as string] = node.value;
}

function jsonBegin(kind: 'object' | 'array', offset: number): void {
  const b = jsonBuild;
  const node = jsonMake(kind, kind === 'object' ? {} : [], offset, offset);
  b.open.push(node);
  b.firstChild.push(b.done.length);
}

function jsonClose(offset: number, length: number): void {
  const b = jsonBuild;
  const node = b.open.pop();
  if (!node) return;
  const from = b.firstChild.pop()!;
  node.end = offset + length;
  if (b.done.length > from) {
    node.children = b.done.slice(from);
    b.done.length = from;
    if (node.kind === 'array') node.value = node.children.map(childValue);
  }
  jsonFinish(node);
}

function childValue(node: ConfigNode): unknown {
  return node.value;
}

/** The kind jsonc-parser's parseTree gives a literal. */
function jsoncKind(value: unknown): ConfigNode['kind'] {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return value === null ? 'null' : 'other';
  }
}

// ---- TOML ----

type TomlValueNode = AST.TOMLContentNode;

function buildToml(text: string): ConfigNode {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (err) {
    const e = err as { message?: string; index?: number };
    throw new ConfigParseError((e.message ?? 'invalid TOML').toLowerCase(), typeof e.index === 'number' ? e.index : 0);
  }
  const root = tomlNode([], 'object', {}, 0, text.length, 'root');
  const top = ast.body[0];
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') addKeyValue(root, item);
    else addTable(root, item);
  }
  trimChildren(root);
  return root;
}

/**
 * Children lists of their exact size: tables gain children as the document goes on, and an array
 * grown by push keeps room for more, which every document the Workspace holds would carry.
 */
function trimChildren(node: ConfigNode): void {
  const children = node.children;
  if (children.length === 0) return;
  node.children = children.slice();
  for (let i = 0; i < children.length; i++) trimChildren(children[i]);
}

/** Per node with many children, its children by key (the first one, as a search would find), caught up as children are added. */
const childIndex = new WeakMap<ConfigNode, { byKey: Map<string | number, ConfigNode>; seen: number }>();

/** Up to this many children, a search is cheaper than keeping an index. */
const SEARCHED_CHILDREN = 16;

/**
 * The child of `parent` named `seg`. Indexed beyond a few children: rules look up keys of every
 * section and TOML building looks up every key it adds, so a search of the children would be
 * quadratic on a config with many keys or sections.
 */
function child(parent: ConfigNode, seg: string | number): ConfigNode | undefined {
  const children = parent.children;
  if (children.length <= SEARCHED_CHILDREN) {
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (c.path[c.path.length - 1] === seg) return c;
    }
    return undefined;
  }
  let index = childIndex.get(parent);
  if (!index || index.seen > children.length) childIndex.set(parent, (index = { byKey: new Map(), seen: 0 }));
  for (; index.seen < children.length; index.seen++) {
    const c = children[index.seen];
    const key = c.path[c.path.length - 1];
    if (!index.byKey.has(key)) index.byKey.set(key, c);
  }
  return index.byKey.get(seg);
}

function ensureObject(parent: ConfigNode, seg: string | number, at: number): ConfigNode {
  let c = child(parent, seg);
  if (!c) {
    c = tomlNode(parent.path.concat(seg), 'object', {}, at, at, 'implicit');
    parent.children.push(c);
    (parent.value as Record<string | number, unknown>)[seg] = c.value;
  }
  return c;
}

function addKeyValue(table: ConfigNode, kv: AST.TOMLKeyValue): void {
  const keys = kv.key.keys;
  let parent = table;
  for (let i = 0; i < keys.length - 1; i++) parent = ensureObject(parent, keyName(keys[i]), kv.range[0]);
  const last = keyName(keys[keys.length - 1]);
  const node = convertToml(kv.value, parent.path.concat(last));
  node.keyStart = kv.key.range[0];
  node.keyEnd = kv.key.range[1];
  parent.children.push(node);
  (parent.value as Record<string, unknown>)[last] = node.value;
  if (parent.end < kv.range[1]) parent.end = kv.range[1];
}

function keyName(k: AST.TOMLKey['keys'][number]): string {
  return k.type === 'TOMLBare' ? k.name : String(k.value);
}

function addTable(root: ConfigNode, table: AST.TOMLTable): void {
  const key = table.resolvedKey;
  let parent = root;
  for (let i = 0; i < key.length - 1; i++) {
    const seg = key[i];
    const nextIsIndex = typeof key[i + 1] === 'number';
    let c = child(parent, seg);
    if (!c) {
      c = tomlNode(
        parent.path.concat(seg),
        nextIsIndex ? 'array' : 'object',
        nextIsIndex ? [] : {},
        table.range[0],
        table.range[1],
        nextIsIndex ? 'array-of-tables' : 'implicit',
      );
      c.keyStart = table.key.range[0];
      c.keyEnd = table.key.range[1];
      parent.children.push(c);
      (parent.value as Record<string | number, unknown>)[seg] = c.value;
    }
    if (c.end < table.range[1]) c.end = table.range[1];
    parent = c;
  }
  const seg = key[key.length - 1];
  let node = child(parent, seg);
  if (!node) {
    node = tomlNode(parent.path.concat(seg), 'object', {}, table.range[0], table.range[1], 'table');
    parent.children.push(node);
    if (Array.isArray(parent.value)) (parent.value as unknown[])[seg as number] = node.value;
    else (parent.value as Record<string | number, unknown>)[seg] = node.value;
  }
  node.style = 'table';
  node.start = table.range[0];
  node.end = table.range[1];
  node.keyStart = table.key.range[0];
  node.keyEnd = table.key.range[1];
  for (const kv of table.body) addKeyValue(node, kv);
  node.end = table.range[1];
}

function convertToml(value: TomlValueNode, path: ConfigPath): ConfigNode {
  if (value.type === 'TOMLArray') {
    const node = tomlNode(path, 'array', [], value.range[0], value.range[1], 'inline');
    const elements = value.elements;
    for (let i = 0; i < elements.length; i++) node.children.push(convertToml(elements[i], path.concat(i)));
    node.value = node.children.map(childValue);
    return node;
  }
  if (value.type === 'TOMLInlineTable') {
    const node = tomlNode(path, 'object', {}, value.range[0], value.range[1], 'inline');
    for (const kv of value.body) addKeyValue(node, kv);
    node.end = value.range[1];
    return node;
  }
  const kind =
    value.kind === 'string' ? 'string' : value.kind === 'boolean' ? 'boolean' : value.kind === 'integer' || value.kind === 'float' ? 'number' : 'other';
  const raw = (value as { value: unknown }).value;
  return tomlNode(path, kind, typeof raw === 'bigint' ? Number(raw) : raw, value.range[0], value.range[1], undefined);
}
