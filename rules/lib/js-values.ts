// Spelling JavaScript values in Python fixes (JS null, JSON.parse, Object.fromEntries) with the
// imports they need, telling code that runs while a module is imported from code that runs later
// (inside a function or lambda body), and the values a name is assigned in its scope (found from
// the name's occurrences in the text, each confirmed by one cursor descent: see valuesOfName).
import type { PathLevel, PythonSource, SyntaxNode } from '../../src/engine/python.js';
import { charBefore, nameOffsets, occurrencesOf, type Occurrences, scopeKey, type Scope } from './d1.js';
import type { OffsetEdit, RuntimeProfile } from '../../src/engine/types.js';
import { ensureFromImport } from './python-edits.js';

/** An expression to put in place of something, and the edits (imports) it needs elsewhere. */
export interface Spelling {
  text: string;
  edits: OffsetEdit[];
}

/** Per file, the answers of nameInUse: each is a scan of the whole text, and fixes ask once per finding. */
const namesInUse = new WeakMap<PythonSource, Map<string, boolean>>();

/** True when `name` occurs as an identifier anywhere in the file, outside strings and comments. */
function nameInUse(source: PythonSource, name: string): boolean {
  let known = namesInUse.get(source);
  if (!known) namesInUse.set(source, (known = new Map()));
  let answer = known.get(name);
  if (answer === undefined) known.set(name, (answer = source.findIdentifiers(new Set([name])).length > 0));
  return answer;
}

/**
 * How to write the JavaScript global `name` (`JSON`, `Object`) at `at`: an existing
 * `from js import name`, else an existing `import js` (`js.name`), else a new `from js import name`
 * when the file uses `name` for nothing else. Null when every spelling would clash.
 */
export function jsGlobal(source: PythonSource, at: SyntaxNode, name: string): Spelling | null {
  if (source.binding(name, at)?.qualified === `js.${name}`) return { text: name, edits: [] };
  if (source.binding('js', at)?.qualified === 'js') return { text: `js.${name}`, edits: [] };
  if (!nameInUse(source, name)) return { text: name, edits: ensureFromImport(source, 'js', name) };
  return null;
}

/** `JSON.parse(<literal>)` (or `js.JSON.parse(…)`) for the text of a Python string literal. */
export function jsonParse(source: PythonSource, at: SyntaxNode, literal: string): Spelling | null {
  const json = jsGlobal(source, at, 'JSON');
  return json && { text: `${json.text}.parse(${literal})`, edits: json.edits };
}

/** Pyodide versions whose `pyodide.ffi` exports `jsnull` (measured: 0.28.2 and 314.0.4 do, 0.26.4 does not). */
export function hasJsnull(profile: RuntimeProfile): boolean {
  return profile.pyodide === '0.28' || profile.pyodide === '314';
}

/**
 * JavaScript `null` at `at`: `jsnull` from `pyodide.ffi` where the profile's Pyodide has it,
 * otherwise `JSON.parse("null")` through the `js` module, which works on every runtime.
 */
export function jsNull(source: PythonSource, profile: RuntimeProfile, at: SyntaxNode): Spelling | null {
  if (hasJsnull(profile)) {
    if (source.binding('jsnull', at)?.qualified === 'pyodide.ffi.jsnull') return { text: 'jsnull', edits: [] };
    if (!nameInUse(source, 'jsnull')) return { text: 'jsnull', edits: ensureFromImport(source, 'pyodide.ffi', 'jsnull') };
  }
  return jsonParse(source, at, '"null"');
}

function sameNode(a: SyntaxNode | null, b: SyntaxNode): boolean {
  return a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** `if __name__ == "__main__":` and `if TYPE_CHECKING:` blocks never run inside a Worker. */
function neverRunsInWorker(ifStatement: SyntaxNode): boolean {
  const condition = ifStatement.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  return /^__name__==(['"])__main__\1$/.test(condition) || /^(typing\.)?TYPE_CHECKING$/.test(condition);
}

/**
 * When `node` runs: 'import' for module level, class bodies, default argument values, decorators
 * and annotations; 'call' inside the body of a function or lambda (it runs when called, i.e. while
 * handling a request); 'never' under `if __name__ == "__main__":` or `if TYPE_CHECKING:`.
 */
export function executionTime(node: SyntaxNode): 'import' | 'call' | 'never' {
  let child = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if ((n.type === 'function_definition' || n.type === 'lambda') && sameNode(n.childForFieldName('body'), child)) return 'call';
    if (n.type === 'if_statement' && sameNode(n.childForFieldName('consequence'), child) && neverRunsInWorker(n)) return 'never';
  }
  return 'import';
}

/** The values a name may hold where it is read, as far as plain assignments show. */
export interface NameValues {
  /** Right-hand sides of `name = …` in the same scope, and the parameter default if any. */
  values: SyntaxNode[];
  /** Some binding has no visible value (a parameter, loop target, `with … as`, `+=`, unpacking, global, import). */
  unknown: boolean;
}

const FUNCTION_TYPES = new Set(['function_definition', 'lambda']);
/** Nodes that open a scope of their own: bindings below them bind there, not in the scope around. */
const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** Per file: a cursor for the occurrences, and per scope and name what valuesOfName found. */
interface FileNames {
  occurrences: Occurrences;
  byScopeAndName: Map<string, NameValues>;
}

const fileNames = new WeakMap<PythonSource, FileNames>();

/**
 * For one identifier occurrence of the name (path[depth], read from the cursor: types and ranges
 * only) in the scope whose node is path[scope] (0, the module, for module level): whether it is a
 * parameter of that function or a target of a binding in that scope. Sets `found.unknown`, adds a
 * parameter's default to `defaults` and an assignment whose left side it is to `assignments`
 * (their nodes are made once the scan is done).
 *
 * What counts, as the scope's nodes show it:
 * - a parameter of the scope's function (the parameter itself, or its name: the first child of a
 *   default or typed parameter, the only identifier of `*args`/`**kwargs`): unknown, with the
 *   default as one more value;
 * - the left side of `name = value` (chains give their last value) and `name: T = value`: a value;
 * - any other target: an identifier inside the left side of `=` or `+=`, the target of `for`,
 *   `with … as`/`except … as`, `:=`, `global`/`nonlocal` (names directly under `a.b` or `a[i]` are
 *   not bound): unknown;
 * counted only when the binding's nearest enclosing function, lambda or class is the scope's
 * function (and it sits in its body), or, at module level, when it has none.
 */
function classify(source: PythonSource, path: readonly PathLevel[], depth: number, scope: number, found: NameValues, defaults: SyntaxNode[], assignments: { start: number; end: number }[]): void {
  const leaf = path[depth]!;
  const fn = scope > 0 ? path[scope]! : null;
  const params = fn ? path[scope + 1] : undefined;
  if (params && (params.type === 'parameters' || params.type === 'lambda_parameters') && depth >= scope + 2) {
    if (depth === scope + 2) {
      found.unknown = true; // a plain parameter: whatever the caller passes
    } else if (depth === scope + 3) {
      const p = path[scope + 2]!;
      if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
        if (leaf.start === p.start) {
          found.unknown = true;
          const value = source.nodeWithRange(p.start, p.end, p.type).childForFieldName('value');
          if (value) defaults.push(value);
        }
      } else if (p.type === 'typed_parameter') {
        if (leaf.start === p.start) found.unknown = true;
      } else if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') {
        found.unknown = true;
      } else {
        // Anything else (a tuple parameter): its name as the tree gives it.
        const node = source.nodeWithRange(p.start, p.end, p.type);
        const id = node.childForFieldName('name') ?? node.namedChildren.find((c) => c.type === 'identifier');
        if (id?.startIndex === leaf.start) {
          found.unknown = true;
          const value = node.childForFieldName('value');
          if (value) defaults.push(value);
        }
      }
    }
    return;
  }
  // Bindings between the scope and the next function, lambda or class below it.
  if (fn) {
    const body = path[scope + 1];
    if (!body || (fn.type === 'lambda' ? body.type === 'lambda_parameters' : body.type !== 'block')) return;
  }
  let inner = scope + 1;
  while (inner < depth && !SCOPE_TYPES.has(path[inner]!.type)) inner++;
  const direct = path[depth - 1]!.type !== 'attribute' && path[depth - 1]!.type !== 'subscript';
  for (let k = inner - 1; k > scope; k--) {
    const b = path[k]!;
    const child = path[k + 1]!;
    const isLeaf = k + 1 === depth;
    switch (b.type) {
      case 'assignment':
        // The left side is the first child.
        if (child.start !== b.start) break;
        if (isLeaf) assignments.push({ start: b.start, end: b.end });
        else if (direct) found.unknown = true;
        break;
      case 'augmented_assignment':
        if (child.start === b.start && (isLeaf || direct)) found.unknown = true;
        break;
      case 'named_expression':
        if (isLeaf && child.start === b.start) found.unknown = true;
        break;
      case 'for_statement':
        // The target is the child right after `for` (or `async for`).
        if ((isLeaf || direct) && /^(?:async[\s\\]+)?for[\s\\]*$/.test(source.text.slice(b.start, child.start))) found.unknown = true;
        break;
      case 'as_pattern_target':
      case 'global_statement':
      case 'nonlocal_statement':
        if (direct) found.unknown = true;
        break;
    }
  }
}

function fileOf(source: PythonSource): FileNames {
  let file = fileNames.get(source);
  if (!file) fileNames.set(source, (file = { occurrences: occurrencesOf(source), byScopeAndName: new Map() }));
  return file;
}

/** What the bindings of `scope` (a function's range, or null for module level) give `name`. */
function scopeValues(source: PythonSource, scope: Scope, name: string): NameValues {
  const file = fileOf(source);
  const key = `${scopeKey(scope)}|${name}`;
  let found = file.byScopeAndName.get(key);
  if (found) return found;
  found = { values: [], unknown: false };
  const text = source.text;
  const defaults: SyntaxNode[] = [];
  const assignments: { start: number; end: number }[] = [];
  for (const at of nameOffsets(text, name, scope?.start ?? 0, scope?.end ?? text.length)) {
    // After a dot, a name is an attribute's: it binds nothing and names no parameter.
    const before = charBefore(text, at);
    if (before >= 0 && text[before] === '.') continue;
    const depth = file.occurrences.identifier(at, at + name.length);
    if (depth < 0) continue;
    const path = file.occurrences.path;
    let fn = 0;
    if (scope) {
      fn = depth - 1;
      while (fn > 0 && !(FUNCTION_TYPES.has(path[fn]!.type) && path[fn]!.start === scope.start && path[fn]!.end === scope.end)) fn--;
      if (fn === 0) continue;
    }
    classify(source, path, depth, fn, found, defaults, assignments);
  }
  found.values.push(...defaults);
  for (const a of assignments) {
    let right = source.nodeWithRange(a.start, a.end, 'assignment').childForFieldName('right');
    while (right?.type === 'assignment') right = right.childForFieldName('right');
    if (right) found.values.push(right);
  }
  file.byScopeAndName.set(key, found);
  return found;
}

/** The function or lambda whose local scope holds `at` (its range), or null at module level. */
export function scopeOfNode(source: PythonSource, at: SyntaxNode): Scope {
  return scopeAround(source, at.startIndex, at.endIndex);
}

/** The innermost function or lambda strictly around [start, end) (its range), or null at module level. */
export function scopeAround(source: PythonSource, start: number, end: number): Scope {
  return fileOf(source).occurrences.scopeAt(start, end);
}

/**
 * Every value `name` is assigned in the scope that reads it at `at` (flow-insensitive); `scope` is
 * scopeOfNode(source, at) when the caller has it already.
 */
export function valuesOfName(source: PythonSource, at: SyntaxNode, name: string, scope: Scope = scopeOfNode(source, at)): NameValues {
  const found = scopeValues(source, scope, name);
  const out: NameValues = { values: [...found.values], unknown: found.unknown };
  // At module level an import binds the name too.
  if (!scope && !out.unknown && source.binding(name, at)) out.unknown = true;
  return out;
}
