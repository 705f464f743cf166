import type { PythonContext, PythonVisitors, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { isWordCode, mayContinueToCall, skipBlanks, stringEnd } from './lib/d1.js';
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

/** String prefixes without interpolation (f- and t-strings nest quotes in their fields: not read here). */
const PLAIN_PREFIX = /^(?:[rRuUbB]|[bB][rR]|[rR][bB])?$/;

/**
 * True when the argument list opening at `open` (a `(`) holds, at its own level, a keyword
 * argument `dict_converter=…` or a `**mapping`, as a forward scan of the text shows: brackets are
 * counted, comments and plain string literals skipped. Grammar facts: inside the list an item that
 * starts with a name followed by `=` (not `==`) is a keyword argument, and one that starts with
 * `**` a dictionary splat. False when there is none, and when the text is not plain enough to tell
 * (an f- or t-string, an unknown string prefix, an argument list running past `maxLength`).
 */
function passesConverterOrMapping(text: string, open: number, maxLength = 4000): boolean {
  const limit = Math.min(text.length, open + maxLength);
  let depth = 0;
  // At the list's own level, right after `(` or `,` (blanks, line breaks and comments between).
  let itemStart = false;
  for (let i = open; i < limit; ) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      itemStart = depth === 1;
      i++;
    } else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0) return false;
      itemStart = false;
      i++;
    } else if (c === 44) {
      itemStart = depth === 1;
      i++;
    } else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 92) {
      i++; // blanks, line breaks and line continuations keep itemStart
    } else if (c === 35) {
      while (i < limit && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === 34 || c === 39) {
      i = stringEnd(text, i, limit);
      if (i < 0) return false;
      itemStart = false;
    } else if (isWordCode(c)) {
      let j = i + 1;
      while (j < limit && isWordCode(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q === 34 || q === 39) {
        if (!PLAIN_PREFIX.test(text.slice(i, j))) return false;
        i = stringEnd(text, j, limit);
        if (i < 0) return false;
      } else {
        if (itemStart && j - i === 14 && text.startsWith('dict_converter', i)) {
          let k = j;
          for (let d = text.charCodeAt(k); k < limit && (d === 32 || d === 9 || d === 12 || d === 13 || d === 10 || d === 92); d = text.charCodeAt(++k));
          if (text.charCodeAt(k) === 61 && text.charCodeAt(k + 1) !== 61) return true;
        }
        i = j;
      }
      itemStart = false;
    } else {
      if (itemStart && c === 42 && text[i + 1] === '*') return true;
      itemStart = false;
      i++;
    }
  }
  return false;
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
  // A hit that is no callee (`import to_js`, `to_js,`) names no call: the rule sees every to_js call
  // through the name right before its `(`. Most calls already pass a converter, which their text
  // shows: the rule reports no call that passes `dict_converter=` or `**mapping`. The `(` after
  // the name opens the arguments of the call it names (level 1 or 2 above the hit; a call around
  // that one has a call as callee, which never resolves to to_js).
  triggerHit(ctx, _word, _start, end) {
    if (!mayContinueToCall(ctx.text, end, false)) return false;
    const open = skipBlanks(ctx.text, end);
    return ctx.text[open] !== '(' || !passesConverterOrMapping(ctx.text, open);
  },
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
