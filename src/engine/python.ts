// Python source: tree-sitter parse, import bindings, scopes, and the trigger index the runner
// uses to hand nodes to rules without walking every node of a large file.
import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

let sharedParser: Parser | null = null;

function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(Python as unknown as Parser.Language);
  }
  return sharedParser;
}

/** Parse Python text. tree-sitter reports offsets in UTF-16 code units for JS strings. */
export function parsePython(text: string): Tree {
  return parser().parse(text, undefined, { bufferSize: text.length + 1 });
}

/** The first syntax error of a tree, or null. */
export function firstSyntaxError(root: SyntaxNode): { node: SyntaxNode; message: string } | null {
  if (!root.hasError) return null;
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
  for (let n = node.parent; n; n = n.parent) if (FUNCTION_TYPES.has(n.type)) return n;
  return null;
}

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

export class PythonSource {
  readonly tree: Tree;
  readonly root: SyntaxNode;
  private importsCache: ImportBinding[] | null = null;
  private moduleAssigned: Set<string> | null = null;
  private localCache = new Map<number, Set<string>>();

  constructor(
    readonly path: string,
    readonly text: string,
    tree?: Tree,
  ) {
    this.tree = tree ?? parsePython(text);
    this.root = this.tree.rootNode;
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

  /** All import statements of the file, including those inside functions. */
  imports(): ImportBinding[] {
    if (this.importsCache) return this.importsCache;
    const bindings: ImportBinding[] = [];
    const seen = new Set<number>();
    for (const m of this.text.matchAll(/\bimport\b/g)) {
      let node: SyntaxNode | null = this.root.descendantForIndex(m.index!, m.index! + 6);
      while (node && node.type !== 'import_statement' && node.type !== 'import_from_statement' && !STATEMENT_CONTAINERS.has(node.type)) {
        node = node.parent;
      }
      if (!node || STATEMENT_CONTAINERS.has(node.type) || seen.has(node.startIndex)) continue;
      seen.add(node.startIndex);
      const fn = enclosingFunction(node);
      const scope = fn ? { start: fn.startIndex, end: fn.endIndex } : null;
      if (node.type === 'import_statement') {
        for (const item of node.namedChildren) {
          if (item.type === 'dotted_name') {
            // `import a.b` binds `a` to the package a.
            const first = item.namedChildren[0]?.text ?? item.text;
            bindings.push({ local: first, qualified: first, node, scope });
          } else if (item.type === 'aliased_import') {
            const name = item.childForFieldName('name')?.text;
            const alias = item.childForFieldName('alias')?.text;
            if (name && alias) bindings.push({ local: alias, qualified: name, node, scope });
          }
        }
      } else {
        const moduleNode = node.childForFieldName('module_name');
        if (!moduleNode) continue;
        const module = moduleNode.text;
        for (const item of node.namedChildren) {
          if (item === moduleNode || item.startIndex === moduleNode.startIndex) continue;
          if (item.type === 'dotted_name') {
            bindings.push({ local: item.text, qualified: `${module}.${item.text}`, node, scope });
          } else if (item.type === 'aliased_import') {
            const name = item.childForFieldName('name')?.text;
            const alias = item.childForFieldName('alias')?.text;
            if (name && alias) bindings.push({ local: alias, qualified: `${module}.${name}`, node, scope });
          }
        }
      }
    }
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

  /** True when `name` at `node` is bound by something other than a module-level import. */
  isShadowed(name: string, node: SyntaxNode): boolean {
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      let names = this.localCache.get(fn.startIndex);
      if (!names) {
        names = localBindings(fn);
        this.localCache.set(fn.startIndex, names);
      }
      if (names.has(name)) {
        // A local import of the same name is a binding we can still resolve.
        return !this.imports().some((b) => b.local === name && b.scope && b.scope.start === fn!.startIndex);
      }
    }
    return this.moduleLevelAssignments().has(name);
  }

  /** The import binding in force for `name` at `node`, or null. */
  binding(name: string, node: SyntaxNode): ImportBinding | null {
    let best: ImportBinding | null = null;
    for (const b of this.imports()) {
      if (b.local !== name) continue;
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

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True for a whole Python identifier. */
export function isIdentifier(s: string): boolean {
  WORD.lastIndex = 0;
  return WORD.test(s) && WORD.lastIndex === s.length;
}

/** Node types at which the runner stops climbing from a trigger hit (statement containers). */
export const CLIMB_STOP = STATEMENT_CONTAINERS;
