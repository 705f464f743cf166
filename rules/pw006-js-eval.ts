import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { OffsetFix } from '../src/engine/types.js';
import { mayContinueToCall } from './lib/d1.js';
import { executionTime, jsNull, jsonParse } from './lib/js-values.js';

/** Qualified names that compile JavaScript from a string, by what the message calls them. */
const CODE_FROM_STRINGS: Record<string, string> = {
  'js.eval': 'js.eval',
  'js.globalThis.eval': 'js.eval',
  'js.Function': 'js.Function',
  'js.Function.new': 'js.Function',
  'js.globalThis.Function': 'js.Function',
  'js.globalThis.Function.new': 'js.Function',
};

/** The text inside a plain string literal (no f/b prefix, no escapes, no interpolation), or null. */
function plainStringContent(node: SyntaxNode): string | null {
  if (node.type !== 'string') return null;
  const start = node.firstChild;
  const end = node.lastChild;
  if (start?.type !== 'string_start' || end?.type !== 'string_end' || /[fb]/i.test(start.text)) return null;
  if (node.descendantsOfType(['interpolation', 'escape_sequence']).length > 0) return null;
  const content = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
  return content.includes('\\') ? null : content;
}

/** For `js.eval("<JSON literal>")`: the same value without compiling code. */
function jsonFix(ctx: PythonContext, call: SyntaxNode): OffsetFix | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (args.length !== 1) return undefined;
  const content = plainStringContent(args[0]);
  if (content === null) return undefined;
  try {
    JSON.parse(content);
  } catch {
    return undefined;
  }
  const spelling = content.trim() === 'null' ? jsNull(ctx.source, ctx.profile, call) : jsonParse(ctx.source, call, args[0].text);
  if (!spelling) return undefined;
  return {
    applicability: 'safe',
    description: `Use \`${spelling.text}\` instead of compiling code`,
    edits: [{ start: call.startIndex, end: call.endIndex, text: spelling.text }, ...spelling.edits],
  };
}

export const rule: Rule = {
  meta: {
    code: 'PW006',
    name: 'js-eval-blocked',
    gotcha: 6,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    docs: {
      summary: '`js.eval` / `js.Function` where the runtime refuses to compile code from strings',
      whatItDoes:
        'Reports calls of JavaScript `eval` and the `Function` constructor reached through the `js` module (`js.eval(...)`, `from js import eval as e; e(...)`, `js.Function(...)`, `js.Function.new(...)`, `js.globalThis.eval(...)`): always inside a function or lambda body, and at import time (module level, class bodies, default values, decorators) when eval is not allowed during startup.',
      whyItBreaks:
        'Workers forbid generating code from strings while handling a request: the call raises `EvalError: Code generation from strings disallowed for this context`. Before compatibility date 2025-06-01 the same holds at startup, so a module-level `js.eval` stops the Worker from loading.',
      whenItHolds:
        'Inside a function or lambda body: always (the rule treats any function body as running while a request is handled). At import time: only while `allow_eval_during_startup` is not in force, i.e. compatibility_date before 2025-06-01, or `disallow_eval_during_startup` set. With an unknown runtime profile a module-level call is reported as info.',
      example: 'import js\n\nJS_NULL = js.eval("null")\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        limits = js.eval("[10, 100]")',
      useInstead:
        'import js\nfrom pyodide.ffi import jsnull  # Pyodide 0.28+; use js.JSON.parse("null") on 3.12\n\nJS_NULL = jsnull\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        limits = js.JSON.parse("[10, 100]")',
      fixSafety:
        'Safe, and offered only when the argument is a plain string literal holding JSON: `js.eval("null")` becomes JavaScript null (`jsnull` from `pyodide.ffi` on Pyodide 0.28 and later, `JSON.parse("null")` on 0.26), any other JSON literal becomes `JSON.parse(...)` of the same string, through an existing `from js import JSON` or `import js` (adding `from js import JSON` when neither exists). JSON.parse yields the value eval was meant to produce without compiling code. Other code strings get no fix: call the JavaScript API they wrap directly.',
      references: [
        { title: 'Cloudflare: compatibility flags (allow_eval_during_startup)', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
        { title: 'Cloudflare: Web standards — JavaScript standards (eval and new Function)', url: 'https://developers.cloudflare.com/workers/runtime-apis/web-standards/#javascript-standards' },
        { title: 'Cloudflare: Python Workers FFI', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
      ],
    },
  },
  triggers: ['eval', 'Function'],
  // Every callee the rule knows is at most 3 above a hit: `js.globalThis.Function.new(…)` is
  // attribute, attribute, call above `Function`; `js.eval(…)` 2 above `eval`; an alias `e(…)` 1.
  triggerDepth: 3,
  // Each of those callees holds a hit followed by `(` or `.` (`eval(`, `Function.new(`, `e(`).
  triggerHit: (ctx, _word, _start, end) => mayContinueToCall(ctx.text, end),
  python(ctx) {
    return {
      call(node) {
        const fn = node.childForFieldName('function');
        const what = fn ? CODE_FROM_STRINGS[ctx.resolve(fn) ?? ''] : undefined;
        if (!what) return;
        const when = executionTime(node);
        if (when === 'never') return;
        const fix = jsonFix(ctx, node);
        if (when === 'call') {
          ctx.reportNode(node, `\`${what}\` is blocked while handling a request on every runtime (EvalError: code generation from strings disallowed)`, fix);
          return;
        }
        if (!ctx.profile.known) {
          ctx.reportNode(node, `\`${what}\` at import time is blocked before compatibility_date 2025-06-01; runtime unknown, so this assumes an older date`, fix, 'info');
          return;
        }
        if (ctx.profile.flags.has('allow_eval_during_startup')) return;
        const why = ctx.profile.compatibilityDate && ctx.profile.compatibilityDate < '2025-06-01'
          ? `compatibility_date ${ctx.profile.compatibilityDate} is before 2025-06-01`
          : '`disallow_eval_during_startup` is set';
        ctx.reportNode(node, `\`${what}\` at import time is blocked at startup: ${why}, so the Worker fails to load`, fix);
      },
    };
  },
};
