// Python source: tree-sitter parse, import bindings, scopes, and the trigger index the runner
// uses to hand nodes to rules without walking every node of a large file.
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
import { isWordChar, isWordCode, wholeWord } from './python-text.js';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let sharedParser: Parser | null = null;

function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
    fastStartIndex(sharedParser);
  }
  return sharedParser;
}

/**
 * node-tree-sitter keeps a node's TSNode in the JS object (fields 0–5: id, then `context[0..3]`),
 * and `context[0]` is the start byte, twice the UTF-16 offset for a string input. `startIndex`
 * asks the native side for exactly that; reading the field is the same answer without crossing
 * N-API (rules read it tens of thousands of times per megabyte). Installed only after checking,
 * on a sample tree, that the field agrees with the native answer for every node, so a binding
 * that lays nodes out otherwise keeps its own getter.
 */
function fastStartIndex(p: Parser): void {
  const sample = p.parse('import a.b as c\nclass K:\n    def f(self, x=[1, (2, {3: "é😀"})]):\n        return x.y[0] # é\n');
  let proto: object | null = Object.getPrototypeOf(sample.rootNode);
  while (proto && !Object.getOwnPropertyDescriptor(proto, 'startIndex')) proto = Object.getPrototypeOf(proto);
  const native = proto && Object.getOwnPropertyDescriptor(proto, 'startIndex')?.get;
  if (!proto || !native) return;
  const fromField = (node: object) => {
    const field = (node as Record<number, unknown>)[2];
    return typeof field === 'number' ? field >>> 1 : (native.call(node) as number);
  };
  const nodes = allNodes(sample.rootNode);
  if (nodes.length < 20 || !nodes.every((n) => fromField(n) === n.startIndex)) return;
  Object.defineProperty(proto, 'startIndex', {
    get(this: object) {
      return fromField(this);
    },
    configurable: true,
  });
}

function allNodes(node: SyntaxNode): SyntaxNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}

/** Parse Python text. tree-sitter reports offsets in UTF-16 code units for JS strings. */
export function parsePython(text: string): Tree {
  // Python ends a line at a lone \r too; tree-sitter-python does not. Same length, same offsets.
  const lone = text.includes('\r') && /\r(?!\n)/.test(text);
  const tree = parser().parse(lone ? text.replace(/\r(?!\n)/g, '\n') : text, undefined, { bufferSize: text.length + 1 });
  // node.text reads the tree's input: keep it the text as written.
  if (lone) (tree as unknown as { input: string }).input = text;
  return tree;
}

/** The first syntax error of a tree, or null. */
export function firstSyntaxError(root: SyntaxNode, hasError = root.hasError): { node: SyntaxNode; message: string } | null {
  if (!hasError) return null;
  const cursor = root.walk();
  // Depth-first, entering only subtrees that hold an error.
  for (;;) {
    const node = cursor.currentNode;
    if (node.isMissing) return { node, message: `expected \`${node.type}\`` };
    if (node.type === 'ERROR') {
      const snippet = node.text.split(/\r?\n|\r/)[0].slice(0, 40);
      return { node, message: snippet ? `unexpected \`${snippet}\`` : 'unexpected input' };
    }
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return { node: root, message: 'syntax error' };
    }
  }
}

/** A name bound by an import: `import a.b as c` binds c → a.b; `from a import b as c` binds c → a.b. */
export interface ImportBinding {
  local: string;
  qualified: string;
  node: SyntaxNode;
  /** The function the import sits in (offset range), or null at module level. */
  scope: { start: number; end: number } | null;
}

const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);
const STATEMENT_CONTAINERS = new Set(['block', 'module']);

/** Nearest enclosing function_definition (or lambda) of a node, or null at module/class level. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  const index = functionIndexes.get(node.tree);
  return index ? index.enclosing(node) : slowEnclosingFunction(node);
}

/**
 * The functions and lambdas of a tree as offset ranges, found from the `def`/`lambda` keywords in
 * the text and one cursor. Climbing `parent` costs O(depth) native work per step in
 * node-tree-sitter; with this index an enclosing-function lookup is a search over a short list.
 */
class FunctionIndex {
  private ranges: { start: number; end: number; node: SyntaxNode | null }[] | null = null;

  constructor(private readonly source: PythonSource) {}

  private build(): { start: number; end: number; node: SyntaxNode | null }[] {
    const ranges: { start: number; end: number; node: SyntaxNode | null }[] = [];
    const walker = this.source.walker();
    for (const m of this.source.text.matchAll(/\b(?:def|lambda)\b/g)) {
      const depth = walker.descend(m.index!, m.index! + m[0].length);
      const keyword = walker.path[depth]!;
      const fn = walker.path[depth - 1];
      if (keyword.type !== m[0] || keyword.start !== m.index! || !fn || !FUNCTION_TYPES.has(fn.type)) continue;
      ranges.push({ start: fn.start, end: fn.end, node: null });
    }
    this.source.releaseWalker(walker);
    return ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  private innermost(ranges: readonly { start: number; end: number }[], start: number, end: number): number {
    let hi = ranges.length - 1;
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.start <= start) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = hi; i >= 0; i--) {
      const r = ranges[i]!;
      if (r.end < end || (r.start === start && r.end === end)) continue;
      return i;
    }
    return -1;
  }

  /** The innermost function strictly around `node` (a node never encloses itself or its ancestors). */
  enclosing(node: SyntaxNode): SyntaxNode | null {
    const ranges = (this.ranges ??= this.build());
    // Ranges nest or are disjoint: going back from the last start ≤ node's, the first that
    // contains the node is the innermost.
    const i = this.innermost(ranges, node.startIndex, node.endIndex);
    if (i < 0) return null;
    const r = ranges[i]!;
    if (!r.node) {
      const found = this.source.root.descendantForIndex(r.start, r.end);
      r.node = found.startIndex === r.start && found.endIndex === r.end && FUNCTION_TYPES.has(found.type) ? found : null;
      if (!r.node) return slowEnclosingFunction(node);
    }
    return r.node;
  }
}

/** The node of `type` with exactly this range. */
function nodeWithRange(root: SyntaxNode, start: number, end: number, type: string): SyntaxNode {
  let node: SyntaxNode | null = root.descendantForIndex(start, end);
  while (node && !(node.type === type && node.startIndex === start && node.endIndex === end)) node = node.parent;
  if (!node) throw new Error(`no ${type} at ${start}..${end}`);
  return node;
}

function slowEnclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

const functionIndexes = new WeakMap<Tree, FunctionIndex>();

/** Names a function binds locally (parameters, assignment targets, loop and with targets, defs). */
function localBindings(fn: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const params = fn.childForFieldName('parameters');
  if (params) {
    for (const p of params.namedChildren) {
      const id = p.type === 'identifier' ? p : p.namedChildren.find((c) => c.type === 'identifier');
      if (id) names.add(id.text);
    }
  }
  const body = fn.childForFieldName('body');
  if (!body) return names;
  const targets = body.descendantsOfType([
    'assignment',
    'augmented_assignment',
    'for_statement',
    'for_in_clause',
    'as_pattern_target',
    'function_definition',
    'class_definition',
    'global_statement',
    'nonlocal_statement',
    'named_expression',
  ]);
  for (const t of targets) {
    if (t.type === 'global_statement' || t.type === 'nonlocal_statement') {
      for (const id of t.namedChildren) names.delete(id.text);
      continue;
    }
    if (t.type === 'function_definition' || t.type === 'class_definition') {
      // A nested def binds its name here; its own body is another scope.
      if (enclosingFunction(t)?.startIndex === fn.startIndex) {
        const id = t.childForFieldName('name');
        if (id) names.add(id.text);
      }
      continue;
    }
    const left =
      t.type === 'as_pattern_target'
        ? t
        : t.type === 'named_expression'
          ? t.childForFieldName('name')
          : t.childForFieldName('left');
    if (!left) continue;
    if (enclosingFunction(t)?.startIndex !== fn.startIndex && t.type !== 'for_in_clause') continue;
    for (const id of left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')) {
      // `a.b = …` and `a[i] = …` do not bind a.
      if (id.parent?.type === 'attribute' || id.parent?.type === 'subscript') continue;
      names.add(id.text);
    }
  }
  return names;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Words to look for: a Set, or the keys of a Map (the runner's words and who wants them). */
export interface WordSet {
  readonly size: number;
  has(word: string): boolean;
  keys(): IterableIterator<string>;
}

/** A node on the path from the root to an offset: its type and range, as plain data. */
export interface PathLevel {
  type: string;
  start: number;
  end: number;
}

/** Node type names by grammar symbol id (one grammar: Python), filled as met. */
const typeNames: string[] = [];

/** The type of the node a cursor stands on: a number from the cursor costs less than a string. */
export function typeName(cursor: Parser.TreeCursor): string {
  const id = cursor.nodeTypeId;
  return (typeNames[id] ??= cursor.nodeType);
}

/**
 * Goes down to ranges in increasing offset order with one TreeCursor, keeping the path from the
 * root as plain data. In node-tree-sitter every node object costs microseconds (and `parent`
 * re-descends from the root), so nodes are made only when asked for.
 *
 * Each node on the path has one PathLevel object for as long as the walk is inside it (nodeAt
 * moves the cursor up without dropping the levels below), so callers may key sets by level.
 */
export class PathWalker {
  private readonly cursor: Parser.TreeCursor;
  /** The path to the last range descended to: path[0] is the root. */
  readonly path: PathLevel[];
  /** Depth of the node the cursor stands on (nodeAt may leave it above the end of the path). */
  private at = 0;
  /** The start of the last range descended to: the way down the path. */
  private goal = 0;

  constructor(root: SyntaxNode) {
    this.cursor = root.walk();
    this.path = [{ type: root.type, start: root.startIndex, end: root.endIndex }];
  }

  /**
   * Back at the root with a path of the root alone, for PythonSource to lend again once the walk
   * is over. (TreeCursor.reset(node) cannot be used: node-tree-sitter 0.25 does not pass the node to it.)
   */
  rewind(): void {
    this.moveTo(0);
    this.path.length = 1;
    this.goal = 0;
  }

  /** Moves to the deepest node containing [start, end); returns its depth. */
  descend(start: number, end: number): number {
    const path = this.path;
    const cursor = this.cursor;
    while (path.length > 1) {
      const top = path[path.length - 1]!;
      if (top.start <= start && top.end >= end) break;
      path.pop();
    }
    this.moveTo(path.length - 1);
    this.goal = start;
    while (cursor.gotoFirstChildForIndex(start) !== null) {
      const s = cursor.startIndex;
      const e = cursor.endIndex;
      if (s > start || e < end) {
        cursor.gotoParent();
        break;
      }
      path.push({ type: typeName(cursor), start: s, end: e });
      this.at++;
    }
    return path.length - 1;
  }

  /** The node at `depth` (at most the last depth descend returned) on the path. */
  nodeAt(depth: number): SyntaxNode {
    this.moveTo(Math.min(depth, this.path.length - 1));
    return this.cursor.currentNode;
  }

  /** Puts the cursor on the path's level `depth`: up, or back down the way the last descent went. */
  private moveTo(depth: number): void {
    while (this.at > depth) {
      this.cursor.gotoParent();
      this.at--;
    }
    while (this.at < depth) {
      this.cursor.gotoFirstChildForIndex(this.goal);
      this.at++;
    }
  }
}

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement']);
const DOTTED_CHAIN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** The names an import statement's text binds, read from its text (cheaper than its nodes). */
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const IMPORT_ITEM = new RegExp(`^(${NAME}(?:\\s*\\.\\s*${NAME})*)(?:\\s+as\\s+(${NAME}))?$`);

/** A statement without comment, line break, tab or double space. */
const PLAIN_STATEMENT = /^(?:[^#\\\s]| (?! ))*$/;

function importedPairs(type: string, statement: string): { local: string; qualified: string }[] | null {
  // Every blank run becomes one space: the patterns below have adjacent \s* that would backtrack
  // quadratically over a long run of blanks.
  // Most statements are one line with single spaces and no comment: nothing to normalise.
  const text = PLAIN_STATEMENT.test(statement)
    ? statement
    : statement.replace(/#[^\r\n]*/g, '').replace(/\\\r?\n|\\\r/g, ' ').replace(/\s+/g, ' ');
  const item = IMPORT_ITEM;
  const split = (list: string) =>
    list
      .replace(/[()]/g, ' ')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const pairs: { local: string; qualified: string }[] = [];
  if (type === 'import_statement') {
    const m = /^import\s+([\s\S]*)$/.exec(text.trim());
    if (!m) return null;
    for (const part of split(m[1]!)) {
      const i = item.exec(part);
      if (!i) return null;
      const qualified = i[1]!.replace(/\s+/g, '');
      // `import a.b` binds `a` to the package a.
      pairs.push(i[2] ? { local: i[2], qualified } : { local: qualified.split('.')[0]!, qualified: qualified.split('.')[0]! });
    }
    return pairs;
  }
  // Blanks are single spaces here: ` ?` keeps the pattern free of adjacent \s* runs.
  const m = /^from ((?:\. ?)*(?:[A-Za-z_][A-Za-z0-9_]*(?: ?\. ?[A-Za-z_][A-Za-z0-9_]*)*)?) ?import\b([\s\S]*)$/.exec(text.trim());
  if (!m) return null;
  const module = m[1]!.replace(/\s+/g, '');
  if (!module) return null;
  for (const part of split(m[2]!)) {
    if (part === '*') continue;
    const i = item.exec(part);
    if (!i) return null;
    const imported = i[1]!.replace(/\s+/g, '');
    pairs.push({ local: i[2] ?? imported, qualified: `${module}.${imported}` });
  }
  return pairs;
}

/** The names an import statement binds, read from its nodes (for text the quick reading declines). */
function importedPairsFromNodes(node: SyntaxNode): { local: string; qualified: string }[] {
  const pairs: { local: string; qualified: string }[] = [];
  if (node.type === 'import_statement') {
    for (const item of node.namedChildren) {
      if (item.type === 'dotted_name') {
        const first = item.namedChildren[0]?.text ?? item.text;
        pairs.push({ local: first, qualified: first });
      } else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name');
        const alias = item.childForFieldName('alias')?.text;
        if (name && alias) pairs.push({ local: alias, qualified: dottedName(name) });
      }
    }
    return pairs;
  }
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return pairs;
  const module = dottedName(moduleNode);
  for (const item of node.namedChildren) {
    if (item.startIndex === moduleNode.startIndex) continue;
    if (item.type === 'dotted_name') {
      const name = dottedName(item);
      pairs.push({ local: name, qualified: `${module}.${name}` });
    } else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name');
      const alias = item.childForFieldName('alias')?.text;
      if (name && alias) pairs.push({ local: alias, qualified: `${module}.${dottedName(name)}` });
    }
  }
  return pairs;
}

/** A dotted name (or a relative module) as Python reads it: its names and dots, without the blanks, continuations or comments between them. */
function dottedName(node: SyntaxNode): string {
  // (Comments and line continuations are named nodes too: only the identifiers count.)
  if (node.type === 'dotted_name') return node.namedChildren.filter((c) => c.type === 'identifier').map((c) => c.text).join('.');
  if (node.type === 'relative_import') {
    let out = '';
    for (const c of node.namedChildren) {
      if (c.type === 'import_prefix') out += c.text.replace(/[^.]/g, '');
      else if (c.type === 'dotted_name') out += dottedName(c);
    }
    return out;
  }
  return node.text;
}

/**
 * With `walker` moved to the `import` keyword at `at`: its depth and the import statement around it,
 * or null when the word there is no keyword of an import statement (a string, a comment, a name).
 */
function importStatementAt(walker: PathWalker, at: number): { depth: number; statement: PathLevel } | null {
  const depth = walker.descend(at, at + 6);
  const keyword = walker.path[depth]!;
  const statement = walker.path[depth - 1];
  if (keyword.type !== 'import' || keyword.start !== at || !statement || !IMPORT_TYPES.has(statement.type)) return null;
  return { depth, statement };
}

/** An import statement found by offsets; its node is made when first asked for. */
class LazyStatement {
  private made: SyntaxNode | null = null;

  constructor(
    private readonly root: SyntaxNode,
    private readonly start: number,
    private readonly end: number,
    private readonly type: string,
  ) {}

  get node(): SyntaxNode {
    return (this.made ??= nodeWithRange(this.root, this.start, this.end, this.type));
  }
}

/** An ImportBinding whose statement node is made on first use (one class: bindings are read in hot loops). */
class LazyImportBinding implements ImportBinding {
  constructor(
    readonly local: string,
    readonly qualified: string,
    readonly scope: { start: number; end: number } | null,
    private readonly statement: LazyStatement,
  ) {}

  get node(): SyntaxNode {
    return this.statement.node;
  }
}

export class PythonSource {
  readonly tree: Tree;
  readonly root: SyntaxNode;
  private importsCache: ImportBinding[] | null = null;
  private importsByLocal: Map<string, ImportBinding[]> | null = null;
  private moduleAssigned: Set<string> | null = null;
  private localCache = new Map<number, Set<string>>();
  private reboundCache = new Map<string, boolean>();
  /** Offsets of every run of word characters, by its text (what `\bname\b` finds), made on first use. */
  private wordOffsets: Map<string, number[]> | null = null;
  /** Offset ranges of the file's import statements. */
  private importRanges: { start: number; end: number }[] = [];
  /**
   * Walkers of finished walks, lent again: making a cursor costs microseconds, moving one back to
   * the root does not. (Kept, too, so that a PathWalker outlives every walk: see the runner's shape keeper.)
   */
  private spareWalkers: PathWalker[] = [];
  private errorCache: boolean | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    tree?: Tree,
  ) {
    this.tree = tree ?? parsePython(text);
    this.root = this.tree.rootNode;
    functionIndexes.set(this.tree, new FunctionIndex(this));
  }

  /**
   * A PathWalker at the root for one pass over the file; give it back with releaseWalker when the
   * pass is over (it is lent again, cursor and all). Walks may overlap: each gets its own walker.
   */
  walker(): PathWalker {
    return this.spareWalkers.pop() ?? new PathWalker(this.root);
  }

  releaseWalker(walker: PathWalker): void {
    walker.rewind();
    this.spareWalkers.push(walker);
  }

  /** Whether the tree holds a syntax error (asked of the tree once). */
  get hasError(): boolean {
    return (this.errorCache ??= this.root.hasError);
  }

  /** The node of `type` with exactly the range [start, end) (one native descent, then a short climb); throws if none. */
  nodeWithRange(start: number, end: number, type: string): SyntaxNode {
    return nodeWithRange(this.root, start, end, type);
  }

  /** Every occurrence of `words` as a whole identifier token, outside strings and comments. */
  findIdentifiers(words: ReadonlySet<string>): SyntaxNode[] {
    if (words.size === 0) return [];
    const pattern = new RegExp(`\\b(?:${[...words].map(escapeRegExp).join('|')})\\b`, 'g');
    const out: SyntaxNode[] = [];
    for (const m of this.text.matchAll(pattern)) {
      const start = m.index!;
      const node = this.root.descendantForIndex(start, start + m[0].length);
      if (node.type === 'identifier' && node.startIndex === start && node.endIndex === start + m[0].length) out.push(node);
    }
    return out;
  }

  /**
   * Like findIdentifiers, for the runner: each hit with its path from the identifier (level 0) up
   * to its statement, as plain data read level by level (null above the statement), so that a
   * caller can stop climbing early; `node(level)` makes that level's node only when asked.
   * `admit`, when given, sees every text occurrence first (strings and comments included) and
   * returns what to hand `visit` for it, or null to skip it without going down the tree.
   */
  forEachIdentifierPath<T = true>(
    words: WordSet,
    visit: (word: string, level: (level: number) => PathLevel | null, node: (level: number) => SyntaxNode, admitted: T) => void,
    admit?: (word: string, start: number, end: number) => T | null,
  ): void {
    if (words.size === 0) return;
    const pattern = wordPattern(words);
    const walker = this.walker();
    // One pair of accessors for every hit (they read `depth`): valid during the visit only.
    let depth = 0;
    const levelAt = (level: number) => {
      const at = depth - level >= 0 ? walker.path[depth - level] : undefined;
      return at && !STATEMENT_CONTAINERS.has(at.type) ? at : null;
    };
    const nodeAt = (level: number) => walker.nodeAt(depth - level);
    const text = this.text;
    // test() and lastIndex, not matchAll: no match object per hit. A match of \b(?:w…)\b is a
    // whole run of word characters, so it starts where the run ending at lastIndex starts. The
    // position is kept here and set before each search: the pattern is shared by every search for
    // the same words, and a visitor may start one.
    for (let from = 0; ; ) {
      pattern.lastIndex = from;
      if (!pattern.test(text)) break;
      const end = (from = pattern.lastIndex);
      const start = wordStartBefore(text, end);
      const word = text.slice(start, end);
      const admitted = admit ? admit(word, start, end) : (true as T);
      if (admitted === null) continue;
      depth = walker.descend(start, end);
      const leaf = walker.path[depth]!;
      if (leaf.type !== 'identifier' || leaf.start !== start || leaf.end !== end) continue;
      visit(word, levelAt, nodeAt, admitted);
    }
    this.releaseWalker(walker);
  }

  /** The import bindings of one local name (looking through all of them per lookup is quadratic). */
  private importsNamed(name: string): readonly ImportBinding[] {
    if (!this.importsByLocal) {
      this.importsByLocal = new Map();
      for (const b of this.imports()) {
        const list = this.importsByLocal.get(b.local);
        if (list) list.push(b);
        else this.importsByLocal.set(b.local, [b]);
      }
    }
    return this.importsByLocal.get(name) ?? [];
  }

  /** All import statements of the file, including those inside functions. */
  imports(): ImportBinding[] {
    if (this.importsCache) return this.importsCache;
    const bindings: ImportBinding[] = [];
    const walker = this.walker();
    for (let at = nextImportKeyword(this.text, 0); at >= 0; at = nextImportKeyword(this.text, at + 6)) {
      const found = importStatementAt(walker, at);
      if (!found) continue;
      const { depth, statement } = found;
      let scope: ImportBinding['scope'] = null;
      for (let i = depth - 2; i >= 0; i--) {
        const level = walker.path[i]!;
        if (FUNCTION_TYPES.has(level.type)) {
          scope = { start: level.start, end: level.end };
          break;
        }
      }
      this.importRanges.push({ start: statement.start, end: statement.end });
      const pairs = importedPairs(statement.type, this.text.slice(statement.start, statement.end));
      if (!pairs) {
        const node = walker.nodeAt(depth - 1);
        for (const p of importedPairsFromNodes(node)) bindings.push({ ...p, node, scope });
        continue;
      }
      // Few rules need the statement's node (to edit it), so it is made on first use.
      const statementRef = new LazyStatement(this.root, statement.start, statement.end, statement.type);
      for (const p of pairs) bindings.push(new LazyImportBinding(p.local, p.qualified, scope, statementRef));
    }
    this.releaseWalker(walker);
    this.importsCache = bindings;
    return bindings;
  }

  /** Names assigned at module level by something other than an import (they shadow imports). */
  private moduleLevelAssignments(): Set<string> {
    if (this.moduleAssigned) return this.moduleAssigned;
    const names = new Set<string>();
    for (const stmt of this.root.namedChildren) {
      if (stmt.type === 'function_definition' || stmt.type === 'class_definition') {
        const id = stmt.childForFieldName('name');
        if (id) names.add(id.text);
      } else if (stmt.type === 'decorated_definition') {
        const id = stmt.childForFieldName('definition')?.childForFieldName('name');
        if (id) names.add(id.text);
      } else if (stmt.type === 'expression_statement') {
        const a = stmt.firstNamedChild;
        if (a?.type === 'assignment') {
          const left = a.childForFieldName('left');
          if (left?.type === 'identifier') names.add(left.text);
        }
      }
    }
    this.moduleAssigned = names;
    return names;
  }

  /**
   * False when no occurrence of `name` in the file can bind it: each one is inside an import, an
   * attribute (`x.name`), or followed by `(`, `.` or `[` without `def`/`class` before it. Every other
   * binding form (`name =`, `for name in`, `as name`, parameters, `def name`…) fails this test, and
   * then the tree decides. Spares most lookups the scope analysis.
   */
  private mayBeRebound(name: string): boolean {
    let answer = this.reboundCache.get(name);
    if (answer !== undefined) return answer;
    answer = false;
    this.imports();
    const text = this.text;
    // A few names get a scan each; past that, one index of every word serves all the others (a
    // scan per name is quadratic for a file with many imported names). Import statements are found
    // by binary search, not by a search of every import per occurrence.
    let offsets: Iterable<number>;
    if (this.reboundCache.size < 8) {
      offsets = [...text.matchAll(new RegExp(`\\b${escapeRegExp(name)}\\b`, 'g'))].map((m) => m.index!);
    } else {
      if (!this.wordOffsets) {
        this.wordOffsets = new Map();
        for (const m of text.matchAll(/[A-Za-z0-9_]+/g)) {
          const list = this.wordOffsets.get(m[0]);
          if (list) list.push(m.index!);
          else this.wordOffsets.set(m[0], [m.index!]);
        }
      }
      offsets = this.wordOffsets.get(name) ?? [];
    }
    for (const at of offsets) {
      if (inRanges(this.importRanges, at)) continue;
      let before = at - 1;
      while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
      if (text[before] === '.') continue;
      let after = at + name.length;
      while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
      const next = text[after];
      const keyword = /(?:^|[^A-Za-z0-9_])(def|class)[ \t]+$/.test(text.slice(Math.max(0, at - 16), at));
      if ((next === '(' || next === '.' || next === '[') && !keyword) continue;
      answer = true;
      break;
    }
    this.reboundCache.set(name, answer);
    return answer;
  }

  /** True when `name` at `node` is bound by something other than a module-level import. */
  isShadowed(name: string, node: SyntaxNode): boolean {
    if (!this.mayBeRebound(name)) return false;
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      let names = this.localCache.get(fn.startIndex);
      if (!names) {
        names = localBindings(fn);
        this.localCache.set(fn.startIndex, names);
      }
      if (names.has(name)) {
        // A local import of the same name is a binding we can still resolve.
        return !this.importsNamed(name).some((b) => b.scope && b.scope.start === fn!.startIndex);
      }
    }
    return this.moduleLevelAssignments().has(name);
  }

  /** The import binding in force for `name` at `node`, or null. */
  binding(name: string, node: SyntaxNode): ImportBinding | null {
    let best: ImportBinding | null = null;
    for (const b of this.importsNamed(name)) {
      if (b.scope) {
        if (node.startIndex < b.scope.start || node.startIndex >= b.scope.end) continue;
        if (!best || !best.scope || b.scope.start > best.scope.start) best = b;
      } else if (!best) {
        best = b;
      }
    }
    if (!best) return null;
    if (!best.scope && this.isShadowed(name, node)) return null;
    return best;
  }

  /**
   * The qualified name an identifier or attribute chain refers to through imports:
   * with `import requests as r`, `r.get` → `requests.get`. Null when the head is not imported.
   */
  resolve(node: SyntaxNode): string | null {
    // A plain dotted chain reads from its text; its head has the same scope as the chain.
    const type = node.type;
    if (type === 'identifier' || type === 'attribute') {
      const text = node.text;
      if (DOTTED_CHAIN.test(text)) {
        const [head, ...rest] = text.split('.');
        const b = this.binding(head!, node);
        return b ? [b.qualified, ...rest].join('.') : null;
      }
    }
    const parts: string[] = [];
    let n: SyntaxNode | null = node;
    while (n && n.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (!attr) return null;
      parts.unshift(attr.text);
      n = n.childForFieldName('object');
    }
    if (!n || n.type !== 'identifier') return null;
    const b = this.binding(n.text, n);
    if (!b) return null;
    return [b.qualified, ...parts].join('.');
  }

  /** Local names that refer to `qualified` or to something inside it (for trigger expansion). */
  aliasesOf(qualifiedPrefixes: ReadonlySet<string>, words: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    for (const b of this.imports()) {
      const segments = b.qualified.split('.');
      if (segments.some((s) => words.has(s)) || [...qualifiedPrefixes].some((q) => b.qualified === q || b.qualified.startsWith(q + '.'))) {
        out.add(b.local);
      }
    }
    return out;
  }
}

/** Whether `at` lies in one of `ranges` (sorted by start, not overlapping). */
function inRanges(ranges: readonly { start: number; end: number }[], at: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].end <= at) lo = mid + 1;
    else if (ranges[mid].start > at) hi = mid - 1;
    else return true;
  }
  return false;
}

const wordPatterns = new Map<string, RegExp>();

/** `\\b(?:w1|w2…)\\b`, compiled once per word set (a fresh RegExp starts slow in V8). */
function wordPattern(words: WordSet): RegExp {
  // Keyed by the words as given (escaping them for every file cost more than the lookup).
  const key = [...words.keys()].join('\n');
  let re = wordPatterns.get(key);
  if (!re) {
    if (wordPatterns.size > 256) wordPatterns.clear();
    const source = `\\b(?:${[...words.keys()].map(escapeRegExp).join('|')})\\b`;
    wordPatterns.set(key, (re = new RegExp(source, 'g')));
  }
  return re;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The start of the run of word characters (`\w`: ASCII letters, digits, `_`) that ends at `end`. */
function wordStartBefore(text: string, end: number): number {
  let i = end;
  while (i > 0 && isWordChar(text.charCodeAt(i - 1))) i--;
  return i;
}

/** Offset of the next whole word `import` (what `\bimport\b` finds) at or after `from`, or -1. */
function nextImportKeyword(text: string, from: number): number {
  for (let at = text.indexOf('import', from); at >= 0; at = text.indexOf('import', at + 6)) {
    if (wholeWord(text, at, at + 6)) return at;
  }
  return -1;
}


/** True for a whole Python identifier. */
export function isIdentifier(s: string): boolean {
  WORD.lastIndex = 0;
  return WORD.test(s) && WORD.lastIndex === s.length;
}

/** Node types at which the runner stops climbing from a trigger hit (statement containers). */
export const CLIMB_STOP = STATEMENT_CONTAINERS;

/** CPython's tokenizer refuses brackets nested deeper than this ("too many nested parentheses"). */
export const MAX_BRACKET_NESTING = 200;

/** Character classes of the bracket lexer, by character code (below 128). */
const OPEN = 1;
const CLOSE = 2;
const QUOTE = 3;
const HASH = 4;
/** `:` and `!`: they end an f-string field's expression at its own depth 0. */
const FIELD_END = 5;
const LEX = new Uint8Array(128);
LEX[40] = LEX[91] = LEX[123] = OPEN;
LEX[41] = LEX[93] = LEX[125] = CLOSE;
LEX[34] = LEX[39] = QUOTE;
LEX[35] = HASH;
LEX[33] = LEX[58] = FIELD_END;


/**
 * Reads Python text the way CPython's tokenizer does, for the nesting of brackets only: strings
 * (prefixes, escapes, triple quotes) and comments are skipped, and f- and t-string fields are code.
 * One per text; `depth` is the nesting where the last call left it.
 */
class BracketLexer {
  depth = 0;
  /** Where the limit was passed (-1: not yet). */
  beyond = -1;
  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  /** Offset of the line break ending the line at `i` (the text's length on the last line): a `\n` or a lone `\r`. */
  lineBreakAt(i: number): number {
    const text = this.text;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) return i;
    }
    return text.length;
  }

  /**
   * The offset after the string literal whose quote is at `q` (its prefix read backwards), or -2
   * once the limit is passed inside an f-string field. An unterminated string ends at its line's
   * break (one quote) or at the end of the text (three).
   */
  skipString(q: number): number {
    const text = this.text;
    const quote = text.charCodeAt(q);
    const triple = text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote;
    // The prefix: letters right before the quote, after something that is not part of a name.
    let p = q;
    while (p > 0 && isWordCode(text.charCodeAt(p - 1))) p--;
    let formatted = false;
    if (q - p > 0 && q - p <= 2) {
      for (let k = p; k < q; k++) {
        const c = text.charCodeAt(k) | 32;
        if (c === 102 /* f */ || c === 116 /* t */) formatted = true;
        else if (c !== 114 /* r */ && c !== 98 /* b */ && c !== 117 /* u */) {
          formatted = false;
          break;
        }
      }
    }
    const from = q + (triple ? 3 : 1);
    return formatted ? this.skipFormatted(from, quote, triple) : this.skipPlain(from, quote, triple);
  }

  /** One level deeper at offset `i`; false (and `beyond` set) once past the limit. */
  private open(i: number): boolean {
    if (++this.depth <= this.limit) return true;
    this.beyond = i;
    return false;
  }

  /** A plain string's end from the offset after its opening quote(s). */
  private skipPlain(i: number, quote: number, triple: boolean): number {
    const text = this.text;
    const n = text.length;
    if (triple) {
      const closing = String.fromCharCode(quote, quote, quote);
      for (;;) {
        const at = text.indexOf(closing, i);
        if (at < 0) return n;
        // Escaped when an odd run of backslashes comes before it.
        let b = at;
        while (b > i && text.charCodeAt(b - 1) === 92) b--;
        if ((at - b) % 2 === 0) return at + 3;
        i = at + 1;
      }
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) return i + 1;
      if (c === 92 /* \ */) {
        // The next character is escaped (a line break too: the string goes on); \r\n is one break.
        if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i++;
        i++;
      } else if (c === 10 || c === 13) return i;
    }
    return n;
  }

  /** An f-string's (or t-string's) end from the offset after its opening quote(s): fields are code. */
  private skipFormatted(i: number, quote: number, triple: boolean): number {
    const text = this.text;
    const n = text.length;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        if (!triple) return i + 1;
        if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
      } else if (c === 92 /* \ */) {
        i++;
      } else if ((c === 10 || c === 13) && !triple) {
        return i;
      } else if (c === 123 /* { */) {
        if (text.charCodeAt(i + 1) === 123) {
          i++;
          continue;
        }
        i = this.skipField(i, quote, triple);
        if (i < 0) return -2;
      }
      // A `}` outside a field is `}}` (or an error): not a bracket.
    }
    return n;
  }

  /**
   * An f-string field from its `{` at `i`: the expression (code), a conversion, a format spec with
   * fields of its own; returns the offset of its closing `}` (or where the string stops), or -1 once
   * the limit is passed. The field's braces count as brackets, as in CPython's tokenizer.
   */
  private skipField(i: number, quote: number, triple: boolean): number {
    if (!this.open(i)) return -1;
    const text = this.text;
    let at = this.fieldExpression(i + 1);
    if (at < 0) return -1;
    const n = text.length;
    if (at < n && text.charCodeAt(at) === 33 /* ! */) {
      // A conversion: `!r`, up to the format spec or the end of the field.
      while (at < n && text.charCodeAt(at) !== 58 && text.charCodeAt(at) !== 125) at++;
    }
    if (at < n && text.charCodeAt(at) === 58 /* : */) {
      // The format spec: text with nested fields, up to the field's `}`.
      for (at++; at < n; at++) {
        const c = text.charCodeAt(at);
        if (c === 125) break;
        if (c === quote || ((c === 10 || c === 13) && !triple)) return at - 1;
        if (c === 123) {
          at = this.skipField(at, quote, triple);
          if (at < 0) return -1;
        }
      }
    }
    if (at < n && text.charCodeAt(at) === 125 && this.depth > 0) this.depth--;
    return at;
  }

  /**
   * Scans an f-string field's expression from `i` to the `}`, `:` or `!` that ends it: returns that
   * offset (the text's length if none), or -1 once the limit is passed.
   */
  private fieldExpression(i: number): number {
    const text = this.text;
    const n = text.length;
    // Brackets opened inside the expression (a `:` or `}` inside them does not end it).
    let local = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) continue;
      const kind = LEX[c];
      if (kind === 0) continue;
      if (kind === OPEN) {
        local++;
        if (!this.open(i)) return -1;
      } else if (kind === CLOSE) {
        if (local === 0) return i;
        local--;
        if (this.depth > 0) this.depth--;
      } else if (kind === QUOTE) {
        i = this.skipString(i) - 1;
        if (i < -1) return -1;
      } else if (kind === HASH) {
        i = this.lineBreakAt(i) - 1;
      } else if (local === 0 && text.charCodeAt(i + 1) !== 61) {
        // `!r`, `:>10`; not `!=` nor `:=` (a walrus needs brackets in a field, but be lenient).
        return i;
      }
    }
    return n;
  }
}

/**
 * Offset of the first bracket nested deeper than `limit` in Python code, read the way Python's
 * tokenizer reads it (brackets in strings and comments do not count; those in f-string fields
 * do), or -1. One pass: comments and triple-quoted strings are skipped by search, short plain
 * strings by a loop here, and any other string by a BracketLexer.
 */
export function bracketsBeyond(text: string, limit: number): number {
  const lexer = new BracketLexer(text, limit);
  // The code outside strings and comments, in one tight loop (the lexer's own, which f-string
  // fields need, costs more per character): the depth is a local here, the lexer's around calls.
  const n = text.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 127) continue;
    const kind = LEX[c];
    if (kind === 0 || kind === FIELD_END) continue;
    if (kind === OPEN) {
      if (++depth > limit) return i;
    } else if (kind === CLOSE) {
      if (depth > 0) depth--;
    } else if (kind === HASH) {
      i = lexer.lineBreakAt(i) - 1;
    } else {
      // Most strings: no prefix, one quote, no backslash or line break before the closing quote
      // (they are short: a loop here costs less than a search).
      // (No read outside the text: one makes V8 deoptimize this loop into slower code.)
      if ((i === 0 || !isWordCode(text.charCodeAt(i - 1))) && i + 1 < n && text.charCodeAt(i + 1) !== c) {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === c || d === 92 || d === 10 || d === 13) break;
          j++;
        }
        if (j < n && text.charCodeAt(j) === c) {
          i = j;
          continue;
        }
      }
      lexer.depth = depth;
      i = lexer.skipString(i) - 1;
      if (i < -1) return lexer.beyond;
      depth = lexer.depth;
    }
  }
  return -1;
}

/** Offset of the first bracket nested deeper than `limit`, outside the [start, end) ranges in `skip` (sorted), or -1. */
function bracketBeyond(text: string, limit: number, skip: readonly { start: number; end: number }[]): number {
  let depth = 0;
  let next = 0;
  // A table lookup per character: faster than a regex that allocates a match per bracket.
  let stop = skip.length > 0 ? skip[0].start : text.length;
  for (let i = 0; i < text.length; i++) {
    if (i >= stop) {
      // Jump over the skipped range (ranges may touch or nest: take the furthest end reached).
      let to = i;
      while (next < skip.length && skip[next].start <= to) to = Math.max(to, skip[next++].end);
      i = to - 1;
      stop = next < skip.length ? skip[next].start : text.length;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c > 127) continue;
    const kind = LEX[c];
    if (kind === OPEN) {
      if (++depth > limit) return i;
    } else if (kind === CLOSE && depth > 0) {
      depth--;
    }
  }
  return -1;
}

/**
 * Offset of the first bracket nested deeper than Python accepts, or -1. Code nested that deep
 * makes per-level work of rules add up quadratically, and Python refuses it anyway. The lexer
 * (bracketsBeyond) answers for almost every file; only when it finds the limit passed are the
 * brackets counted again outside the string contents and comments of the tree, which decides.
 */
export function excessiveNesting(text: string, root: SyntaxNode, limit = MAX_BRACKET_NESTING): number {
  if (bracketsBeyond(text, limit) < 0) return -1;
  const skip = root
    .descendantsOfType(['string_content', 'comment'])
    .map((n) => ({ start: n.startIndex, end: n.endIndex }))
    .sort((a, b) => a.start - b.start);
  return bracketBeyond(text, limit, skip);
}
