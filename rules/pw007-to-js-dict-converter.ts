import type { PythonContext, PythonVisitors, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { jsGlobal, valuesOfName } from './lib/js-values.js';

const TO_JS = new Set(['pyodide.ffi.to_js']);

/** A callee written as a dotted name on one line, then `(`, read from a call's start. */
const CALLEE = /([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*\(/y;

/** JavaScript callees that take a Map (an iterable of pairs) as happily as an object. */
const MAP_FRIENDLY = /(^|\.)((Headers|Map|URLSearchParams)(\.new)?|Object\.fromEntries)$/;

/** True when `expr` evaluates to a Python dict we can see: a literal, a comprehension, `dict(...)`, or a name only ever assigned those. */
function isDict(ctx: PythonContext, expr: SyntaxNode, depth = 0): boolean {
  switch (expr.type) {
    case 'dictionary':
    case 'dictionary_comprehension':
      return true;
    case 'parenthesized_expression':
      return expr.namedChildren.length === 1 && isDict(ctx, expr.namedChildren[0], depth);
    case 'call': {
      const fn = expr.childForFieldName('function');
      return fn?.type === 'identifier' && fn.text === 'dict' && !ctx.source.isShadowed('dict', fn) && !ctx.source.binding('dict', fn);
    }
    case 'identifier': {
      if (depth > 2) return false;
      const { values, unknown } = valuesOfName(ctx.source, expr, expr.text);
      return !unknown && values.length > 0 && values.every((v) => isDict(ctx, v, depth + 1));
    }
    default:
      return false;
  }
}

/** True when the converted value goes where a Map is accepted: `headers=`, `Headers(...)`, `Map(...)`, `URLSearchParams(...)`, `Object.fromEntries(...)`. */
function mapIsFine(ctx: PythonContext, call: SyntaxNode): boolean {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const parent = n.parent;
  if (parent?.type === 'keyword_argument') return parent.childForFieldName('name')?.text === 'headers';
  if (parent?.type !== 'argument_list') return false;
  const callee = parent.parent?.childForFieldName('function');
  if (!callee) return false;
  return MAP_FRIENDLY.test(ctx.resolve(callee) ?? callee.text);
}

export const rule: Rule = {
  meta: {
    code: 'PW007',
    name: 'to-js-dict-becomes-map',
    gotcha: 7,
    severity: 'warning',
    languages: ['python'],
    fixable: 'safe',
    docs: {
      summary: '`to_js(dict)` without `dict_converter=Object.fromEntries`, which yields a JavaScript `Map`',
      whatItDoes:
        'Reports `to_js(...)` from `pyodide.ffi` whose first argument is a dict — a literal, a dict comprehension, a `dict(...)` call, or a name only ever assigned one of those in the same function or module — when no `dict_converter=` is given. Stays silent where a `Map` is accepted: the value of a `headers=` argument, and arguments of `Headers(...)`, `Map(...)`, `URLSearchParams(...)` and `Object.fromEntries(...)`.',
      whyItBreaks:
        'On Pyodide 0.26 and 0.28 `to_js` turns a dict into a `Map` (Pyodide\'s `LiteralMap`), not a plain object. Code that expects an object sees the wrong type: structured clone (Queue `send`, RPC to Durable Objects and services, Workflow params) refuses it, and APIs that check for a plain object or read only `Object` properties misbehave. Values already converted by `to_js` pass through the vendored SDK\'s binding wrappers unchanged, so the SDK does not repair them.',
      whenItHolds:
        'Python 3.12 and 3.13 runtimes (Pyodide 0.26 and 0.28), where a plain JavaScript object is expected. Silent on the Python 3.14 runtime (`python_workers_20260610`, Pyodide 314), whose `to_js` already makes plain objects from dicts. With an unknown runtime profile it reports info only.',
      example: 'from pyodide.ffi import to_js\n\nawait self.env.QUEUE.send(to_js({"id": order_id, "total": total}))',
      useInstead:
        'from js import Object\nfrom pyodide.ffi import to_js\n\nawait self.env.QUEUE.send(to_js({"id": order_id, "total": total}, dict_converter=Object.fromEntries))',
      fixSafety:
        'Safe: adds `dict_converter=Object.fromEntries` (or `js.Object.fromEntries` when the file has `import js`), importing `Object` from `js` when needed; nested dicts become plain objects too. Not offered when `Object` already names something else in the file. With the vendored SDK, passing the plain dict without `to_js` to a binding it wraps also works.',
      references: [
        { title: 'Cloudflare: Python Workers FFI (converting dicts)', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
        { title: 'Pyodide: pyodide.ffi.to_js', url: 'https://pyodide.org/en/stable/usage/api/python-api/ffi.html#pyodide.ffi.to_js' },
        { title: 'Pyodide: type conversions (dict to Map)', url: 'https://pyodide.org/en/stable/usage/type-conversions.html' },
      ],
    },
  },
  triggers: ['to_js'],
  // A to_js call is 1 above its callee (`to_js(…)`, an alias) or 2 (`ffi.to_js(…)`).
  triggerDepth: 2,
  python(ctx): PythonVisitors {
    if (ctx.profile.pyodide === '314') return {};
    const runtime = ctx.profile.known ? `Python ${ctx.profile.python} (Pyodide ${ctx.profile.pyodide})` : 'Python 3.12/3.13 (runtime unknown)';
    // Local names bound to pyodide.ffi.to_js, for the textual pre-check below.
    let aliases: Set<string> | null = null;
    const text = ctx.text;
    return {
      call(node) {
        // Most calls here only enclose a to_js call (`send(to_js(...))`). A callee that is a plain
        // dotted name shows in the text: it resolves to to_js only if it ends in `.to_js` or is a
        // name imported as pyodide.ffi.to_js. Anything else (comments, line breaks) goes to the tree.
        CALLEE.lastIndex = node.startIndex;
        const callee = CALLEE.exec(text);
        if (callee) {
          const segments = callee[1].split('.');
          if (segments.length > 1 && segments[segments.length - 1].trim() !== 'to_js') return;
          if (segments.length === 1) {
            aliases ??= new Set(ctx.source.imports().filter((b) => TO_JS.has(b.qualified)).map((b) => b.local));
            if (!aliases.has(segments[0])) return;
          }
        }
        const fn = node.childForFieldName('function');
        if (!fn || !TO_JS.has(ctx.resolve(fn) ?? '')) return;
        const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
        if (args.some((a) => a.type === 'dictionary_splat' || (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'dict_converter'))) return;
        const first = args[0];
        if (!first || first.type === 'keyword_argument' || first.type === 'list_splat' || !isDict(ctx, first)) return;
        if (mapIsFine(ctx, node)) return;
        const object = jsGlobal(ctx.source, node, 'Object');
        const last = args[args.length - 1];
        ctx.reportNode(
          node,
          `\`to_js\` turns this dict into a JavaScript Map on ${runtime}, not the plain object Workers APIs expect: pass \`dict_converter=Object.fromEntries\``,
          object
            ? {
                applicability: 'safe',
                description: `Add \`dict_converter=${object.text}.fromEntries\``,
                edits: [{ start: last.endIndex, end: last.endIndex, text: `, dict_converter=${object.text}.fromEntries` }, ...object.edits],
              }
            : undefined,
          ctx.profile.known ? undefined : 'info',
        );
      },
    };
  },
};
