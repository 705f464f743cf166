// D1 values in Python Worker code, and the local value tracking binding rules share: a name's
// value is the right-hand side of its last simple assignment (`name = value`) earlier in the same
// function (or at module level). No flow analysis beyond that.
import { enclosingFunction, type SyntaxNode } from '../../src/engine/python.js';

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

function sameFunction(a: SyntaxNode, b: SyntaxNode | null): boolean {
  const fa = enclosingFunction(a);
  return fa === null ? b === null : b !== null && fa.startIndex === b.startIndex && fa.endIndex === b.endIndex;
}

/** An assignment `name = value` with its name and range read once (node reads are native calls). */
interface Assignment {
  node: SyntaxNode;
  name: string;
  start: number;
  end: number;
}

/** Simple assignments to plain names, per function, with their uses. */
export class LocalValues {
  private byScope = new Map<string, Assignment[]>();

  constructor(private readonly root: SyntaxNode) {}

  private assignments(fn: SyntaxNode | null): Assignment[] {
    const key = fn ? `${fn.startIndex}:${fn.endIndex}` : 'module';
    let list = this.byScope.get(key);
    if (!list) {
      const container = fn ? fn.childForFieldName('body') : this.root;
      list = [];
      for (const a of container?.descendantsOfType('assignment') ?? []) {
        const left = a.childForFieldName('left');
        if (left?.type !== 'identifier' || a.childForFieldName('right') === null || !sameFunction(a, fn)) continue;
        list.push({ node: a, name: left.text, start: a.startIndex, end: a.endIndex });
      }
      this.byScope.set(key, list);
    }
    return list;
  }

  /** The assignment to `name` in force at `at`: the last one that ends before it, in its scope. */
  assignmentBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    let best: Assignment | null = null;
    const before = at.startIndex;
    for (const a of this.assignments(enclosingFunction(at))) {
      if (a.end > before || a.name !== name) continue;
      if (!best || a.start > best.start) best = a;
    }
    return best?.node ?? null;
  }

  /** The value `name` holds at `at`, or null when no assignment in scope sets it. */
  valueBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    return this.assignmentBefore(name, at)?.childForFieldName('right') ?? null;
  }

  /** Reads of the name an assignment binds, while that assignment is the one in force. */
  usesOf(assignment: SyntaxNode): SyntaxNode[] {
    const left = assignment.childForFieldName('left');
    if (left?.type !== 'identifier') return [];
    const fn = enclosingFunction(assignment);
    const container = fn ? fn.childForFieldName('body') : this.root;
    if (!container) return [];
    return container.descendantsOfType('identifier').filter((id) => {
      if (id.text !== left.text || id.startIndex < assignment.endIndex || !sameFunction(id, fn)) return false;
      const parent = id.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === id.startIndex) return false;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === id.startIndex) return false;
      if (parent?.type === 'assignment' && parent.childForFieldName('left')?.startIndex === id.startIndex) return false;
      return this.assignmentBefore(left.text, id)?.startIndex === assignment.startIndex;
    });
  }
}

/** `result`: what `all()`/`run()` resolve to; `rows`: its `.results`; `row`: what `first()` resolves to. */
export type D1Value = 'result' | 'rows' | 'row';

const MAX_DEPTH = 4;

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

  kind(expr: SyntaxNode, depth = 0): D1Value | null {
    const e = unwrap(expr);
    if (e.type === 'await') return this.awaitedKind(e, false);
    if (e.type === 'attribute') {
      const object = e.childForFieldName('object');
      return e.childForFieldName('attribute')?.text === 'results' && object && this.kind(object, depth) === 'result' ? 'rows' : null;
    }
    if (e.type === 'identifier' && depth < MAX_DEPTH) {
      const value = this.values.valueBefore(e.text, e);
      if (!value) return null;
      const v = unwrap(value);
      return v.type === 'await' ? this.awaitedKind(v, true) : this.kind(v, depth + 1);
    }
    return null;
  }
}
