import type { PythonContext, Rule } from '../src/engine/rule.js';
import { enclosingFunction, type SyntaxNode } from '../src/engine/python.js';
import { charBefore, LocalValues, outermostParens, unwrap } from './lib/d1.js';
import { definedNames, entrypointKind, functionName, isModuleLevel, methodClass, parameterName, parameterShape } from './lib/entrypoints.js';

/** dict methods a JavaScript object proxy does not have. */
const DICT_METHODS = new Set(['get', 'keys', 'values', 'items', 'pop', 'setdefault', 'copy', 'update']);

type Use = 'index' | 'method' | 'json';

const CONSEQUENCE: Record<Use, (name: string) => string> = {
  index: () => 'subscripting it raises TypeError',
  method: (m) => `a JavaScript object has no \`.${m}()\``,
  json: () => 'json.dumps() raises TypeError on it',
};

/** The batch parameter of a queue handler, or null when `fn` is not one. */
function batchParameter(ctx: PythonContext, fn: SyntaxNode): string | null {
  const name = functionName(fn);
  const positional = parameterShape(fn).positional;
  let batch: SyntaxNode | undefined;
  if (name === 'queue') {
    const cls = methodClass(fn);
    if (!cls || entrypointKind(ctx, cls) !== 'WorkerEntrypoint') return null;
    batch = positional[1];
  } else if (name === 'on_queue' && isModuleLevel(fn)) {
    batch = positional[0];
  }
  return batch ? parameterName(batch) || null : null;
}

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

export const rule: Rule = {
  meta: {
    code: 'PW014',
    name: 'queue-body-to-py',
    gotcha: 14,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    appliesTo: (p) => p.sdk === 'built-in',
    docs: {
      summary: 'Queue message `body` used like a dict without `.to_py()` under the built-in SDK',
      whatItDoes:
        'In a `queue` method of a `WorkerEntrypoint` subclass, or a module-level `on_queue`, follows the messages of the batch (`for message in batch.messages`) and reports `message.body[...]`, `message.body.get(...)` (and other dict methods) and `json.dumps(message.body)`, directly or through a name the body is assigned to, when no `.to_py()` converts it.',
      whyItBreaks:
        'With the SDK built into the runtime, the batch is the JavaScript object the runtime passes in, so `message.body` is a JsProxy of the JavaScript value that was sent. Subscripting a JavaScript object raises TypeError, it has no `.get()`, and `json.dumps` cannot serialise it: the consumer throws and the batch is retried.',
      whenItHolds:
        'Built-in SDK only: no `workers-py`/`workers-runtime-sdk` in pyproject.toml and compatibility_date before 2026-04-21. The vendored SDK (workers-runtime-sdk 1.4.0 and later) wraps queue batches of `WorkerEntrypoint` classes and converts bodies to Python values, so `message.body["id"]` is correct there. Same on Python 3.12, 3.13 and 3.14. Unknown runtime: silent.',
      example:
        'class Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n        for message in batch.messages:\n            order_id = message.body["id"]',
      useInstead:
        'class Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n        for message in batch.messages:\n            order_id = message.body.to_py()["id"]',
      fixSafety:
        'Safe: `.to_py()` is inserted right after `.body`; the converted value supports exactly the subscripts and dict methods the code already uses. Where the body is first assigned to a name, the conversion goes into that assignment.',
      references: [
        { title: 'Cloudflare: Queues from Python Workers', url: 'https://developers.cloudflare.com/queues/configuration/javascript-apis/' },
        { title: 'Cloudflare: Python Workers FFI (JsProxy and to_py)', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
        { title: 'workers-py: runtime-sdk entrypoints (queue batch wrapper)', url: 'https://github.com/cloudflare/workers-py/blob/main/packages/runtime-sdk/src/workers/entrypoints.py' },
      ],
    },
  },
  triggers: ['body'],
  // The rule checks attributes `<message>.body`: 1 above `body`, which a dot precedes (a line
  // break before the name leaves it to the tree).
  triggerDepth: 1,
  // A reported `.body` is inside a function named `queue` or `on_queue` (batchParameter): a file
  // that defines neither has nothing to report.
  triggersFor: (ctx) => (definedNames(ctx, ['queue', 'on_queue']).length > 0 ? ['body'] : []),
  triggerHit(ctx, _word, start) {
    const dot = charBefore(ctx.text, start);
    return dot < 0 || ctx.text[dot] === '.';
  },
  python(ctx) {
    const values = new LocalValues(ctx.source);

    const isMessages = (expr: SyntaxNode, batch: string, depth = 0): boolean => {
      const e = unwrap(expr);
      if (e.type === 'attribute') {
        const object = e.childForFieldName('object');
        return e.childForFieldName('attribute')?.text === 'messages' && object?.type === 'identifier' && object.text === batch;
      }
      if (e.type === 'identifier' && depth < 2) {
        const value = values.valueBefore(e.text, e);
        return value !== null && isMessages(value, batch, depth + 1);
      }
      return false;
    };

    /** True when `message` at `at` is a message of the batch: a loop over it, or `batch.messages[i]`. */
    const isMessage = (message: SyntaxNode, fn: SyntaxNode, batch: string): boolean => {
      const m = unwrap(message);
      if (m.type === 'subscript') return isMessages(m.childForFieldName('value')!, batch);
      if (m.type !== 'identifier') return false;
      const loops = fn.descendantsOfType(['for_statement', 'for_in_clause']);
      return loops.some((loop) => {
        const left = loop.childForFieldName('left');
        const right = loop.childForFieldName('right');
        if (left?.type !== 'identifier' || left.text !== m.text || !right || !isMessages(right, batch)) return false;
        // The loop variable is in scope in the loop's body, or in the whole comprehension.
        const span = loop.type === 'for_statement' ? loop : loop.parent;
        return span !== null && contains(span, m);
      });
    };

    const useOf = (node: SyntaxNode): { use: Use; method: string } | null => {
      const parent = node.parent;
      if (!parent) return null;
      const at = (field: string) => parent.childForFieldName(field)?.startIndex === node.startIndex;
      if (parent.type === 'subscript' && at('value')) return { use: 'index', method: '' };
      if (parent.type === 'attribute' && at('object')) {
        const method = parent.childForFieldName('attribute')?.text ?? '';
        if (DICT_METHODS.has(method) && parent.parent?.type === 'call') return { use: 'method', method };
      }
      if (parent.type === 'argument_list' && parent.namedChildren[0]?.startIndex === node.startIndex) {
        const fn = parent.parent?.childForFieldName('function');
        if (fn && ctx.resolve(fn) === 'json.dumps') return { use: 'json', method: '' };
      }
      return null;
    };

    return {
      attribute(node) {
        if (node.childForFieldName('attribute')?.text !== 'body') return;
        const message = node.childForFieldName('object');
        const fn = enclosingFunction(node);
        if (!message || !fn || fn.type !== 'function_definition') return;
        const batch = batchParameter(ctx, fn);
        if (!batch || !isMessage(message, fn, batch)) return;

        const body = outermostParens(node);
        let found = useOf(body);
        if (!found && body.parent?.type === 'assignment' && body.parent.childForFieldName('right')?.startIndex === body.startIndex) {
          for (const use of values.usesOf(body.parent)) if ((found = useOf(use))) break;
        }
        if (!found) return;
        const text = node.text.length <= 40 && !/[\r\n]/.test(node.text) ? node.text : 'message.body';
        ctx.reportNode(
          node,
          `\`${text}\` is a JsProxy under the built-in workers SDK, so ${CONSEQUENCE[found.use](found.method)}: use \`${text}.to_py()\``,
          { applicability: 'safe', description: 'Convert the body with `.to_py()`', edits: [{ start: body.endIndex, end: body.endIndex, text: '.to_py()' }] },
        );
      },
    };
  },
};
