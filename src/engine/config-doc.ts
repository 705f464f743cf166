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
    const deep = format === 'toml' ? tomlTooDeep(text) : jsoncTooDeep(text);
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

function buildJsonc(text: string): ConfigNode {
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    const message = e ? jsonc.printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'empty document';
    throw new ConfigParseError(message, e ? e.offset : 0);
  }
  return convertJsonc(tree, []);
}

function convertJsonc(node: jsonc.Node, path: ConfigPath): ConfigNode {
  const base = { path, start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const children: ConfigNode[] = [];
      const value: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = String(keyNode.value);
        const child = convertJsonc(valueNode, [...path, key]);
        child.keyStart = keyNode.offset;
        child.keyEnd = keyNode.offset + keyNode.length;
        children.push(child);
        value[key] = child.value;
      }
      return { ...base, kind: 'object', value, children };
    }
    case 'array': {
      const children = (node.children ?? []).map((c, i) => convertJsonc(c, [...path, i]));
      return { ...base, kind: 'array', value: children.map((c) => c.value), children };
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return { ...base, kind: node.type, value: node.value, children: [] };
    default:
      return { ...base, kind: 'other', value: node.value, children: [] };
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
  const root: ConfigNode = { path: [], kind: 'object', value: {}, start: 0, end: text.length, children: [], style: 'root' };
  const top = ast.body[0];
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') addKeyValue(root, item);
    else addTable(root, item);
  }
  return root;
}

function keyNames(key: AST.TOMLKey): string[] {
  return key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : String(k.value)));
}

/** Per node, its children by key (the first one, as a search would find), caught up as children are added. */
const childIndex = new WeakMap<ConfigNode, { byKey: Map<string | number, ConfigNode>; seen: number }>();

/**
 * The child of `parent` named `seg`. Indexed: rules look up keys of every section and TOML
 * building looks up every key it adds, so a search of the children would be quadratic on a config
 * with many keys or sections.
 */
function child(parent: ConfigNode, seg: string | number): ConfigNode | undefined {
  let index = childIndex.get(parent);
  if (!index || index.seen > parent.children.length) childIndex.set(parent, (index = { byKey: new Map(), seen: 0 }));
  for (; index.seen < parent.children.length; index.seen++) {
    const c = parent.children[index.seen];
    const key = c.path[c.path.length - 1];
    if (!index.byKey.has(key)) index.byKey.set(key, c);
  }
  return index.byKey.get(seg);
}

function ensureObject(parent: ConfigNode, seg: string | number, at: number): ConfigNode {
  let c = child(parent, seg);
  if (!c) {
    c = { path: [...parent.path, seg], kind: 'object', value: {}, start: at, end: at, children: [], style: 'implicit' };
    parent.children.push(c);
    (parent.value as Record<string | number, unknown>)[seg] = c.value;
  }
  return c;
}

function addKeyValue(table: ConfigNode, kv: AST.TOMLKeyValue): void {
  const names = keyNames(kv.key);
  let parent = table;
  for (const seg of names.slice(0, -1)) parent = ensureObject(parent, seg, kv.range[0]);
  const last = names[names.length - 1];
  const node = convertToml(kv.value, [...parent.path, last]);
  node.keyStart = kv.key.range[0];
  node.keyEnd = kv.key.range[1];
  parent.children.push(node);
  (parent.value as Record<string, unknown>)[last] = node.value;
  if (parent.end < kv.range[1]) parent.end = kv.range[1];
}

function addTable(root: ConfigNode, table: AST.TOMLTable): void {
  const key = table.resolvedKey;
  let parent = root;
  for (let i = 0; i < key.length - 1; i++) {
    const seg = key[i];
    const nextIsIndex = typeof key[i + 1] === 'number';
    let c = child(parent, seg);
    if (!c) {
      c = {
        path: [...parent.path, seg],
        kind: nextIsIndex ? 'array' : 'object',
        value: nextIsIndex ? [] : {},
        start: table.range[0],
        end: table.range[1],
        keyStart: table.key.range[0],
        keyEnd: table.key.range[1],
        children: [],
        style: nextIsIndex ? 'array-of-tables' : 'implicit',
      };
      parent.children.push(c);
      (parent.value as Record<string | number, unknown>)[seg] = c.value;
    }
    if (c.end < table.range[1]) c.end = table.range[1];
    parent = c;
  }
  const seg = key[key.length - 1];
  let node = child(parent, seg);
  if (!node) {
    node = { path: [...parent.path, seg], kind: 'object', value: {}, start: table.range[0], end: table.range[1], children: [], style: 'table' };
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
  const base = { path, start: value.range[0], end: value.range[1], children: [] as ConfigNode[] };
  if (value.type === 'TOMLArray') {
    const children = value.elements.map((e, i) => convertToml(e, [...path, i]));
    return { ...base, kind: 'array', value: children.map((c) => c.value), children, style: 'inline' };
  }
  if (value.type === 'TOMLInlineTable') {
    const node: ConfigNode = { ...base, kind: 'object', value: {}, style: 'inline' };
    for (const kv of value.body) addKeyValue(node, kv);
    node.end = value.range[1];
    return node;
  }
  {
    const kind =
      value.kind === 'string' ? 'string' : value.kind === 'boolean' ? 'boolean' : value.kind === 'integer' || value.kind === 'float' ? 'number' : 'other';
    const raw = (value as { value: unknown }).value;
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    return { ...base, kind, value: v };
  }
}
