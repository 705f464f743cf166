// The text-first paths of PW011 and rules/lib/d1.ts against the tree: hasWordIn (the function
// keyword search that replaced a regex over a slice), isAwaitedCallOf (an awaited `.all()` read
// from the text when the tree has no errors) and the vendored `.to_py()` visitor's reading of
// `name.to_py()` / `name.results.to_py()` calls.
import { describe, expect, it } from 'vitest';
import { pythonModule } from '../../bench/corpus.js';
import { Random } from '../../bench/random.js';
import { backOverBlanks, D1Values, hasWordIn, isAwaitedCallOf, LocalValues, mayContinueToCall, methodName, Occurrences, skipBlanks } from '../../rules/lib/d1.js';
import { rule } from '../../rules/pw011-d1-results-to-py.js';
import { PythonSource, type SyntaxNode } from '../../src/engine/python.js';
import { run, workerFiles } from '../helpers/rule-tester.js';

describe('hasWordIn equals /\\bword\\b/ over the slice', () => {
  it('random texts and ranges', () => {
    const rng = new Random(11);
    const parts = ['def', 'lambda', 'de', 'f', 'lam', 'bda', 'x', '_', ' ', '\n', 'é', '1', '(', '.', 'undef', 'define'];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = rng.int(0, 12);
      for (let i = 0; i < len; i++) text += parts[rng.int(0, parts.length - 1)];
      const from = rng.int(0, text.length);
      const to = rng.int(from, text.length);
      for (const word of ['def', 'lambda']) {
        expect(hasWordIn(text, word, from, to), `${JSON.stringify(text)} [${from}, ${to}) ${word}`).toBe(new RegExp(`\\b${word}\\b`).test(text.slice(from, to)));
      }
    }
  });
});

/** What the tree says: the assignment's right side is `await <x>.all()`, the call ending with it. */
function treeAwaitsAll(assignment: SyntaxNode): boolean {
  const right = assignment.childForFieldName('right');
  // A line continuation right after `await` is a (named) child of its own.
  const operands = right?.type === 'await' ? right.namedChildren.filter((c) => c.type !== 'line_continuation') : [];
  if (operands.length !== 1) return false;
  const call = operands[0]!;
  return call.type === 'call' && call.endIndex === right.endIndex && methodName(call) === 'all';
}

/** The arguments D1Values gives isAwaitedCallOf for `name = await …all()`, or null when its text checks fail first. */
function textArguments(text: string, assignment: SyntaxNode): [number, number, number] | null {
  const left = assignment.childForFieldName('left')!;
  const eq = skipBlanks(text, left.endIndex);
  const value = text[eq] === '=' ? skipBlanks(text, eq + 1) : -1;
  if (value < 0 || !text.startsWith('await', value)) return null;
  const close = backOverBlanks(text, assignment.endIndex - 1);
  const open = text[close] === ')' ? backOverBlanks(text, close - 1) : -1;
  const last = open >= 0 && text[open] === '(' ? backOverBlanks(text, open - 1) : -1;
  if (last < 2 || text.slice(last - 2, last + 1) !== 'all') return null;
  return [value + 5, assignment.endIndex, last + 1];
}

const RIGHT_SIDES = [
  'await db.prepare(q).all()',
  'await db.prepare("SELECT (a) FROM t WHERE x = \')\'").all()',
  'await db.prepare(f"SELECT {q}").all()',
  'await db.prepare(q).bind(*[1, 2], **{"k": (3)}).all()',
  'await db.prepare(q) . all ( )',
  "await env.DB['x'].all()",
  'await x or db.all()',
  'await x + db.all()',
  'await x if c else db.all()',
  'await x, db.all()',
  'await (db).all()',
  'await (db.all())',
  'await db.prepare("""a)"""  # c)\n    ).all()',
  'await db.prepare(r"\\"(").all()',
  'await not_(db).all()',
  'await None.all()',
  'await [db][0].all()',
  'await {db}.all()',
  'await db.prepare(q)(1).all()',
  'await db.prepare("x" \'y\').all()',
  'await \\\n        db.prepare(q).all()',
  'await db .\\\n        all()',
  'await db.prepare(b"(").all()',
  'await db.prepare(rb"(").all()',
  'await db.prepare(u"(" "#").all()',
  'await dbé.prepare(q).all()',
  'await db.prepare("a\\\n(").all()',
  'await db.all[0]()',
  'await db.all()()',
  'await db.all.all()',
  'await db.prepare(q).all(\r\n    )',
  "await db.prepare('''\n)''', [x for x in (1, 2)]).all()",
  'await db.prepare(q).all() == other.all()',
  'await db.prepare(q).all() is not None.all()',
  'await db[1:2].all()',
  'await db.prepare(q, # (\n    ).all()',
  'await db(x for x in y).all()',
];

describe('isAwaitedCallOf: true only where the tree has await → call of .all()', () => {
  it('right sides the text reads, and shapes it must leave to the tree', () => {
    let fast = 0;
    for (const rhs of RIGHT_SIDES) {
      const text = `async def f(db, q, x, c, env, not_, other, dbé, y):\n    res = ${rhs}\n    return res\n`;
      const source = new PythonSource('x.py', text);
      const assignment = source.root.descendantsOfType('assignment')[0];
      if (!assignment || source.root.hasError) continue;
      const args = textArguments(text, assignment);
      if (!args) continue;
      const fromText = isAwaitedCallOf(text, ...args);
      if (fromText) {
        fast++;
        expect(treeAwaitsAll(assignment), rhs).toBe(true);
      }
    }
    // The plain shapes go by the text.
    expect(fast).toBeGreaterThanOrEqual(15);
  });

  it('generated Worker modules: every assignment the text reads as an awaited `.all()` is one in the tree', () => {
    const rng = new Random(5);
    let checked = 0;
    for (let i = 0; i < 10; i++) {
      const text = pythonModule(rng, 6000, { entry: i % 2 === 0, pitfallRate: 0.6 });
      const source = new PythonSource('x.py', text);
      for (const a of source.root.descendantsOfType('assignment')) {
        if (a.childForFieldName('left')?.type !== 'identifier') continue;
        const args = textArguments(text, a);
        if (!args || !isAwaitedCallOf(text, ...args)) continue;
        expect(treeAwaitsAll(a), a.text).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});

const VENDORED = { sdk: 'vendored' as const, date: '2026-01-20' };

/** The vendored findings the tree gives: every call of `.to_py` whose object D1Values.kind() knows. */
function treeFindings(text: string): string[] {
  const source = new PythonSource('src/entry.py', text);
  const d1 = new D1Values(new LocalValues(source));
  const out: string[] = [];
  for (const call of source.root.descendantsOfType('call')) {
    if (methodName(call) !== 'to_py') continue;
    const object = call.childForFieldName('function')!.childForFieldName('object');
    if (object && d1.kind(object)) out.push(`${call.startIndex}:${call.endIndex}:${object.endIndex}:${call.endIndex}`);
  }
  return out.sort();
}

function ruleFindings(text: string): string[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const at = (line: number, column: number) => lineStarts[line - 1]! + column - 1;
  return run(rule, workerFiles(VENDORED, 'src/entry.py', text), 'src/entry.py')
    .map((f) => `${at(f.line, f.column)}:${at(f.endLine, f.endColumn)}:${at(f.fix!.edits[0]!.line, f.fix!.edits[0]!.column)}:${at(f.fix!.edits[0]!.endLine, f.fix!.edits[0]!.endColumn)}`)
    .sort();
}

const CALLS = [
  'res.to_py()',
  'res.results.to_py()',
  'res.results.to_py( )',
  'res.results.to_py\t(\t)',
  'res . results . to_py ()',
  'res.results.to_py(\n    )',
  'res.results.to_py(depth=1)',
  'res.results.to_py()  # c',
  'res.results.to_py(  # c\n    )',
  'res.results.to_py().to_py()',
  'res.to_py().to_py()',
  'res.results.to_py()()',
  'res.results.to_py()[0]',
  'res.results.to_py.to_py()',
  'res.results \\\n        .to_py()',
  '(res.results).to_py()',
  'row.to_py()',
  'row.results.to_py()',
  'other.results.to_py()',
  'res.results.to_pyx()',
  'res.resultsx.to_py()',
  // What follows the call: where the text shows its end, and where only the node can.
  'res.results.to_py() + 1',
  '[res.results.to_py()]',
  'f(res.results.to_py(), 1)',
  'res.results.to_py() if res else None',
  'res.results.to_py()(1)',
  'res.results.to_py() (1)',
  'res.results.to_py()[0]',
  'res.results.to_py() .x',
  'res.results.to_py()\\\n        (1)',
  '(res.results.to_py()\n        (1))',
  'res.results.to_py()(\n        to_py)',
  '(res.results.to_py()  # c\n        (1))',
  'res.to_py()(\n        to_py)',
  'res.results.to_py()\r\n',
];

describe('PW011 vendored: the text reading of to_py calls equals the tree', () => {
  it('a file with a syntax error', () => {
    const text = 'async def f(db, q):\n    res = await db.prepare(q).all()\n    x = [res.results.to_py()]\n    return x\ndef g(:\n    pass\n';
    expect(ruleFindings(text)).toEqual(treeFindings(text));
    expect(treeFindings(text).length).toBe(1);
  });

  it('call shapes', () => {
    let found = 0;
    for (const call of CALLS) {
      const text =
        'async def f(db, q, other):\n' +
        '    res = await db.prepare(q).all()\n' +
        '    row = await db.prepare(q).first()\n' +
        `    x = ${call}\n` +
        '    return x\n';
      const expected = treeFindings(text);
      expect(ruleFindings(text), call).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(8);
  });
});

/** What identifier() and its path say of [start, end): the assignment whose first child it is, and its scope. */
function byPath(occurrences: Occurrences, start: number, end: number): string {
  const depth = occurrences.identifier(start, end);
  const parent = depth > 0 ? occurrences.path[depth - 1]! : null;
  if (!parent || parent.type !== 'assignment' || parent.start !== start) return 'none';
  const scope = occurrences.scopeOnPath(depth, start, end);
  return `${parent.start}:${parent.end} in ${scope ? `${scope.start}:${scope.end}` : 'module'}`;
}

function byLeanWalk(occurrences: Occurrences, start: number, end: number): string {
  const a = occurrences.assignmentOfLeft(start, end);
  return a ? `${a.start}:${a.end} in ${a.scope ? `${a.scope.start}:${a.scope.end}` : 'module'}` : 'none';
}

const LEFT_SIDES = [
  'x = 1\ny: int = 2\nz: int\na = b = c = 3\nd, e = 4, 5\nf.g = 6\nh[0] = 7\n',
  'def f(x=1, *, y: int = 2):\n    x = 3\n    g = lambda x=x: x\n    def h():\n        x = 4\n        return x\n    return {x: x}, k(x=5)\n',
  'class C:\n    x = 1\n    def m(self):\n        self.x = x = 2\n        return [x for x in range(3)]\n',
  '# x = 1\ns = "x = 2"\nt = f"{x=}"\nu = """\nx = 3\n"""\nx \\\n    = 4\n',
  'x = 1\r\ndef f():\r\n    x = 2\r\n    return x\r\n',
  'if (x := 1):\n    x += 2\n    for x in y:\n        with z as x:\n            x = 3\n',
  'x = 1\ndef f(:\n    x = 2\ny = x\n',
  'async def f(db):\n    res = await db.prepare("q").all()\n    return res.results\n',
  'café = 1\nxé = 2\nx = café\n',
  'match = 1\ntype = 2\ncase = 3\n_ = 4\n',
  'f = lambda: (x := 1)\ng = lambda y: [z := y]\n',
];

/**
 * Two tests of a check that returns how many cases it compared: each edge snippet (at least one
 * case each), then generated Worker modules (at least `atLeast` cases in all).
 */
function snippetsAndModules(check: (text: string) => number, snippets: readonly string[], o: { seed: number; modules: number; size: number; atLeast: number }): void {
  it('edge snippets', () => {
    for (const text of snippets) expect(check(text)).toBeGreaterThan(0);
  });

  it('generated Worker modules', () => {
    const rng = new Random(o.seed);
    let checked = 0;
    for (let i = 0; i < o.modules; i++) checked += check(pythonModule(rng, o.size, { entry: i % 2 === 0, pitfallRate: 0.5 }));
    expect(checked).toBeGreaterThan(o.atLeast);
  });
}

describe('Occurrences.assignmentOfLeft equals identifier() and its path', () => {
  const check = (text: string): number => {
    const source = new PythonSource('x.py', text);
    const path = new Occurrences(source);
    const lean = new Occurrences(source);
    let checked = 0;
    for (const m of text.matchAll(/[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\u00c0-\uffff]*/g)) {
      const start = m.index;
      const end = start + m[0].length;
      expect(byLeanWalk(lean, start, end), `${m[0]}@${start}`).toBe(byPath(path, start, end));
      // A range inside a word, and one past its end.
      if (m[0].length > 1) expect(byLeanWalk(lean, start + 1, end), `${m[0]}@${start + 1}`).toBe(byPath(path, start + 1, end));
      expect(byLeanWalk(lean, start, end + 1), `${m[0]}@${start}+1`).toBe(byPath(path, start, end + 1));
      checked++;
    }
    return checked;
  };

  snippetsAndModules(check, LEFT_SIDES, { seed: 3, modules: 6, size: 5000, atLeast: 2000 });
});

const SCOPES = [
  'def f(a=lambda: 1, *, b: int = (lambda x: x)(2)):\n    """def lambda"""\n    g = lambda y=lambda: 3: y\n    @dec(lambda: 4)\n    async def h(self):\n        return [lambda: z for z in a]\n    class K(Base, meta=lambda: 5):\n        x = 1\n        def m(self): return self\n    return g, h, K\n',
  'if x:\n    def a(): pass\nelif y:\n    b = lambda: 1\nelse:\n    pass\nfor i in (lambda: 2)():\n    def c(): return i\nelse:\n    d = 3\nwhile e:\n    def f(): pass\n',
  'try:\n    def a(): pass\nexcept E as err:\n    def b(): return err\nelse:\n    pass\nfinally:\n    c = lambda: 0\nwith open(x) as fh, (lambda: y)() as z:\n    def d(): return fh\n',
  'match cmd:\n    case [x, y] if (lambda: x)():\n        def f(): return y\n    case _:\n        g = lambda: 1\n',
  'x = 1  # def lambda\ns = "lambda"\ndef f():\n    # lambda\n    return x\n\n\n   \ndef g(\n    a,\n):\n    pass\n',
  'def f(:\n    x = lambda: 1\ndef g():\n    return 2\n',
  'def f():\r\n    x = lambda: 1\r\n    return x\r\n',
];

describe('Occurrences.scopeAt (the statements walk) equals scopeOnPath of the full path', () => {
  const check = (text: string): number => {
    const source = new PythonSource('x.py', text);
    const path = new Occurrences(source);
    const walk = new Occurrences(source);
    const key = (s: { start: number; end: number } | null) => (s ? `${s.start}:${s.end}` : 'module');
    let checked = 0;
    for (let start = 0; start < text.length; start++) {
      // Non-empty ranges: for an empty one at a node's end the path's answer depends on the walk before.
      for (const end of [start + 1, start + 3, start + 10]) {
        if (end > text.length) continue;
        const depth = path.descend(start, end);
        expect(key(walk.scopeAt(start, end)), `[${start}, ${end}) in ${JSON.stringify(text.slice(0, 40))}`).toBe(key(path.scopeOnPath(depth, start, end)));
        checked++;
      }
    }
    // Every node's own range (functions and lambdas equal to it are not around it).
    for (const node of source.root.descendantsOfType(['function_definition', 'lambda', 'call', 'identifier', 'block'])) {
      if (node.startIndex === node.endIndex) continue;
      const depth = path.descend(node.startIndex, node.endIndex);
      expect(key(walk.scopeAt(node.startIndex, node.endIndex)), `${node.type}@${node.startIndex}`).toBe(key(path.scopeOnPath(depth, node.startIndex, node.endIndex)));
      checked++;
    }
    return checked;
  };

  snippetsAndModules(check, SCOPES, { seed: 9, modules: 3, size: 3000, atLeast: 5000 });
});

describe('mayContinueToCall: the next token after a name, past blanks, line breaks and comments', () => {
  const after = (text: string, name: string, dot = true) => mayContinueToCall(text, text.indexOf(name) + name.length, dot);
  it.each([
    ['a call', 'x = to_js(y)', true, true],
    ['blanks and a continuation before the `(`', 'x = to_js \\\n  (y)', true, true],
    ['`(` on a later line, inside brackets', 'x = [to_js\n\n  (y)]', true, true],
    ['a comment and a blank line before the `(`', 'x = (to_js  # c\n\n  (y))', true, true],
    ['an attribute', 'x = to_js.a', true, true],
    ['an attribute, when dots do not count', 'x = to_js.a', false, false],
    ['the end of an import line, then the next statement', 'from pyodide.ffi import to_js\nfrom js import Object\n', true, false],
    ['the end of the text', 'import to_js', true, false],
    ['a comma', 'f(to_js, 1)', true, false],
    ['an operator', 'x = to_js + 1', true, false],
  ])('%s', (_name, text, dot, expected) => {
    expect(after(text, 'to_js', dot)).toBe(expected);
  });
});
