import type { PythonContext, PythonVisitors, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { readsTextFirst } from './lib/python-edits.js';
import { argumentCount, backOverBlanks, charBefore, D1Values, isWordCode, LocalValues, methodName, outermostParens, skipBlanks, type D1Value } from './lib/d1.js';

type Use = 'iterate' | 'index' | 'len' | 'json';

/** How a call `x.first()` with no arguments ends (blanks and line continuations allowed). */
const FIRST_CALL = /\.[\s\\]*first[\s\\]*\([\s\\]*\)$/;

const isAsciiWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The start of the name that ends at index `last` (inclusive) and follows a dot, or -1 when the
 * text there is no plain ASCII name (non-ASCII letters, a number) or no dot precedes it.
 */
function nameAfterDot(text: string, last: number): number {
  if (last < 0 || !isAsciiWord(text.charCodeAt(last))) return -1;
  let first = last;
  while (first > 0 && isAsciiWord(text.charCodeAt(first - 1))) first--;
  const c = text.charCodeAt(first);
  if ((first > 0 && text.charCodeAt(first - 1) > 127) || (c >= 48 && c <= 57)) return -1;
  const before = charBefore(text, first);
  return before >= 0 && text[before] === '.' ? first : -1;
}

/** Methods whose awaited result D1Values.kind knows. */
const D1_METHODS = new Set(['all', 'run', 'first']);

/**
 * True when the object of `.word` at `start` ends, on the word's line, with an empty call: `m()`
 * (a call, or an empty tuple), or `.m())` for a method `m` other than all, run or first. Such an
 * object is never a D1 value (D1Values.kind null):
 * - an object ending in `()` is a call or an empty tuple, and kind() knows neither;
 * - an object ending in `.m())` is a call whose arguments end with `….m()` (a call again), or a
 *   parenthesized expression ending with the call `….m()`: kind() unwraps it and sees a D1 value
 *   only in `await ….m()` with m one of all, run, first (`(await resp.json())` is none).
 * A `)` or `(` right before another code character is code, not the end of a string or comment.
 */
function endsWithOtherCall(text: string, start: number): boolean {
  const dot = charBefore(text, start);
  const close = dot >= 0 && text[dot] === '.' ? charBefore(text, dot) : -1;
  if (close < 0 || text[close] !== ')') return false;
  const inner = charBefore(text, close);
  if (inner >= 0 && text[inner] === '(') return true;
  if (inner < 0 || text[inner] !== ')') return false;
  const open = charBefore(text, inner);
  const last = open >= 0 && text[open] === '(' ? charBefore(text, open) : -1;
  const first = nameAfterDot(text, last);
  return first >= 0 && !D1_METHODS.has(text.slice(first, last + 1));
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

/**
 * At a call's start, on one line: `<name>.to_py` or `<name>.results.to_py` (group 1 the name,
 * group 2 the `.results` part), read before asking the tree for the call's parts.
 */
const TO_PY_CALLEE = /([A-Za-z_][A-Za-z0-9_]*)([ \t]*\.[ \t]*results)?[ \t]*\.[ \t]*to_py(?![A-Za-z0-9_])/y;

/** The end of `()` right after `calleeEnd` (spaces and tabs around the `(`), or -1. */
function emptyCallEnd(text: string, calleeEnd: number): number {
  let i = calleeEnd;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  if (text.charCodeAt(i) !== 40) return -1;
  i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return text.charCodeAt(i) === 41 ? i + 1 : -1;
}

/**
 * True when what follows `at` on its line (after spaces and tabs) cannot continue a primary
 * expression: no `(`, `[` or `.`, and no line break, comment, line continuation or end of text
 * before the next character (inside brackets a trailer may come on a later line).
 */
function nothingContinues(text: string, at: number): boolean {
  let i = at;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const c = text.charCodeAt(i);
  return i < text.length && c !== 40 && c !== 91 && c !== 46 && c !== 10 && c !== 13 && c !== 35 && c !== 92;
}

function label(node: SyntaxNode): string {
  return labelOf(node.text);
}

function labelOf(text: string): string {
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
  // (`.results` of an attribute is never a D1 result; `.to_py()` only matters on `X.results`), or
  // an empty call (`(await resp.json()).to_py()`, see endsWithOtherCall). A `.results` followed
  // by a dot (`.results.to_py()`) is the object of another attribute: neither used nor assigned.
  triggerHit(ctx, word, start, end) {
    // No dot before the word: no attribute or method name. A dot: the object is an attribute when
    // a plain name ends right before the dot after another dot (first..last); else the text cannot tell.
    const text = ctx.text;
    const dot = charBefore(text, start);
    if (dot >= 0 && text.charCodeAt(dot) !== 46) return false;
    const last = dot >= 0 ? charBefore(text, dot) : -1;
    const first = last >= 0 ? nameAfterDot(text, last) : -1;
    if (word === 'results') return first < 0 && text.charCodeAt(skipBlanks(text, end)) !== 46;
    if (word === 'to_py') return first >= 0 ? last - first === 6 && text.startsWith('results', first) : !endsWithOtherCall(text, start);
    return true;
  },
  python(ctx) {
    const values = new LocalValues(ctx.source);
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

    /** Vendored SDK: `.to_py()` on a D1 value of `kind` (the call's range, the object's text, and where it ends). */
    const reportExtraToPy = (start: number, end: number, kind: D1Value, objectText: string, objectEnd: number) => {
      const what = kind === 'row' ? 'a first() row' : kind === 'rows' ? 'D1 rows' : 'a D1 result';
      ctx.report({
        start,
        end,
        message: `The vendored workers SDK already returns ${what} as Python values: \`.to_py()\` on ${labelOf(objectText)} raises AttributeError`,
        fix: { applicability: 'safe', description: 'Remove `.to_py()`', edits: [{ start: objectEnd, end, text: '' }] },
      });
    };

    const text = ctx.text;
    const visitors: PythonVisitors = {
      attribute(node) {
        // An attribute ends with its name: read it from the text before asking the tree. After a
        // character that cannot continue a name, the name is exactly `results`; when the object
        // before its dot is a plain name, kindOfResults reads what it holds without its node.
        const end = node.endIndex;
        if (text.slice(end - 7, end) !== 'results') return;
        let kind: D1Value | null | undefined;
        if (!isWordCode(text.charCodeAt(end - 8))) {
          const dot = backOverBlanks(text, end - 8);
          if (text[dot] === '.') kind = d1.kindOfResults(node.startIndex, dot);
        }
        if (kind === undefined) {
          if (node.childForFieldName('attribute')?.text !== 'results') return;
          kind = d1.kind(node);
        }
        if (kind !== 'rows') return;
        // Followed by a dot, it is the object of another attribute (`.results.to_py()`, no
        // parentheses around it): neither a use nor an assignment's value.
        if (text[skipBlanks(text, end)] === '.') return;
        checkUses(outermostParens(node), 'rows');
      },
      call(node) {
        // Built-in SDK: only `x.first()` without arguments counts, which its text shows (a
        // comment in the call sends it to the tree).
        if (builtIn) {
          const call = text.slice(node.startIndex, node.endIndex);
          if (!FIRST_CALL.test(call) && !call.includes('#')) return;
          if (methodName(node) !== 'first') return;
          const wait = outermostParens(node).parent;
          if (wait?.type !== 'await' || argumentCount(node) !== 0 || !d1.hasPrepare(node)) return;
          checkUses(outermostParens(wait), 'row');
          return;
        }
        // Vendored SDK: `name.to_py(…)` and `name.results.to_py(…)` read from the text: the callee
        // is that chain when the call's function ends where the text's `to_py` ends (a chain of
        // names joined by dots is nested attributes), and the object is the name, or the name's
        // `.results`. The text shows it when the call is the chain and `()` up to its end (the
        // argument list then is that `()`, and the function what comes before it), else the tree.
        const start = node.startIndex;
        TO_PY_CALLEE.lastIndex = start;
        const m = TO_PY_CALLEE.exec(text);
        if (m) {
          const calleeEnd = start + m[0].length;
          const callEnd = emptyCallEnd(text, calleeEnd);
          // The call's end from the text: in a tree without errors, the only call that starts at
          // `start` and reads `chain()` with nothing after it that could continue the chain is that
          // `chain()` (a longer call would need a `(` after more trailers). Else the node says.
          const fromText = callEnd >= 0 && nothingContinues(text, callEnd) && readsTextFirst(ctx.source);
          const end = fromText ? callEnd : node.endIndex;
          if (fromText || callEnd === end || node.childForFieldName('function')?.endIndex === calleeEnd) {
            const name = m[1]!;
            const objectEnd = start + name.length + (m[2]?.length ?? 0);
            const held = d1.kindOfName(name, start, start + name.length);
            const kind: D1Value | null = m[2] === undefined ? held : held === 'result' ? 'rows' : null;
            if (kind) reportExtraToPy(start, end, kind, text.slice(start, objectEnd), objectEnd);
            return;
          }
        }
        if (methodName(node) !== 'to_py') return;
        const object = node.childForFieldName('function')!.childForFieldName('object');
        const kind: D1Value | null = object ? d1.kind(object) : null;
        if (!object || !kind) return;
        reportExtraToPy(start, node.endIndex, kind, object.text, object.endIndex);
      },
    };
    // The vendored SDK reports only `.to_py()` calls.
    return builtIn ? visitors : { call: visitors.call! };
  },
};
