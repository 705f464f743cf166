import type { PythonContext, PythonVisitors, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { argumentCount, D1Values, LocalValues, methodName, outermostParens, type D1Value } from './lib/d1.js';

type Use = 'iterate' | 'index' | 'len' | 'json';

/** How a call `x.first()` with no arguments ends (blanks and line continuations allowed). */
const FIRST_CALL = /\.[\s\\]*first[\s\\]*\([\s\\]*\)$/;

/**
 * The index of the character before `at`, past blanks; -1 at the start of the text or at a line
 * break (a comment may end there, so the text before it says nothing certain).
 */
function charBefore(text: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i--;
  return i >= 0 && text[i] !== '\n' && text[i] !== '\r' ? i : -1;
}

const ASCII_WORD = /[A-Za-z0-9_]/;

/**
 * For `obj.word` at [start, end): 'none' when no dot precedes the word (it is no attribute or
 * method name), 'attribute' when `obj` is itself an attribute (`a.b.word`; `name` is its name),
 * 'other' for anything else or when the text cannot tell.
 */
function objectBefore(text: string, start: number): { kind: 'none' | 'attribute' | 'other'; name?: string } {
  const dot = charBefore(text, start);
  if (dot < 0) return { kind: 'other' };
  if (text[dot] !== '.') return { kind: 'none' };
  const last = charBefore(text, dot);
  if (last < 0 || !ASCII_WORD.test(text[last])) return { kind: 'other' };
  let first = last;
  while (first > 0 && ASCII_WORD.test(text[first - 1])) first--;
  if (first > 0 && text.charCodeAt(first - 1) > 127) return { kind: 'other' };
  if (/[0-9]/.test(text[first])) return { kind: 'other' };
  const before = charBefore(text, first);
  return before >= 0 && text[before] === '.' ? { kind: 'attribute', name: text.slice(first, last + 1) } : { kind: 'other' };
}

const ITERATING_BUILTINS = new Set(['list', 'tuple', 'sorted', 'enumerate']);
const JSON_DUMPERS = new Set(['json.dumps', 'json.dump']);

/** How a D1 value is used where a JsProxy behaves differently from a Python list or dict. */
function pythonUse(ctx: PythonContext, node: SyntaxNode): Use | null {
  const parent = node.parent;
  if (!parent) return null;
  const is = (field: string) => parent.childForFieldName(field)?.startIndex === node.startIndex && parent.childForFieldName(field)?.endIndex === node.endIndex;
  if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && is('right')) return 'iterate';
  if (parent.type === 'subscript' && is('value')) return 'index';
  if (parent.type === 'argument_list' && parent.namedChildren[0]?.startIndex === node.startIndex) {
    const fn = parent.parent?.childForFieldName('function');
    if (!fn) return null;
    const resolved = ctx.resolve(fn);
    if (resolved && JSON_DUMPERS.has(resolved)) return 'json';
    if (fn.type === 'identifier' && !resolved && !ctx.source.isShadowed(fn.text, fn)) {
      if (fn.text === 'len') return 'len';
      if (ITERATING_BUILTINS.has(fn.text)) return 'iterate';
    }
  }
  return null;
}

const CONSEQUENCE: Record<'rows' | 'row', Record<Use, string>> = {
  rows: {
    iterate: 'iterating it yields JavaScript objects, not dicts',
    index: 'indexing it yields JavaScript objects, not dicts',
    len: 'len() and the rest of the code see a JsProxy, not a list',
    json: 'json.dumps() raises TypeError on it',
  },
  row: {
    iterate: 'iterating it fails',
    index: 'subscripting it raises TypeError',
    len: 'len() fails on it',
    json: 'json.dumps() raises TypeError on it',
  },
};

function label(node: SyntaxNode): string {
  const text = node.text;
  return !/[\r\n]/.test(text) && text.length <= 40 ? `\`${text}\`` : 'this D1 result';
}

export const rule: Rule = {
  meta: {
    code: 'PW011',
    name: 'd1-results-to-py',
    gotcha: 11,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    appliesTo: (p) => p.sdk === 'built-in' || p.sdk === 'vendored',
    docs: {
      summary: 'D1 results used without `.to_py()` under the built-in SDK, or with `.to_py()` under the vendored SDK',
      whatItDoes:
        'Follows D1 queries (`.prepare(...)` chains ending in `.all()`, `.run()` or `.first()`, and names assigned from an awaited `.all()`) through simple assignments in the same function. Under the built-in SDK it reports iterating, indexing, `len()` or `json.dumps()` of `X.results` and of `.first()` rows without `.to_py()`. Under the vendored SDK it reports `.to_py()` on those values.',
      whyItBreaks:
        'The SDK built into the runtime hands D1 results over as JavaScript proxies (JsProxy): iterating `results.results` yields JavaScript objects, `row["title"]` raises TypeError, and `json.dumps` cannot serialise them. The vendored SDK (workers-runtime-sdk 1.3.0 and later, pulled in by pywrangler) wraps the D1 binding and already returns Python lists and dicts, so `.to_py()` on them raises AttributeError.',
      whenItHolds:
        'Built-in SDK (no `workers-py`/`workers-runtime-sdk` in pyproject.toml and compatibility_date before 2026-04-21): a missing `.to_py()` is reported. Vendored SDK (either package listed in pyproject.toml, or compatibility_date 2026-04-21 or later): an extra `.to_py()` is reported, and `results.results` read directly, as Cloudflare\'s current examples do, is fine. Same on Python 3.12, 3.13 and 3.14. Unknown runtime: silent. `.results` of objects that come from no D1 query in the function is ignored.',
      example:
        'results = await self.env.DB.prepare("SELECT * FROM feeds").all()\nfor row in results.results:\n    print(row["title"])',
      useInstead:
        '# built-in SDK\nresults = await self.env.DB.prepare("SELECT * FROM feeds").all()\nfor row in results.results.to_py():\n    print(row["title"])\n\n# vendored SDK: results are already Python values\nfor row in results.results:\n    print(row["title"])',
      fixSafety:
        'Safe. Built-in SDK: `.to_py()` is inserted after the value (for a `first()` row, at each use, which keeps the `None` check for a missing row working). Vendored SDK: the `.to_py()` call, which can only raise, is removed.',
      references: [
        { title: 'Cloudflare: D1 from Python Workers', url: 'https://developers.cloudflare.com/d1/worker-api/' },
        { title: 'Cloudflare: Python Workers FFI (JsProxy and to_py)', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
        { title: 'Cloudflare: Python Workers packages and the workers SDK', url: 'https://developers.cloudflare.com/workers/languages/python/packages/' },
        { title: 'workers-py: runtime-sdk D1 binding tests', url: 'https://github.com/cloudflare/workers-py/blob/main/packages/runtime-sdk/tests/bindings-test/src/test_d1.py' },
      ],
    },
  },
  triggers: ['results', 'first', 'to_py'],
  // `.results` is 1 above its name; `.first()` and `.to_py()` calls are 2 above theirs.
  triggerDepth: 2,
  // Built-in SDK: `.results` and `.first()`; vendored SDK: `.to_py()` only.
  triggersFor: (ctx) => (ctx.profile.sdk === 'built-in' ? ['results', 'first'] : ['to_py']),
  // Each node the rule checks is `<object>.results`, `<object>.first(...)` or `<object>.to_py(...)`,
  // reached from that name after a dot: other hits (a variable named `results`, `to_py(x)`) are
  // dropped, and so are those whose object the text shows is an attribute that cannot be a D1 value
  // (`.results` of an attribute is never a D1 result; `.to_py()` only matters on `X.results`).
  triggerHit(ctx, word, start) {
    const object = objectBefore(ctx.text, start);
    if (object.kind === 'none') return false;
    if (word === 'results') return object.kind !== 'attribute';
    if (word === 'to_py') return object.kind !== 'attribute' || object.name === 'results';
    return true;
  },
  python(ctx) {
    const values = new LocalValues(ctx.source.root);
    const d1 = new D1Values(values);
    const builtIn = ctx.profile.sdk === 'built-in';

    const reportMissing = (node: SyntaxNode, kind: 'rows' | 'row', use: Use) => {
      ctx.reportNode(
        node,
        `${label(node)} is a JsProxy under the built-in workers SDK, so ${CONSEQUENCE[kind][use]}: call \`.to_py()\` first`,
        { applicability: 'safe', description: 'Convert with `.to_py()`', edits: [{ start: node.endIndex, end: node.endIndex, text: '.to_py()' }] },
      );
    };

    /** Built-in SDK: a value of `kind` at `node`, used directly or through the name it is assigned to. */
    const checkUses = (node: SyntaxNode, kind: 'rows' | 'row') => {
      const direct = pythonUse(ctx, node);
      if (direct) {
        reportMissing(node, kind, direct);
        return;
      }
      const parent = node.parent;
      if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.startIndex !== node.startIndex) return;
      const uses = values.usesOf(parent).map((u) => ({ u, use: pythonUse(ctx, u) }));
      if (kind === 'rows') {
        // Convert once, where the array is taken.
        const first = uses.find((x) => x.use);
        if (first?.use) reportMissing(node, kind, first.use);
      } else {
        // A first() row may be None: convert where it is used, after the caller's None check.
        for (const { u, use } of uses) if (use) reportMissing(u, kind, use);
      }
    };

    const text = ctx.text;
    const visitors: PythonVisitors = {
      attribute(node) {
        // An attribute ends with its name: read it from the text before asking the tree.
        const end = node.endIndex;
        if (text.slice(end - 7, end) !== 'results' || node.childForFieldName('attribute')?.text !== 'results') return;
        if (d1.kind(node) !== 'rows') return;
        checkUses(outermostParens(node), 'rows');
      },
      call(node) {
        // Built-in SDK: only `x.first()` without arguments counts, which its text shows (a
        // comment in the call sends it to the tree).
        if (builtIn) {
          const call = text.slice(node.startIndex, node.endIndex);
          if (!FIRST_CALL.test(call) && !call.includes('#')) return;
        }
        const method = methodName(node);
        if (builtIn && method === 'first') {
          const wait = outermostParens(node).parent;
          if (wait?.type !== 'await' || argumentCount(node) !== 0 || !d1.hasPrepare(node)) return;
          checkUses(outermostParens(wait), 'row');
        } else if (!builtIn && method === 'to_py') {
          const object = node.childForFieldName('function')!.childForFieldName('object');
          const kind: D1Value | null = object ? d1.kind(object) : null;
          if (!object || !kind) return;
          const what = kind === 'row' ? 'a first() row' : kind === 'rows' ? 'D1 rows' : 'a D1 result';
          ctx.reportNode(
            node,
            `The vendored workers SDK already returns ${what} as Python values: \`.to_py()\` on ${label(object)} raises AttributeError`,
            { applicability: 'safe', description: 'Remove `.to_py()`', edits: [{ start: object.endIndex, end: node.endIndex, text: '' }] },
          );
        }
      },
    };
    // The vendored SDK reports only `.to_py()` calls.
    if (!builtIn) delete visitors.attribute;
    return visitors;
  },
};
