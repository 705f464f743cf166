// LocalValues (rules/lib/d1.ts, used by PW011, PW012 and PW014) finds assignments and uses from
// the text and confirms them with a cursor. This checks it against the plain tree walk it replaced
// (kept below as the reference) at every identifier and every assignment of edge-case snippets
// and of generated Worker modules.
import { describe, expect, it } from 'vitest';
import { pythonModule } from '../../bench/corpus.js';
import { Random } from '../../bench/random.js';
import { argumentCount, awaited, D1Values, LocalValues, methodName, unwrap, type D1Value } from '../../rules/lib/d1.js';
import { enclosingFunction, PythonSource, type SyntaxNode } from '../../src/engine/python.js';

/** The tree-walking LocalValues the text-first one replaced: every assignment of a scope, every identifier of its body. */
class ReferenceLocalValues {
  private byScope = new Map<string, { node: SyntaxNode; name: string; start: number; end: number }[]>();

  constructor(private readonly root: SyntaxNode) {}

  private static sameFunction(a: SyntaxNode, b: SyntaxNode | null): boolean {
    const fa = enclosingFunction(a);
    return fa === null ? b === null : b !== null && fa.startIndex === b.startIndex && fa.endIndex === b.endIndex;
  }

  private assignments(fn: SyntaxNode | null) {
    const key = fn ? `${fn.startIndex}:${fn.endIndex}` : 'module';
    let list = this.byScope.get(key);
    if (!list) {
      const container = fn ? fn.childForFieldName('body') : this.root;
      list = [];
      for (const a of container?.descendantsOfType('assignment') ?? []) {
        const left = a.childForFieldName('left');
        if (left?.type !== 'identifier' || a.childForFieldName('right') === null || !ReferenceLocalValues.sameFunction(a, fn)) continue;
        list.push({ node: a, name: left.text, start: a.startIndex, end: a.endIndex });
      }
      this.byScope.set(key, list);
    }
    return list;
  }

  assignmentBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    let best: { node: SyntaxNode; start: number } | null = null;
    const before = at.startIndex;
    for (const a of this.assignments(enclosingFunction(at))) {
      if (a.end > before || a.name !== name) continue;
      if (!best || a.start > best.start) best = a;
    }
    return best?.node ?? null;
  }

  valueBefore(name: string, at: SyntaxNode): SyntaxNode | null {
    return this.assignmentBefore(name, at)?.childForFieldName('right') ?? null;
  }

  usesOf(assignment: SyntaxNode): SyntaxNode[] {
    const left = assignment.childForFieldName('left');
    if (left?.type !== 'identifier') return [];
    const fn = enclosingFunction(assignment);
    const container = fn ? fn.childForFieldName('body') : this.root;
    if (!container) return [];
    return container.descendantsOfType('identifier').filter((id) => {
      if (id.text !== left.text || id.startIndex < assignment.endIndex || !ReferenceLocalValues.sameFunction(id, fn)) return false;
      const parent = id.parent;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === id.startIndex) return false;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === id.startIndex) return false;
      if (parent?.type === 'assignment' && parent.childForFieldName('left')?.startIndex === id.startIndex) return false;
      return this.assignmentBefore(left.text, id)?.startIndex === assignment.startIndex;
    });
  }
}

/** The D1Values.kind the text-first one replaced, over the reference LocalValues. */
class ReferenceD1Values {
  constructor(private readonly values: ReferenceLocalValues) {}

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
        if (depth >= 4) return false;
        const value = this.values.valueBefore(n.text, n);
        return value ? this.hasPrepare(value, depth + 1) : false;
      } else {
        return false;
      }
      if (n) n = unwrap(n);
    }
    return false;
  }

  private awaitedKind(node: SyntaxNode, viaName: boolean): D1Value | null {
    const call = awaited(node);
    if (!call || call.type !== 'call' || argumentCount(call) !== 0) return null;
    const method = methodName(call);
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
    if (e.type === 'identifier' && depth < 4) {
      const value = this.values.valueBefore(e.text, e);
      if (!value) return null;
      const v = unwrap(value);
      return v.type === 'await' ? this.awaitedKind(v, true) : this.kind(v, depth + 1);
    }
    return null;
  }
}

const range = (n: SyntaxNode | null) => (n ? `${n.type}@${n.startIndex}:${n.endIndex}` : null);

/** Compares both at every identifier (valueBefore, assignmentBefore) and every assignment (usesOf). */
function compare(text: string): number {
  const source = new PythonSource('x.py', text);
  const fast = new LocalValues(source);
  const slow = new ReferenceLocalValues(source.root);
  let checked = 0;
  for (const id of source.root.descendantsOfType('identifier')) {
    const where = `${id.text}@${id.startIndex}`;
    expect(range(fast.assignmentBefore(id.text, id)), where).toBe(range(slow.assignmentBefore(id.text, id)));
    expect(range(fast.valueBefore(id.text, id)), where).toBe(range(slow.valueBefore(id.text, id)));
    checked++;
  }
  for (const a of source.root.descendantsOfType('assignment')) {
    expect(fast.usesOf(a).map(range), `uses of ${a.text}`).toEqual(slow.usesOf(a).map(range));
    checked++;
  }
  // D1 kinds over fresh instances, so that no answer comes from a cache the comparison above filled.
  const d1 = new D1Values(new LocalValues(source));
  const reference = new ReferenceD1Values(new ReferenceLocalValues(source.root));
  for (const e of source.root.descendantsOfType(['identifier', 'attribute', 'await', 'parenthesized_expression', 'call'])) {
    const where = `${e.type} ${e.text}@${e.startIndex}`;
    if (e.type === 'call') expect(d1.hasPrepare(e), where).toBe(reference.hasPrepare(e));
    else expect(d1.kind(e), where).toBe(reference.kind(e));
    if (e.type === 'attribute' && /\.\s*results$/.test(e.text)) {
      // The text path of PW011's visitors: the object before `.results` read as a plain name.
      const dot = e.startIndex + e.text.lastIndexOf('.');
      const fromText = d1.kindOfResults(e.startIndex, dot);
      if (fromText !== undefined) expect(fromText, where).toBe(reference.kind(e));
    }
    checked++;
  }
  return checked;
}

const EDGES: Record<string, string> = {
  'annotated assignment, with and without a value': 'x: int = 1\nprint(x)\ny: int\nprint(y)\ndef f():\n    z: "T" = 2\n    z: int\n    return z\n',
  'chained assignment': 'a = b = v\nprint(a, b)\ndef f():\n    c = d = e = load()\n    return c + d + e\n',
  'comparisons, walrus and augmented assignments are not assignments': 'x = 1\nif x == 2 or x <= 3 or x != 4:\n    print(x)\nif (x := 5):\n    x += 1\n    print(x)\n',
  'keyword arguments, defaults, dict keys, slices and lambda parameters': 'x = 1\nf(x=2)\ndef g(x=3, *, y: int = x):\n    return {x: x}[x:x]\nh = lambda x: x\nprint(x)\n',
  'nested def and class shadowing': 'x = 1\ndef outer():\n    x = 2\n    def inner():\n        x = 3\n        return x\n    class K:\n        x = 4\n        y = x\n    return x, inner, K\nprint(x)\n',
  'assignment targets inside lambdas and comprehensions': 'def f(rows):\n    total = 0\n    keys = [total for total in rows]\n    g = lambda total=total: total\n    h = [(total := r) for r in rows]\n    return total, keys, g, h\n',
  'names inside strings and comments': 'x = 1\n# x = 2\ns = "x = 3"\nt = f"{x=}"\nu = """\nx = 4\n"""\nprint(x)\n',
  'line continuations': 'x \\\n    = 1\ny = \\\n    x\nz: int \\\n    = y\nprint(x, y, z)\n',
  'semicolons and one-line bodies': 'a = 1; b = a; a = b\ndef f(): c = 1; return c\nprint(a, b)\n',
  'attributes and subscripts are not plain names': 'self.x = 1\nx = 2\nobj.x = x\nd[x] = x\nprint(obj.x, x)\n',
  'uses before, inside and after the assignment': 'def f(x):\n    print(x)\n    x = g(x)\n    x = h(x)\n    return x\n',
  'assignment ending after the use (multi-line right side)': 'def f():\n    x = 1\n    x = [\n        x,\n        x,\n    ]\n    return x\n',
  'non-ASCII names': 'café = 1\nxé = 2\nx = café\nprint(x, xé, café)\n',
  'module level reads inside functions': 'CONFIG = load()\ndef f():\n    return CONFIG\nCONFIG = other()\nprint(CONFIG)\n',
  'async, decorators and methods': 'import x\n@dec(x)\nasync def f(self):\n    res = await self.env.DB.prepare("q").all()\n    async for row in res.results:\n        print(row)\n    return res\n',
  'tuple targets and for loops': 'a, b = 1, 2\nfor a in range(3):\n    b = a\nwith open(a) as b:\n    pass\nprint(a, b)\n',
  'a syntax error in the middle': 'x = 1\ndef f(:\n    x = 2\n    return x\ny = x\n',
  'D1 results through names': 'async def f(env, q):\n    res = await env.DB.prepare(q).all()\n    rows = res.results\n    stmt = env.DB.prepare(q)\n    out = await stmt.bind(1).all()\n    one = await stmt.first()\n    ran = await stmt.run()\n    return rows, out.results, one, ran.results, res . results\n',
  'D1 value shapes the text cannot tell': 'async def f(env, q, db):\n    a = await (db.prepare(q).all())\n    b: object = await db.prepare(q).all()\n    c = d = await db.prepare(q).all()\n    e = await db.prepare(q).all(  # no arguments\n    )\n    g = await db.all(1)\n    h = await x + db.all()\n    i = await db.prepare(q).all \\\n        ()\n    return a.results, b.results, c.results, d.results, e.results, g.results, h.results, i.results\n',
  'D1 reads after a nested def or lambda': 'async def f(db):\n    res = await db.prepare("q").all()\n    def inner():\n        return res.results\n    g = lambda: res.results\n    res2 = await db.all()\n    k = lambda res2=res2: res2.results\n    return res.results, inner, g, k, (\n        res\n        .results\n    )\n',
  'many non-assignments and nested functions between an assignment and its reads': 'res = first()\nd = {res: 1, "k": {res: 2}}\nf(res=3)\ndef g(res=4):\n    res = 5\n    def h():\n        res = 6\n        return res\n    k = {res: res}\n    return res\nlam = lambda res=7: res\nprint(res, d)\nres = second()\nclass C:\n    res = 8\n    print(res)\nprint(res)\n',
  'awaited all() through shapes the text reads and shapes it leaves to the tree':
    'async def f(env, q, db, c, not_):\n' +
    '    a = await db.prepare("SELECT (a) FROM t WHERE x = \')\'").all()\n' +
    '    b = await db.prepare(f"SELECT {q}").all()\n' +
    '    c1 = await db.prepare(q).bind(*[1, 2], **{"k": (3)}).all()\n' +
    '    d = await db.prepare(q) . all ( )\n' +
    "    e = await env.DB['x'].all()\n" +
    '    g = await x or db.all()\n' +
    '    h = await (db).all()\n' +
    '    i = await db.prepare("""a)"""  # c)\n    ).all()\n' +
    '    j = await db.prepare(q).all() if c else None\n' +
    '    k = await db.prepare(q).all(), 1\n' +
    '    l = await db.prepare(r"\\"(").all()\n' +
    '    m = await not_(db).all()\n' +
    '    n = await db.prepare(q).all()[0]\n' +
    '    o = await db.prepare(q).all().all()\n' +
    '    p = await db.prepare(q).all\n' +
    '    r = await None.all()\n' +
    '    s = await [db][0].all()\n' +
    '    t = await {db}.all()\n' +
    '    u = await db.prepare(q)(1).all()\n' +
    '    w = await db.prepare("x" \'y\').all()\n' +
    '    z = await db.prepare(b"(").all()\n' +
    '    zé = await dbé.prepare(q).all()\n' +
    '    z2 = await db.prepare("a\\\n(").all()\n' +
    '    z3 = await db.all[0]()\n' +
    '    z4 = await db.prepare(q).all()  # trailing comment\n' +
    '    z5 = await db .\\\n        all()\n' +
    '    z6 = await db.prepare(q).all(\r\n    )\r\n' +
    '    z7 = await db.prepare(\'\'\'\n)\'\'\', [x for x in (1, 2)]).all()\n' +
    '    return (a.results, b.results, c1.results, d.results, e.results, g.results, h.results, i.results, j.results, k.results,\n' +
    '            l.results, m.results, n.results, o.results, p.results, r.results, s.results, t.results, u.results, w.results,\n' +
    '            z.results, zé.results, z2.results, z3.results, z4.results, z5.results, z6.results, z7.results)\n',
  'awaited all() in a file with a syntax error elsewhere': 'async def f(db):\n    res = await db.prepare("q").all()\n    return res.results\ndef g(:\n    pass\n',
  'global and nonlocal': 'x = 1\ndef f():\n    global x\n    x = 2\n    def g():\n        nonlocal x\n        x = 3\n    return x\n',
};

describe('LocalValues: text-first answers equal the tree walk', () => {
  for (const [name, text] of Object.entries(EDGES)) {
    it(name, () => {
      expect(compare(text)).toBeGreaterThan(0);
    });
  }

  it('generated Worker modules', () => {
    const rng = new Random(7);
    let checked = 0;
    for (let i = 0; i < 12; i++) checked += compare(pythonModule(rng, 6000, { entry: i % 3 === 0, pitfallRate: 0.5 }));
    expect(checked).toBeGreaterThan(1000);
  });
});
