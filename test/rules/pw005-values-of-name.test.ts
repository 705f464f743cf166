// valuesOfName (rules/lib/js-values.ts, used by PW005 and PW007) finds a name's bindings from the
// text and confirms each occurrence with a cursor. This checks it against the plain tree walk it
// replaced (kept below as the reference) at every identifier of edge-case snippets and of
// generated Worker modules.
import { describe, expect, it } from 'vitest';
import { pythonModule } from '../../bench/corpus.js';
import { Random } from '../../bench/random.js';
import { valuesOfName, type NameValues } from '../../rules/lib/js-values.js';
import { enclosingFunction, PythonSource, type SyntaxNode } from '../../src/engine/python.js';

function sameNode(a: SyntaxNode | null, b: SyntaxNode): boolean {
  return a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function inScope(node: SyntaxNode, fn: SyntaxNode | null): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (fn && sameNode(n, fn)) return true;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
  }
  return fn === null;
}

const OTHER_BINDINGS = ['augmented_assignment', 'for_statement', 'as_pattern_target', 'named_expression', 'global_statement', 'nonlocal_statement'];

function otherTargets(b: SyntaxNode): SyntaxNode[] {
  const target =
    b.type === 'for_statement' || b.type === 'augmented_assignment' ? b.childForFieldName('left') : b.type === 'named_expression' ? b.childForFieldName('name') : b;
  if (!target) return [];
  return target.type === 'identifier' ? [target] : target.descendantsOfType('identifier').filter((id) => id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript');
}

/** The tree-walking valuesOfName the text-first one replaced. */
function referenceValuesOfName(source: PythonSource, at: SyntaxNode, name: string): NameValues {
  const fn = enclosingFunction(at);
  const out: NameValues = { values: [], unknown: false };
  if (fn) {
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
      if (id?.text !== name) continue;
      out.unknown = true;
      const value = p.childForFieldName('value');
      if (value) out.values.push(value);
    }
  } else if (source.binding(name, at)) {
    out.unknown = true;
  }
  const scope = fn ? fn.childForFieldName('body') : source.root;
  if (!scope) return out;
  for (const a of scope.descendantsOfType('assignment')) {
    const left = a.childForFieldName('left');
    if (!left || !inScope(a, fn)) continue;
    if (left.type === 'identifier') {
      let right = a.childForFieldName('right');
      while (right?.type === 'assignment') right = right.childForFieldName('right');
      if (right && left.text === name) out.values.push(right);
    } else if (otherTargets(left).some((id) => id.text === name)) {
      out.unknown = true;
    }
  }
  for (const b of scope.descendantsOfType(OTHER_BINDINGS)) {
    if (inScope(b, fn) && otherTargets(b).some((id) => id.text === name)) out.unknown = true;
  }
  return out;
}

const show = (v: NameValues) => ({ unknown: v.unknown, values: v.values.map((n) => `${n.type}@${n.startIndex}:${n.endIndex}`) });

function compare(text: string): number {
  const source = new PythonSource('x.py', text);
  let checked = 0;
  for (const id of source.root.descendantsOfType('identifier')) {
    expect(show(valuesOfName(source, id, id.text)), `${id.text}@${id.startIndex}`).toEqual(show(referenceValuesOfName(source, id, id.text)));
    checked++;
  }
  return checked;
}

const EDGES: Record<string, string> = {
  'parameters of every kind': 'def f(a, b=None, *c, d: int = 2, e: str, **g):\n    return a, b, c, d, e, g\nh = lambda p, q=3, *r, **s: (p, q, r, s)\n',
  'a default that reads an outer name of the same name': 'x = None\ndef f(x=x, y=lambda x=1: x):\n    return x, y\n',
  'annotated and chained assignments': 'def f():\n    a = b = None\n    c: int = 1\n    d: int\n    e = f = g = "x"\n    return a, b, c, d, e, f, g\n',
  'comparisons are not bindings': 'def f(x):\n    y = 1\n    if y == None or y != x:\n        return y\n',
  'other bindings make a name unknown': 'def f(items):\n    total = 0\n    total += 1\n    for i, (j, k) in items:\n        pass\n    with open(i) as fh, open(j) as (m, n):\n        pass\n    try:\n        pass\n    except E as err:\n        pass\n    if (w := 1):\n        pass\n    async def g():\n        nonlocal total\n    return total, i, j, k, fh, m, n, err, w\n',
  'async for and line continuations': 'async def f(rows):\n    async \\\n    for row \\\n        in rows:\n        pass\n    x \\\n        = None\n    return row, x\n',
  'unpacking, attributes and subscripts on the left': 'def f(obj, d, i):\n    a, *b = obj\n    [c, d2] = obj\n    obj.attr = None\n    d[i] = None\n    d[g(i)] = None\n    d[lambda: i] = 1\n    return a, b, c, d2, obj, d, i\n',
  'global and nonlocal': 'x = None\ndef f():\n    global x\n    x = 1\n    return x\n',
  'nested functions, lambdas and classes keep their bindings': 'def f():\n    x = 1\n    def g():\n        x = None\n        return x\n    class K:\n        x = None\n    h = lambda: (x := None)\n    return x, g, K, h\n',
  'comprehension variables': 'def f(rows):\n    x = None\n    ys = [x for x in rows]\n    return x, ys\n',
  'names in strings and comments': 'def f():\n    # x = None\n    s = "x = None"\n    x = 1\n    return x, s\n',
  'module level, imports and class bodies': 'import stmt\nfrom js import JSON as x\nstmt = None\nclass K:\n    y = None\nx = 1\nprint(stmt, x, K.y)\n',
  'a walrus in a parameter default or a return annotation': 'def f(a=(b := None)) -> (r := None):\n    return a, b, r\n',
  'the value of a walrus is read, not bound': 'def f(a):\n    b = None\n    if (c := b):\n        return c\n',
  'non-ASCII names': 'def f(café=None):\n    xé = None\n    é = 1\n    return café, xé, é\n',
  'one-line bodies and semicolons': 'def f(a): b = None; return a, b\ng = lambda: None\n',
  'a syntax error in the middle': 'def f(x):\n    y = None\n    z = (\n    return x, y\n',
};

describe('valuesOfName: text-first answers equal the tree walk', () => {
  for (const [name, text] of Object.entries(EDGES)) {
    it(name, () => {
      expect(compare(text)).toBeGreaterThan(0);
    });
  }

  it('generated Worker modules', () => {
    const rng = new Random(11);
    let checked = 0;
    for (let i = 0; i < 12; i++) checked += compare(pythonModule(rng, 6000, { entry: i % 3 === 0, pitfallRate: 0.5 }));
    expect(checked).toBeGreaterThan(1000);
  });
});
