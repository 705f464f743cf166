// Spelling JavaScript values in Python fixes (JS null, JSON.parse, Object.fromEntries) with the
// imports they need, and telling code that runs while a module is imported from code that runs
// later (inside a function or lambda body).
import { enclosingFunction, type PythonSource, type SyntaxNode } from '../../src/engine/python.js';
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

/** The function (def or lambda) whose local scope holds `node`, or null at module level. */
function scopeFunction(node: SyntaxNode): SyntaxNode | null {
  return enclosingFunction(node);
}

/** True when `node` binds in the scope of `fn` (null: the module), not in a nested def, lambda or class. */
function inScope(node: SyntaxNode, fn: SyntaxNode | null): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (fn && sameNode(n, fn)) return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
  }
  return fn === null;
}

/** The values a name may hold where it is read, as far as plain assignments show. */
export interface NameValues {
  /** Right-hand sides of `name = …` in the same scope, and the parameter default if any. */
  values: SyntaxNode[];
  /** Some binding has no visible value (a parameter, loop target, `with … as`, `+=`, unpacking, global, import). */
  unknown: boolean;
}

const OTHER_BINDINGS = ['augmented_assignment', 'for_statement', 'as_pattern_target', 'named_expression', 'global_statement', 'nonlocal_statement'];

/** The identifiers a binding statement other than `=` binds. */
function otherTargets(b: SyntaxNode): SyntaxNode[] {
  const target =
    b.type === 'for_statement' || b.type === 'augmented_assignment'
      ? b.childForFieldName('left')
      : b.type === 'named_expression'
        ? b.childForFieldName('name')
        : b;
  if (!target) return [];
  return target.type === 'identifier' ? [target] : target.descendantsOfType('identifier').filter((id) => id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript');
}

/** What a scope's plain assignments give each name, and the names some other binding sets. */
interface ScopeBindings {
  values: Map<string, SyntaxNode[]>;
  unknown: Set<string>;
}

/** Per file and scope: one pass over a scope's bindings instead of one per lookup. */
const scopeBindings = new WeakMap<PythonSource, Map<string, ScopeBindings>>();

function bindingsOf(source: PythonSource, fn: SyntaxNode | null, scope: SyntaxNode): ScopeBindings {
  let byScope = scopeBindings.get(source);
  if (!byScope) scopeBindings.set(source, (byScope = new Map()));
  const key = fn ? `${fn.startIndex}:${fn.endIndex}` : 'module';
  let found = byScope.get(key);
  if (found) return found;
  found = { values: new Map(), unknown: new Set() };
  for (const a of scope.descendantsOfType('assignment')) {
    const left = a.childForFieldName('left');
    if (!left || !inScope(a, fn)) continue;
    if (left.type === 'identifier') {
      let right = a.childForFieldName('right');
      while (right?.type === 'assignment') right = right.childForFieldName('right');
      if (!right) continue;
      const list = found.values.get(left.text);
      if (list) list.push(right);
      else found.values.set(left.text, [right]);
    } else {
      for (const id of otherTargets(left)) found.unknown.add(id.text);
    }
  }
  for (const b of scope.descendantsOfType(OTHER_BINDINGS)) {
    if (inScope(b, fn)) for (const id of otherTargets(b)) found.unknown.add(id.text);
  }
  byScope.set(key, found);
  return found;
}

/** Every value `name` is assigned in the scope that reads it at `at` (flow-insensitive). */
export function valuesOfName(source: PythonSource, at: SyntaxNode, name: string): NameValues {
  const fn = scopeFunction(at);
  const out: NameValues = { values: [], unknown: false };
  if (fn) {
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
      if (id?.text !== name) continue;
      // A parameter holds whatever the caller passes; its default is one more possible value.
      out.unknown = true;
      const value = p.childForFieldName('value');
      if (value) out.values.push(value);
    }
  } else if (source.binding(name, at)) {
    out.unknown = true;
  }
  const scope = fn ? fn.childForFieldName('body') : source.root;
  if (!scope) return out;
  const bindings = bindingsOf(source, fn, scope);
  out.values.push(...(bindings.values.get(name) ?? []));
  if (bindings.unknown.has(name)) out.unknown = true;
  return out;
}
