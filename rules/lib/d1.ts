// D1 values in Python Worker code, and the local value tracking binding rules share: a name's
// value is the right-hand side of its last simple assignment (`name = value`) earlier in the same
// function (or at module level). No flow analysis beyond that.
//
// Cost: in node-tree-sitter every node object, field, child list and `.text` crosses N-API, and a
// rule can afford very few of them next to the parse. So a name's assignments and uses are found
// in the text first (`name` followed by `=`, occurrences after an offset), each one that can
// matter is confirmed by one cursor descent (types and ranges as plain data), and nodes are made
// only for the answers.
import { typeName, type PathLevel, type PathWalker, type PythonSource, type SyntaxNode } from '../../src/engine/python.js';
import { isWordCode, readsTextFirst } from '../../src/engine/python-text.js';

/** The expression inside any number of parentheses. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
  return n;
}

/** The outermost parenthesized expression that wraps exactly `node` (or `node` itself). */
export function outermostParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression' && n.parent.namedChildCount === 1) n = n.parent;
  return n;
}

/** The operand of `await x`. */
export function awaited(node: SyntaxNode): SyntaxNode | null {
  return node.type === 'await' && node.namedChildCount > 0 ? unwrap(node.namedChildren[0]) : null;
}

/** For a call `obj.method(...)`: the method name, else null. */
export function methodName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? null) : null;
}

export function argumentCount(call: SyntaxNode): number {
  return call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment').length ?? 0;
}

/** An offset range of a function or lambda; null stands for module level. */
export type Scope = { start: number; end: number } | null;

export function sameScope(a: Scope, b: Scope): boolean {
  return a === null ? b === null : b !== null && a.start === b.start && a.end === b.end;
}

export function scopeKey(scope: Scope): string {
  return scope ? `${scope.start}:${scope.end}` : 'module';
}

/** (The engine's: an ASCII word character or any non-ASCII one; NaN, outside the text, is none.) */
export { isWordCode };

/**
 * Offsets of `name` as a whole word in text[from, to): not next to a character that may continue
 * an identifier. Strings and comments included: callers confirm each with the tree.
 */
export function nameOffsets(text: string, name: string, from = 0, to = text.length): number[] {
  const out: number[] = [];
  const last = to - name.length;
  for (let at = text.indexOf(name, from); at >= 0 && at <= last; at = text.indexOf(name, at + 1)) {
    if (!isWordCode(text.charCodeAt(at - 1)) && !isWordCode(text.charCodeAt(at + name.length))) out.push(at);
  }
  return out;
}

/** The first offset at or after `at` that is not a blank or a line continuation (`\` at a line end). */
export function skipBlanks(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12) i++;
    else if (c === 92 && text[i + 1] === '\n') i += 2;
    else if (c === 92 && text[i + 1] === '\r') i += text[i + 2] === '\n' ? 3 : 2;
    else return i;
  }
}

/**
 * True when the next token after a name ending at `end` may continue it into a callee: `(`, or `.`
 * when `dot` allows it. Line breaks and comments are passed over: inside brackets the `(` or `.`
 * may come on a later line (outside them the statement ended there, and reading on only lets more
 * through). A name followed by anything else (`,`, `)`, `=`, ` as`, an operator, the next
 * statement's first word, the end of the text) is neither called nor the object of an attribute.
 */
export function mayContinueToCall(text: string, end: number, dot = true): boolean {
  for (let i = end; ; ) {
    i = skipBlanks(text, i);
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      i++;
    } else if (c === 35 /* # */) {
      while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else {
      return c === 40 /* ( */ || (dot && c === 46) /* . */;
    }
  }
}

/**
 * The index of the last character before `at` that is not a blank, or -1 when a line break (or the
 * start of the text) comes first: a comment may end there, so the text before it says nothing.
 */
export function charBefore(text: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i--;
  return i >= 0 && text[i] !== '\n' && text[i] !== '\r' ? i : -1;
}

const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);

/**
 * Finds identifier occurrences in the tree with one TreeCursor (the engine's PathWalker): the path
 * from the root to an occurrence comes back as plain types and ranges, and with it the function
 * around it (no function index needed).
 */
export class Occurrences {
  private walker: PathWalker | null = null;
  /** A second cursor, for scopeAt and assignmentOfLeft (walks from the root that keep no path). */
  private cursor: ReturnType<SyntaxNode['walk']> | null = null;

  constructor(readonly source: PythonSource) {}

  /**
   * Moves the path to the deepest node holding [start, end); returns its depth. (The walker is
   * borrowed for the file's lifetime, not given back: this Occurrences is shared per file.)
   */
  descend(start: number, end: number): number {
    return (this.walker ??= this.source.walker()).descend(start, end);
  }

  /**
   * The path to the identifier at exactly [start, end) (path[depth] is the identifier), or -1
   * when the text there is no identifier (it is in a string or a comment, or part of a longer
   * token). `path` is valid until the next call.
   */
  identifier(start: number, end: number): number {
    const depth = this.descend(start, end);
    const leaf = this.walker!.path[depth]!;
    return leaf.type === 'identifier' && leaf.start === start && leaf.end === end ? depth : -1;
  }

  get path(): readonly PathLevel[] {
    return this.walker!.path;
  }

  /** The innermost function or lambda on the path strictly around [start, end), from `depth` up. */
  scopeOnPath(depth: number, start: number, end: number): Scope {
    const path = this.walker!.path;
    for (let k = depth; k >= 0; k--) {
      const level = path[k]!;
      if (FUNCTION_TYPES.has(level.type) && !(level.start === start && level.end === end)) return { start: level.start, end: level.end };
    }
    return null;
  }

  /**
   * The innermost function or lambda strictly around [start, end) (what enclosingFunction gives for
   * a node there): what scopeOnPath says of the full path, from a walk down the statements only. It
   * reads each level's type (by its id) and goes through modules, blocks and compound statements;
   * functions and lambdas on the way are checked to hold [start, end) (the path holds only nodes
   * that do). At the first other node (a simple statement, an expression, a header part) a deeper
   * function or lambda would start in that node's text before `start` (or at it), with `def` or
   * `lambda`: without either word there (strings and comments included), the walk's answer is the
   * path's; with one, the full path decides.
   */
  scopeAt(start: number, end: number): Scope {
    // An empty range at a node's end is on the path that last held it: that walk decides.
    if (start === end) return this.scopeOnPath(this.descend(start, end), start, end);
    const cursor = (this.cursor ??= this.source.root.walk());
    cursor.gotoDescendant(0);
    let scope: Scope = null;
    while (cursor.gotoFirstChildForIndex(start) !== null) {
      const type = typeName(cursor);
      if (type === 'function_definition' || type === 'lambda') {
        const s = cursor.startIndex;
        const e = cursor.endIndex;
        // Not on the path, or [start, end) itself (which scopeOnPath skips): nothing deeper is around it.
        if (s > start || e < end || (s === start && e === end)) return scope;
        scope = { start: s, end: e };
      } else if (!STATEMENT_CONTAINERS.has(type)) {
        const s = cursor.startIndex;
        if (s > start) return scope;
        const text = this.source.text;
        if (!hasWordIn(text, 'def', s, start + 3) && !hasWordIn(text, 'lambda', s, start + 6)) return scope;
        return this.scopeOnPath(this.descend(start, end), start, end);
      }
    }
    return scope;
  }

  /** The node at `depth` of the path last returned. */
  nodeAt(depth: number): SyntaxNode {
    return this.walker!.nodeAt(depth);
  }

  /**
   * When the identifier at exactly [start, end) is the first child of an assignment that starts at
   * `start`: that assignment's range and scopeOnPath's answer for the identifier (the innermost
   * function or lambda around it). Null otherwise. What identifier() and its path say, from one
   * walk down from the root that reads each level's type (by its id) and only the ranges of
   * functions, lambdas, assignments and the last node: the walk goes to the first child ending
   * after `start` until there is none, and every node on the way to an identifier at exactly
   * [start, end) holds it; when the walk ends anywhere else there is no such identifier.
   */
  assignmentOfLeft(start: number, end: number): { start: number; end: number; scope: Scope } | null {
    const cursor = (this.cursor ??= this.source.root.walk());
    cursor.gotoDescendant(0);
    // The root (a module) is neither a function nor an assignment: its type is not read.
    let type = '';
    let parentType = '';
    let scope: Scope = null;
    let assignmentStart = -1;
    let assignmentEnd = -1;
    while (cursor.gotoFirstChildForIndex(start) !== null) {
      parentType = type;
      type = typeName(cursor);
      if (type === 'function_definition' || type === 'lambda') {
        scope = { start: cursor.startIndex, end: cursor.endIndex };
      } else if (type === 'assignment') {
        assignmentStart = cursor.startIndex;
        assignmentEnd = cursor.endIndex;
      }
    }
    // The parent is the last assignment the walk entered.
    if (type !== 'identifier' || parentType !== 'assignment' || assignmentStart !== start) return null;
    if (cursor.startIndex !== start || cursor.endIndex !== end) return null;
    return { start: assignmentStart, end: assignmentEnd, scope };
  }
}

/** Nodes whose children are statements, clauses or blocks (a function or lambda inside starts a child of its own). */
const STATEMENT_CONTAINERS = new Set([
  'module', 'block', 'class_definition', 'decorated_definition', 'if_statement', 'elif_clause', 'else_clause', 'for_statement',
  'while_statement', 'try_statement', 'except_clause', 'except_group_clause', 'finally_clause', 'with_statement',
  'match_statement', 'case_clause',
]);

const occurrencesBySource = new WeakMap<PythonSource, Occurrences>();

/**
 * The file's Occurrences, shared by every rule and helper that reads it: its cursors are made once
 * per file. Sharing is safe because a path is read right after the call that made it (rules run one
 * after another, and no helper calls another between the two).
 */
export function occurrencesOf(source: PythonSource): Occurrences {
  let found = occurrencesBySource.get(source);
  if (!found) occurrencesBySource.set(source, (found = new Occurrences(source)));
  return found;
}

/** An assignment `name = value` (or `name: T = value`), found from the text and confirmed by the tree. */
export interface Assignment {
  start: number;
  end: number;
  /** Where the name on its left ends. */
  nameEnd: number;
  /** The function (or module) it binds in. */
  scope: Scope;
  /** Made on first use. */
  node: SyntaxNode | null;
  /** D1Values.awaitsAll's answer, once asked. */
  awaitsAll?: boolean;
}

/** Per name: where the text shows `name =` or `name:`, and what the tree said of each. */
interface Candidates {
  offsets: number[];
  /** undefined: not asked yet; null: not a simple assignment with a value. */
  verdicts: (Assignment | null | undefined)[];
  /**
   * For an index found not to be an assignment: the nearest earlier index that is one (-1: none),
   * so that a run of non-assignments (`name: value` in dicts, `name=` keywords) is stepped over
   * once, not once per read.
   */
  back: Int32Array;
}

const UNSET = -2;

/** The number of offsets below `offset` (offsets sorted). */
function countBelow(offsets: readonly number[], offset: number): number {
  let hi = offsets.length;
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isAsciiWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * True when `word` occurs in text[from, to) with no ASCII word character (letter, digit, `_`) right
 * before or after it inside that range: what `/\bword\b/.test(text.slice(from, to))` says, without
 * the regex (a per-character alternation) and without searching past `to`.
 */
export function hasWordIn(text: string, word: string, from: number, to: number): boolean {
  // Searched in the slice: indexOf over the whole text runs on to the end when the word is rare.
  const part = text.slice(from, to);
  const last = part.length - word.length;
  for (let at = part.indexOf(word); at >= 0; at = part.indexOf(word, at + 1)) {
    if ((at === 0 || !isAsciiWordCode(part.charCodeAt(at - 1))) && (at === last || !isAsciiWordCode(part.charCodeAt(at + word.length)))) return true;
  }
  return false;
}

/** `def` or `lambda` as a word in text[from, to): where a function may start. */
function hasFunctionKeyword(text: string, from: number, to: number): boolean {
  return hasWordIn(text, 'def', from, to) || hasWordIn(text, 'lambda', from, to);
}
/** How far the text between an assignment and a read is searched for a function start. */
const SCOPE_BY_TEXT_LIMIT = 4000;

/**
 * The candidate test of LocalValues: the `n` characters at `at` are a whole name (nameOffsets'
 * test) followed, past blanks, by `=` (not `==`) or `:` (not `:=`).
 */
function isCandidateAt(text: string, at: number, n: number): boolean {
  if (isWordCode(text.charCodeAt(at - 1)) || isWordCode(text.charCodeAt(at + n))) return false;
  const i = skipBlanks(text, at + n);
  const c = text.charCodeAt(i);
  return (c === 61 || c === 58) && text.charCodeAt(i + 1) !== 61;
}

/** Simple assignments to plain names, per function, with their uses. */
export class LocalValues {
  readonly text: string;
  readonly occurrences: Occurrences;
  private readonly candidates = new Map<string, Candidates>();
  private readonly verdictsByName = new Map<string, Map<number, Assignment | null>>();

  constructor(readonly source: PythonSource) {
    this.text = source.text;
    this.occurrences = occurrencesOf(source);
  }

  /**
   * Offsets in the file where `name` is followed by `=` (not `==`) or `:` (not `:=`), blanks and
   * line continuations between. Grammar fact: an assignment's left side is followed by its `=`, or
   * by `:` and a type, with nothing else between (an assignment is a statement, never inside
   * brackets, so no comment or line break can come between).
   */
  private candidatesOf(name: string): Candidates {
    let found = this.candidates.get(name);
    if (!found) {
      const text = this.text;
      const offsets: number[] = [];
      const n = name.length;
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
        if (isCandidateAt(text, at, n)) offsets.push(at);
      }
      this.candidates.set(name, (found = { offsets, verdicts: new Array(offsets.length), back: new Int32Array(offsets.length).fill(UNSET) }));
    }
    return found;
  }

  /** Confirms a candidate: the identifier is the left side of an assignment that has a value. */
  private verdict(list: Candidates, i: number, name: string): Assignment | null {
    let v = list.verdicts[i];
    if (v === undefined) list.verdicts[i] = v = this.verdictAt(name, list.offsets[i]!);
    return v;
  }

  /** verdict() of the candidate at `at`, cached per name and offset (the lists and lastCandidateBefore share it). */
  private verdictAt(name: string, at: number): Assignment | null {
    let byOffset = this.verdictsByName.get(name);
    if (!byOffset) this.verdictsByName.set(name, (byOffset = new Map()));
    let v = byOffset.get(at);
    if (v !== undefined) return v;
    v = null;
    const end = at + name.length;
    // The left side is an assignment's first child: it starts where the assignment starts.
    const left = this.occurrences.assignmentOfLeft(at, end);
    if (left) {
      const a: Assignment = { start: left.start, end: left.end, nameEnd: end, scope: left.scope, node: null };
      // `name = …` has a value; `name: T` may not (`name: T = …` does).
      const next = this.text[skipBlanks(this.text, end)];
      if (next === '=' || this.nodeOf(a).childForFieldName('right') !== null) v = a;
    }
    byOffset.set(at, v);
    return v;
  }

  /**
   * The last candidate of `name` (candidatesOf's test) that starts before `start`, or -1: read
   * backwards from `start`, without the whole file's list.
   */
  private lastCandidateBefore(name: string, start: number): number {
    const text = this.text;
    const n = name.length;
    for (let at = start > 0 ? text.lastIndexOf(name, start - 1) : -1; at >= 0; at = at > 0 ? text.lastIndexOf(name, at - 1) : -1) {
      if (isCandidateAt(text, at, n)) return at;
    }
    return -1;
  }

  nodeOf(a: Assignment): SyntaxNode {
    return (a.node ??= this.source.nodeWithRange(a.start, a.end, 'assignment'));
  }

  /**
   * The scope of [start, end), a read after assignment `a`: the assignment's own scope when that
   * holds the read and no `def` or `lambda` appears in the text from the assignment to the read
   * (a function holding the read but not the assignment starts between the two, with its keyword);
   * else one descent.
   */
  private scopeOfRead(a: Assignment, start: number, end: number): Scope {
    const holds = a.scope === null || (a.scope.start <= start && a.scope.end >= end);
    if (holds && start - a.start <= SCOPE_BY_TEXT_LIMIT && !hasFunctionKeyword(this.text, a.start, start)) return a.scope;
    return this.occurrences.scopeAt(start, end);
  }

  /**
   * The assignment to `name` in force where [start, end) reads it: the last one in the same scope
   * that ends before `start`. `scope` is that scope when the caller knows it.
   */
  assignmentAt(name: string, start: number, end: number, scope?: Scope): Assignment | null {
    if (scope === undefined) {
      // Most reads take the last candidate before them: found backwards, the file's list unneeded.
      const at = this.lastCandidateBefore(name, start);
      if (at < 0) return null;
      const a = this.verdictAt(name, at);
      if (a) {
        // As below: the first assignment found gives the read's scope.
        scope = this.scopeOfRead(a, start, end);
        if (a.end <= start && sameScope(a.scope, scope)) return a;
      }
    }
    const list = this.candidatesOf(name);
    // An assignment starts at its left side: earlier candidates start earlier.
    for (let i = this.assignmentAtOrBefore(list, countBelow(list.offsets, start) - 1, name); i >= 0; ) {
      if (scope && list.offsets[i]! < scope.start) break;
      const a = list.verdicts[i]!;
      if (scope === undefined) scope = this.scopeOfRead(a, start, end);
      if (sameScope(a.scope, scope)) {
        if (a.end <= start) return a;
        i = this.assignmentAtOrBefore(list, i - 1, name);
      } else {
        // It binds in another function, one that does not hold the read (nested in the read's
        // function, or any function for a read at module level): nothing in that function's range
        // binds in the read's scope.
        i = this.assignmentAtOrBefore(list, a.scope ? countBelow(list.offsets, a.scope.start) - 1 : i - 1, name);
      }
    }
    return null;
  }

  /** The last index at or before `i` that is an assignment, or -1. */
  private assignmentAtOrBefore(list: Candidates, i: number, name: string): number {
    const passed: number[] = [];
    let j = i;
    while (j >= 0) {
      if (list.back[j] !== UNSET) {
        j = list.back[j]!;
        break;
      }
      if (this.verdict(list, j, name)) break;
      passed.push(j--);
    }
    for (const k of passed) list.back[k] = j;
    return j;
  }

  /** The assignment to `name` in force at `at`: the last one that ends before it, in its scope. */
  assignmentBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    const a = this.assignmentAt(name, at.startIndex, at.endIndex);
    return a ? this.nodeOf(a) : null;
  }

  /** The value `name` holds at `at`, or null when no assignment in scope sets it. */
  valueBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    return this.assignmentBefore(name, at)?.childForFieldName('right') ?? null;
  }

  /** Reads of the name an assignment binds, while that assignment is the one in force. */
  usesOf(assignment: SyntaxNode): SyntaxNode[] {
    const left = assignment.childForFieldName('left');
    if (left?.type !== 'identifier') return [];
    const name = left.text;
    const start = assignment.startIndex;
    const from = assignment.endIndex;
    const scope = this.occurrences.scopeAt(start, from);
    const uses: SyntaxNode[] = [];
    for (const at of nameOffsets(this.text, name, from, scope?.end ?? this.text.length)) {
      const end = at + name.length;
      if (this.assignmentAt(name, at, end, scope)?.start !== start) continue;
      const depth = this.occurrences.identifier(at, end);
      if (depth < 0 || !sameScope(this.occurrences.scopeOnPath(depth, at, end), scope)) continue;
      const parent = this.occurrences.path[depth - 1]!;
      // Not a read: an attribute's name (`o.name`, the last child), a keyword argument's name or an
      // assignment's left side (both first children).
      if (parent.type === 'attribute' && parent.end === end) continue;
      if ((parent.type === 'keyword_argument' || parent.type === 'assignment') && parent.start === at) continue;
      uses.push(this.occurrences.nodeAt(depth));
    }
    return uses;
  }
}

/** `result`: what `all()`/`run()` resolve to; `rows`: its `.results`; `row`: what `first()` resolves to. */
export type D1Value = 'result' | 'rows' | 'row';

const MAX_DEPTH = 4;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The index of the last character at or before `i` that is not a blank, a line break or a `\`. */
export function backOverBlanks(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 12 || c === 13 || c === 10 || c === 92; c = text.charCodeAt(--i));
  return i;
}

const isAsciiNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Python keywords that cannot start a primary expression (None, True and False can). */
const NOT_PRIMARY = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally',
  'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

/** String prefixes without interpolation (f- and t-strings nest quotes in their fields: not read here). */
function isPlainPrefix(text: string, from: number, to: number): boolean {
  const n = to - from;
  if (n === 1) return /[rRuUbB]/.test(text[from]!);
  if (n !== 2) return false;
  const a = text[from]!.toLowerCase();
  const b = text[from + 1]!.toLowerCase();
  return (a === 'b' && b === 'r') || (a === 'r' && b === 'b');
}

/** The offset after the string literal whose quote is at `q`, or -1 when it does not end plainly before `limit`. */
export function stringEnd(text: string, q: number, limit: number): number {
  const quote = text.charCodeAt(q);
  const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
  for (let i = q + (triple ? 3 : 1); i < limit; i++) {
    const c = text.charCodeAt(i);
    // A backslash keeps the next character in the string, raw strings included.
    if (c === 92) i++;
    else if (c === quote && (!triple || (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote))) return i + (triple ? 3 : 1);
    else if (!triple && (c === 10 || c === 13)) return -1;
  }
  return -1;
}

/**
 * The offset after the bracketed group opening at `open`, before `limit`: brackets counted, comments
 * and plain string literals skipped. -1 when it does not close there or holds an f- or t-string
 * (or a string with an unknown prefix).
 */
function groupEnd(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; ) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      i++;
      if (--depth === 0) return i;
    } else if (c === 35) {
      while (i < limit && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 34 || c === 39) {
      i = stringEnd(text, i, limit);
      if (i < 0) return -1;
    } else if (isWordCode(c)) {
      let j = i + 1;
      while (j < limit && isWordCode(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q === 34 || q === 39) {
        if (!isPlainPrefix(text, i, j)) return -1;
        i = stringEnd(text, j, limit);
        if (i < 0) return -1;
      } else {
        i = j;
      }
    } else {
      i++;
    }
  }
  return -1;
}

/** The end of the ASCII name starting at `i` (a name start), or -1 when a non-ASCII character continues it. */
function asciiNameEnd(text: string, i: number): number {
  let j = i + 1;
  while (isAsciiWordCode(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) > 127 ? -1 : j;
}

/**
 * True when text[from, end) is a primary expression (blanks and line continuations around it)
 * whose last two parts are `.<name>` ending at `nameEnd` and a bracketed call `(…)` ending at
 * `end`: an atom (a name that is no keyword, or a bracketed group) followed by `.name`, `(…)` and
 * `[…]` parts. Grammar fact: `await` takes a primary expression, and a primary's trailing `.name`
 * and `(…)` bind tighter than anything around it; so when the text after `await` is such a chain
 * up to the end of an assignment, the tree (if it has no errors) has await → call → attribute →
 * that name. False when the text is anything else or cannot be read plainly (an operator, a
 * keyword, a string outside brackets, an f-string, a non-ASCII name, a comment outside brackets).
 */
export function isAwaitedCallOf(text: string, from: number, end: number, nameEnd: number): boolean {
  let i = skipBlanks(text, from);
  let c = text.charCodeAt(i);
  if (isAsciiNameStart(c)) {
    const j = asciiNameEnd(text, i);
    if (j < 0 || NOT_PRIMARY.has(text.slice(i, j))) return false;
    i = j;
  } else if (c === 40 || c === 91 || c === 123) {
    i = groupEnd(text, i, end);
    if (i < 0) return false;
  } else {
    return false;
  }
  // The end of the last `.name` part, and whether the part after it is a call.
  let lastName = -1;
  let callOfName = false;
  while (i < end) {
    i = skipBlanks(text, i);
    if (i >= end) return false;
    c = text.charCodeAt(i);
    if (c === 46) {
      i = skipBlanks(text, i + 1);
      if (!isAsciiNameStart(text.charCodeAt(i))) return false;
      i = asciiNameEnd(text, i);
      if (i < 0) return false;
      lastName = i;
      callOfName = false;
    } else if (c === 40 || c === 91) {
      const afterName = lastName >= 0 && i === skipBlanks(text, lastName);
      i = groupEnd(text, i, end);
      if (i < 0) return false;
      callOfName = c === 40 && afterName;
      if (!callOfName) lastName = -1;
    } else {
      return false;
    }
  }
  return i === end && callOfName && lastName === nameEnd;
}

/** Recognises D1 statements and their results through the names they are assigned to. */
export class D1Values {
  constructor(private readonly values: LocalValues) {}

  /** True when a call chain (`db.prepare(q).bind(x).all()`) goes through `.prepare(...)`. */
  hasPrepare(node: SyntaxNode, depth = 0): boolean {
    let n: SyntaxNode | null = unwrap(node);
    while (n) {
      if (n.type === 'call') {
        if (methodName(n) === 'prepare') return true;
        n = n.childForFieldName('function');
      } else if (n.type === 'attribute') {
        n = n.childForFieldName('object');
      } else if (n.type === 'await') {
        n = awaited(n);
      } else if (n.type === 'identifier') {
        if (depth >= MAX_DEPTH) return false;
        const value = this.values.valueBefore(n.text, n);
        return value ? this.hasPrepare(value, depth + 1) : false;
      } else {
        return false;
      }
      if (n) n = unwrap(n);
    }
    return false;
  }

  /** For an awaited D1 call: what it yields. */
  private awaitedKind(node: SyntaxNode, viaName: boolean): D1Value | null {
    const call = awaited(node);
    if (!call || call.type !== 'call' || argumentCount(call) !== 0) return null;
    const method = methodName(call);
    // `x = await stmt.all()` counts on its own; inline, the chain must show `.prepare(...)`.
    if (method === 'all' && viaName) return 'result';
    if ((method === 'all' || method === 'run') && this.hasPrepare(call)) return 'result';
    if (method === 'first' && this.hasPrepare(call)) return 'row';
    return null;
  }

  /**
   * True when the value of `a` is `await <x>.all()` with nothing around the call and no argument,
   * which awaitedKind(value, true) calls a result: read from the text, then confirmed by one descent
   * to `all` (assignment → await → call → attribute → `all`, each ending where the assignment
   * ends, the call's argument list only brackets and blanks). False when that cannot be shown
   * (the nodes then decide).
   */
  private awaitsAll(a: Assignment): boolean {
    return (a.awaitsAll ??= this.findAwaitsAll(a));
  }

  private findAwaitsAll(a: Assignment): boolean {
    const text = this.values.text;
    const eq = skipBlanks(text, a.nameEnd);
    const value = text[eq] === '=' ? skipBlanks(text, eq + 1) : -1;
    if (value < 0 || !text.startsWith('await', value) || isWordCode(text.charCodeAt(value + 5))) return false;
    const close = backOverBlanks(text, a.end - 1);
    const open = close >= 0 && text[close] === ')' ? backOverBlanks(text, close - 1) : -1;
    const last = open >= 0 && text[open] === '(' ? backOverBlanks(text, open - 1) : -1;
    const first = last - 2;
    if (first < 0 || text.slice(first, last + 1) !== 'all' || isWordCode(text.charCodeAt(first - 1))) return false;
    // In a tree without errors, a right side that reads `await <primary>.all()` is that await.
    if (readsTextFirst(this.values.source) && isAwaitedCallOf(text, value + 5, a.end, last + 1)) return true;
    const depth = this.values.occurrences.identifier(first, last + 1);
    if (depth < 4) return false;
    const [assignment, wait, call, attribute] = this.values.occurrences.path.slice(depth - 4, depth) as PathLevel[];
    return (
      assignment!.type === 'assignment' && assignment!.start === a.start && assignment!.end === a.end &&
      wait!.type === 'await' && wait!.end === a.end &&
      call!.type === 'call' && call!.end === a.end &&
      attribute!.type === 'attribute' && attribute!.start === call!.start && attribute!.end === last + 1
    );
  }

  /** kind() of the identifier `name` at [start, end). */
  kindOfName(name: string, start: number, end: number, depth = 0): D1Value | null {
    if (depth >= MAX_DEPTH) return null;
    const a = this.values.assignmentAt(name, start, end);
    if (!a) return null;
    if (this.awaitsAll(a)) return 'result';
    const value = this.values.nodeOf(a).childForFieldName('right');
    if (!value) return null;
    const v = unwrap(value);
    return v.type === 'await' ? this.awaitedKind(v, true) : this.kind(v, depth + 1);
  }

  /**
   * kind() of `<object>.results` when the object is written as a plain name (the text from the
   * attribute's start to the dot): what the object's name holds, without making its node. Grammar
   * fact: a name before `.` is an identifier (or None/True/False, which no assignment binds).
   * Undefined when the object is not a plain name.
   */
  kindOfResults(attributeStart: number, dot: number): D1Value | null | undefined {
    const text = this.values.text;
    const objectEnd = backOverBlanks(text, dot - 1) + 1;
    const name = text.slice(attributeStart, objectEnd);
    if (!NAME.test(name)) return undefined;
    return this.kindOfName(name, attributeStart, objectEnd) === 'result' ? 'rows' : null;
  }

  kind(expr: SyntaxNode, depth = 0): D1Value | null {
    const e = unwrap(expr);
    if (e.type === 'await') return this.awaitedKind(e, false);
    if (e.type === 'attribute') {
      const object = e.childForFieldName('object');
      return e.childForFieldName('attribute')?.text === 'results' && object && this.kind(object, depth) === 'result' ? 'rows' : null;
    }
    if (e.type === 'identifier') return this.kindOfName(e.text, e.startIndex, e.endIndex, depth);
    return null;
  }
}
