// Reading Python from its text before asking its tree: tokens, and the names import statements
// spell out. Shared by the runner (aliases of trigger words) and the rules.
import type { PythonSource } from './python.js';

// ---------------------------------------------------------------------------------------------
// Reading the text first. In node-tree-sitter every node, `parent` or field lookup crosses N-API
// and costs microseconds, so rules read the text around a word to rule most places out, and ask
// the tree only where the text cannot decide. The readers follow tree-sitter-python's lexer, which
// is laxer than CPython's: between two tokens it skips any Unicode white space (its extras are
// `[\s\f\uFEFF\u2060\u200B]`, `\` line continuations, also `\` + NUL, and comments), and where no
// NEWLINE token is expected it skips line breaks too (`def\nfetch():` and `from\ntkinter import x`
// parse without error). They rely on the grammar, so they are only used on trees without errors:
// `readsTextFirst` is false for a tree with an ERROR or MISSING node, and rules then ask the tree.
// ---------------------------------------------------------------------------------------------

/** Switch for tests: false makes every rule take the tree-only path (the shortcuts must agree with it). */
export const textShortcuts = { enabled: true };

/** True when rules may decide from the text: the tree has no syntax error (asked once per file). */
export function readsTextFirst(source: PythonSource): boolean {
  return textShortcuts.enabled && !source.hasError;
}

/** White space tree-sitter-python skips between tokens (Unicode \s, which JS's \s lacks U+0085 of), line breaks included. */
function isBlank(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    (c > 127 && (c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff))
  );
}

/** An ASCII word character (what `\w` matches). */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * True for a character code that may continue a Python identifier: ASCII word characters and,
 * conservatively, any non-ASCII character (outside strings and comments Python accepts one only
 * inside an identifier). NaN (outside the text) is none.
 */
export function isWordCode(c: number): boolean {
  return isWordChar(c) || c > 127;
}

/** A character of an identifier as tree-sitter reads one: ASCII word characters, or any non-ASCII character that is not white space. */
export function isNameChar(c: number): boolean {
  return isWordChar(c) || (c > 127 && !isBlank(c));
}

/** Offsets of the line breaks of a file (`\r\n` counts once, at its `\r`), found on first use. */
const lineBreaksCache = new WeakMap<PythonSource, number[]>();

/** Offset of the first line break at or after `at` (text.length if none): comments end there. */
function lineBreakAfter(source: PythonSource, at: number): number {
  // A comment can hold many `#`; one scan per file keeps skipping comments linear.
  let breaks = lineBreaksCache.get(source);
  if (!breaks) {
    breaks = [];
    for (const m of source.text.matchAll(/\r\n?|\n/g)) breaks.push(m.index!);
    lineBreaksCache.set(source, breaks);
  }
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < breaks.length ? breaks[lo]! : source.text.length;
}

/** Offset of the first character of the next token at or after `at`, past blanks, continuations and comments (text.length at the end). */
export function nextTokenAt(source: PythonSource, at: number): number {
  const text = source.text;
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    // `\` and NUL: line continuations (`\` + line break, `\` + NUL); outside strings and
    // comments nothing else may follow a `\`.
    if (isBlank(c) || c === 0 || c === 92) i++;
    else if (c === 35 /* # */) i = lineBreakAfter(source, i);
    else break;
  }
  return i;
}

/**
 * The token that ends right before `at`: a keyword or name (ASCII only), one punctuation character,
 * '' at the start of the file, or null when the text cannot tell: a comment may end the line the
 * previous token is on (comments are read forwards only), or a non-ASCII name may be involved.
 * Going back over a line break lands on the last character of an earlier line; that is the previous
 * token's unless the line holds a `#`.
 */
export function tokenBefore(source: PythonSource, at: number): string | null {
  return prevToken(source, at);
}

/** Set by prevToken: the offset of the token it returned (-1 at the start of the file). */
let prevStart = -1;

/** tokenBefore, setting prevStart. */
function prevToken(source: PythonSource, at: number): string | null {
  const text = source.text;
  let i = at - 1;
  let crossedLine = false;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) crossedLine = true;
    else if (!(isBlank(c) || c === 0 || c === 92)) break;
  }
  prevStart = -1;
  if (i < 0) return '';
  if (crossedLine) {
    // Each line is read here for at most one token: the first token after it.
    for (let j = i; j >= 0 && text[j] !== '\n' && text[j] !== '\r'; j--) if (text[j] === '#') return null;
  }
  const c = text.charCodeAt(i);
  if (c > 127) return null;
  if (!isWordChar(c)) {
    prevStart = i;
    return text[i]!;
  }
  let start = i;
  while (start > 0 && isWordChar(text.charCodeAt(start - 1))) start--;
  if (start > 0 && text.charCodeAt(start - 1) > 127) return null;
  prevStart = start;
  return text.slice(start, i + 1);
}

/**
 * The first character of the next token at or after `end`: '' at the end of the file, null when it
 * is not ASCII (the text cannot tell what it is).
 */
export function charAfter(source: PythonSource, end: number): string | null {
  const at = nextTokenAt(source, end);
  if (at >= source.text.length) return '';
  return source.text.charCodeAt(at) > 127 ? null : source.text[at]!;
}

/** The name (identifier characters) starting at `at`, or ''. */
function nameAt(text: string, at: number): string {
  let end = at;
  while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
  return text.slice(at, end);
}

/** Module names the import statements of a file spell out, read from the text. */
export interface ImportedModuleNames {
  /** Dotted names written after `import` and after each `,` of its list: the modules of `import a.b, c as d`. */
  imported: string[];
  /** Dotted names written after `from` (`from a.b import x`; also what `yield from a.b` reads). Relative ones (`.a`) are left out. */
  fromModules: string[];
  /** The first segments of `imported` and of `fromModules`. */
  heads: { imported: Set<string>; from: Set<string> };
  /** Where the names of each import list start (after `import`), and the module of a `from` statement's list ('' for `import a, b`; relative ones keep their dots). */
  lists: { at: number; module: string }[];
}

/** An import binding read from the text: `local` is bound to `module` + '.' + `name` (to `name` when module is ''). */
export interface TextBinding {
  local: string;
  module: string;
  name: string;
}

/** The qualified name a TextBinding binds, as PythonSource.imports() spells it. */
export function qualifiedName(b: TextBinding): string {
  return b.module ? `${b.module}.${b.name}` : b.name;
}

const bindingsCache = new WeakMap<PythonSource, TextBinding[]>();

/**
 * The bindings the import statements importedModuleNames reads make (`import a.b` binds `a` to
 * `a`, `import a.b as c` binds `c` to `a.b`, `from m import x as y` binds `y` to `m.x`). More than
 * the file's, never fewer: words in strings and comments are read too. `module`, when given, limits
 * them to the `from module import` lists (read only those).
 */
export function importBindings(source: PythonSource, module?: string): TextBinding[] {
  if (module === undefined) {
    let all = bindingsCache.get(source);
    if (!all) bindingsCache.set(source, (all = readBindings(source, undefined)));
    return all;
  }
  return readBindings(source, module);
}

function readBindings(source: PythonSource, only: string | undefined): TextBinding[] {
  const text = source.text;
  const out: TextBinding[] = [];
  for (const { at, module } of importedModuleNames(source).lists) {
    if (only !== undefined && module !== only) continue;
    let i = nextTokenAt(source, at);
    if (module && text.charCodeAt(i) === 40 /* ( */) i++;
    for (;;) {
      const name = readDotted(source, i);
      if (!name) break;
      const head = readHead;
      i = nextTokenAt(source, readEnd);
      const alias = readAlias(source, i);
      if (alias) i = nextTokenAt(source, readEnd);
      // `import a.b` binds a; `from m import a.b` (tree-sitter reads it) binds the whole name.
      out.push(module ? { local: alias || name, module, name } : alias ? { local: alias, module: '', name } : { local: head, module: '', name: head });
      if (text.charCodeAt(i) !== 44 /* , */) break;
      i++;
    }
  }
  return out;
}

const importedModulesCache = new WeakMap<PythonSource, ImportedModuleNames>();

/** Whether a dotted name's first segment is `head` (`urllib.parse` and `urllib`). */
export function headIs(dotted: string, head: string): boolean {
  return dotted.startsWith(head) && (dotted.length === head.length || dotted.charCodeAt(head.length) === 46 /* . */);
}

/** True when the whole name at `at` is `word`. */
function isWordAt(text: string, at: number, word: string): boolean {
  return text.startsWith(word, at) && !isNameChar(text.charCodeAt(at + word.length));
}

/** Set by readDotted: the offset after the name it read, and the name's first segment. */
let readEnd = 0;
let readHead = '';

/**
 * `a.b.c` from the next token at or after `at` on (blanks, continuations and comments around the
 * dots dropped); '' when no name starts there. `import` and `from` are keywords, never names: a
 * reading that meets one stops (it belongs to the next statement, or the text is no code).
 */
function readDotted(source: PythonSource, at: number): string {
  const text = source.text;
  let i = nextTokenAt(source, at);
  readEnd = i;
  const first = nameAt(text, i);
  if (!first || first === 'import' || first === 'from') return '';
  readHead = first;
  let dotted = first;
  i += first.length;
  for (;;) {
    const dot = nextTokenAt(source, i);
    if (text.charCodeAt(dot) !== 46 /* . */) break;
    const next = nextTokenAt(source, dot + 1);
    const part = nameAt(text, next);
    if (!part || part === 'import' || part === 'from') break;
    dotted += '.' + part;
    i = next + part.length;
  }
  readEnd = i;
  return dotted;
}

/** After an `as` at `at` (if one is there): the alias, with readEnd after it; '' and readEnd = at otherwise. */
function readAlias(source: PythonSource, at: number): string {
  const text = source.text;
  readEnd = at;
  if (!isWordAt(text, at, 'as')) return '';
  const i = nextTokenAt(source, at + 2);
  const alias = nameAt(text, i);
  readEnd = i + alias.length;
  return alias;
}

/** True when the word at [at, end) is a whole word (what `\bword\b` finds: ASCII word characters). */
export function wholeWord(text: string, at: number, end: number): boolean {
  return !(at > 0 && isWordChar(text.charCodeAt(at - 1))) && !isWordChar(text.charCodeAt(end));
}

/**
 * The module of the `from` statement an `import` keyword at `at` ends (`a.b` of `from a.b import`,
 * `..` of `from .. import`), read backwards: '' when the tokens before it are no `from` and a
 * module, null when the text cannot tell (a comment may hide a token). Sets readEnd to the offset
 * after the module and readHead to its first name ('' for a relative module).
 */
function fromModuleBefore(source: PythonSource, at: number): string | null {
  const text = source.text;
  let afterName = false;
  let length = 0;
  let start = at;
  let head = '';
  for (let end = at; ; ) {
    const token = prevToken(source, end);
    if (token === null) return null;
    if (end === at) readEnd = prevStart + token.length;
    if (token === 'from') {
      if (length === 0) return '';
      readHead = head.charCodeAt(0) === 46 ? '' : head;
      // Most modules are written without blanks: one slice of the text.
      if (readEnd - start === length) return text.slice(start, readEnd);
      let module = '';
      for (let i = start; i < readEnd; i = nextTokenAt(source, i)) {
        const name = nameAt(text, i);
        module += name || '.';
        i += name.length || 1;
      }
      return module;
    }
    if (token === '.') {
      afterName = false;
    } else if (!afterName && token !== '' && isWordChar(token.charCodeAt(0))) {
      afterName = true;
    } else {
      return '';
    }
    head = token;
    length += token.length;
    start = end = prevStart;
  }
}

/** The module names of a file's import statements: see importedModuleNames. */
function readImports(source: PythonSource, found: ImportedModuleNames, backwards: boolean): boolean {
  const text = source.text;
  // The `import` keywords of `from m import` read on the line of m, in text order (forwards).
  const paired: number[] = [];
  if (!backwards) {
    for (let at = text.indexOf('from'); at >= 0; at = text.indexOf('from', at + 4)) {
      if (!wholeWord(text, at, at + 4)) continue;
      // `from ..a.b import x as y, z`: dots, a dotted name, `import`, the names.
      let i = nextTokenAt(source, at + 4);
      let dots = '';
      while (text.charCodeAt(i) === 46 /* . */) {
        dots += '.';
        i = nextTokenAt(source, i + 1);
      }
      const dotted = readDotted(source, i);
      if (!dotted && !dots) continue;
      const moduleEnd = dotted ? readEnd : i;
      const keyword = nextTokenAt(source, moduleEnd);
      if (!isWordAt(text, keyword, 'import')) {
        if (dotted && !dots) {
          found.fromModules.push(dotted);
          found.heads.from.add(readHead);
        }
        continue;
      }
      if (onOneLine(text, moduleEnd, keyword)) paired.push(keyword);
      if (dotted && !dots) found.heads.from.add(readHead);
      addFromStatement(found, dots + dotted, keyword + 6);
    }
  }
  let next = 0;
  // (A search for a word with a rarer first letter scans faster: `mport`, then the `i` before it.)
  for (let m = text.indexOf('mport'); m >= 0; m = text.indexOf('mport', m + 5)) {
    const at = m - 1;
    if (at < 0 || text.charCodeAt(at) !== 105 /* i */ || !wholeWord(text, at, m + 5)) continue;
    if (backwards) {
      const module = fromModuleBefore(source, at);
      if (module === null) return false;
      if (module) {
        const sameLine = onOneLine(text, readEnd, at);
        if (readHead) found.heads.from.add(readHead);
        addFromStatement(found, module, at + 6);
        // `from m` on an earlier line may end another statement (`yield from m`): the names are
        // read as modules too.
        if (sameLine) continue;
      }
    } else {
      while (next < paired.length && paired[next]! < at) next++;
      if (next < paired.length && paired[next] === at) continue;
    }
    // `import a.b as c, d`: a dotted name, maybe `as` and a name, then `,` and the next item.
    found.lists.push({ at: m + 5, module: '' });
    let i = m + 5;
    for (;;) {
      const item = readDotted(source, i);
      if (!item) break;
      found.imported.push(item);
      found.heads.imported.add(readHead);
      i = nextTokenAt(source, readEnd);
      if (readAlias(source, i)) i = nextTokenAt(source, readEnd);
      if (text.charCodeAt(i) !== 44 /* , */) break;
      i++;
    }
  }
  return true;
}

/** True when only spaces, tabs and form feeds lie between `from` and `to`. */
function onOneLine(text: string, from: number, to: number): boolean {
  let i = from;
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 12; c = text.charCodeAt(++i));
  return i === to;
}

/** A `from module import` statement whose names start at `after`: its module (not relative) and where to read its names. */
function addFromStatement(found: ImportedModuleNames, module: string, after: number): void {
  if (module.charCodeAt(0) !== 46 /* . */) found.fromModules.push(module);
  found.lists.push({ at: after, module });
}

/**
 * The module names a file's import statements spell out, read from the text. Every import
 * statement has an `import` keyword: each `import` word is found by a search (in strings and
 * comments too: it finds more, never less); the tokens before it tell `from m import` (read
 * backwards) from `import`, and the names after it are read token by token. Where a comment may
 * hide a token before an `import`, every `from` word is searched for instead and read forwards.
 * Only for trees without errors (readsTextFirst): the reading follows the grammar.
 */
export function importedModuleNames(source: PythonSource): ImportedModuleNames {
  let found = importedModulesCache.get(source);
  if (!found) importedModulesCache.set(source, (found = readImportedModuleNames(source)));
  return found;
}

/** importedModuleNames, read again (no cache). */
function readImportedModuleNames(source: PythonSource): ImportedModuleNames {
  const found = emptyImportNames();
  if (readImports(source, found, true)) return found;
  const forwards = emptyImportNames();
  readImports(source, forwards, false);
  return forwards;
}

function emptyImportNames(): ImportedModuleNames {
  return { imported: [], fromModules: [], heads: { imported: new Set(), from: new Set() }, lists: [] };
}
