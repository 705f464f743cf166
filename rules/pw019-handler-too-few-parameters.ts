import type { Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { OffsetFix } from '../src/engine/types.js';
import {
  definedNames,
  entrypointKind,
  functionName,
  isStaticOrClassMethod,
  mayNameDefinition,
  methodClass,
  nameReferences,
  parameterName,
  parameterShape,
} from './lib/entrypoints.js';

/** Handlers the runtime calls with exactly these three arguments (after `self`). */
const STRICT_HANDLERS: Record<string, readonly string[]> = {
  scheduled: ['controller', 'env', 'ctx'],
  queue: ['batch', 'env', 'ctx'],
};

/** Names for the missing parameters that clash with nothing the method already uses, or null. */
function freshNames(def: SyntaxNode, wanted: readonly string[], taken: Set<string>): string[] | null {
  const body = def.childForFieldName('body');
  const used = (name: string) => taken.has(name) || (body !== null && nameReferences(body, name).length > 0);
  const out: string[] = [];
  for (const name of wanted) {
    const pick = [name, `_${name}`].find((n) => !used(n) && !out.includes(n));
    if (!pick) return null;
    out.push(pick);
  }
  return out;
}

const STRICT_NAMES = Object.keys(STRICT_HANDLERS);

export const rule: Rule = {
  meta: {
    code: 'PW019',
    name: 'handler-too-few-parameters',
    gotcha: 19,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    docs: {
      summary: '`scheduled` or `queue` on a `WorkerEntrypoint` that cannot take the three arguments the runtime passes',
      whatItDoes:
        'Reports `scheduled` and `queue` methods of a class deriving from `workers.WorkerEntrypoint` that accept fewer than three positional arguments after `self` and have no `*args`.',
      whyItBreaks:
        'The runtime calls `scheduled(controller, env, ctx)` and `queue(batch, env, ctx)` with all three arguments, and unlike `fetch` it does not drop the ones a method does not declare. A method written as `async def scheduled(self, controller)` therefore raises `TypeError: takes 2 positional arguments but 4 were given` on every cron run or queue delivery, and the batch is retried until it lands in the dead-letter queue. `fetch` and Durable Object handlers are called leniently and are not reported.',
      whenItHolds:
        'Always, on every runtime (Python 3.12, 3.13 and 3.14, built-in or vendored SDK). Only methods of `WorkerEntrypoint` subclasses are checked; a parameter list with `*args` accepts the extra arguments and is left alone.',
      example:
        'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        for message in batch.messages:\n            message.ack()',
      useInstead:
        'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n        for message in batch.messages:\n            message.ack()',
      fixSafety:
        'Safe: the fix appends the missing parameters (`env`, `ctx`, and `controller`/`batch` when even that is missing), which only lets the existing call succeed. When a name is already used in the method it takes an underscore prefix; when that is taken too, no fix is offered. Parameters after one with a default get `=None` so the list stays valid.',
      references: [
        { title: 'Cloudflare: Python Workers basics (handlers)', url: 'https://developers.cloudflare.com/workers/languages/python/basics/' },
        { title: 'Cloudflare: Cron Triggers, scheduled handler', url: 'https://developers.cloudflare.com/workers/runtime-apis/handlers/scheduled/' },
        { title: 'Cloudflare: Queues, consumer handler', url: 'https://developers.cloudflare.com/queues/configuration/javascript-apis/#consumer' },
        { title: 'workerd: src/pyodide/python-entrypoint-helper.ts', url: 'https://github.com/cloudflare/workerd/blob/main/src/pyodide/python-entrypoint-helper.ts' },
        { title: 'workerd: src/pyodide/internal/introspection.py', url: 'https://github.com/cloudflare/workerd/blob/main/src/pyodide/internal/introspection.py' },
      ],
    },
  },
  triggers: STRICT_NAMES,
  // `queue` and `scheduled` are common words; the rule looks only at methods of those names, and
  // a file where neither follows a `def` has none (most files: no trigger scan at all).
  triggersFor: (ctx) => definedNames(ctx, STRICT_NAMES),
  // The visitor reads a method by its name: only the name right after `def` leads to one.
  triggerHit: (ctx, word, start) => Object.hasOwn(STRICT_HANDLERS, word) && mayNameDefinition(ctx, start),
  python(ctx) {
    return {
      function_definition(def) {
        const name = functionName(def);
        // Own names only: `def constructor` must not find Object.prototype.constructor.
        const expected = Object.hasOwn(STRICT_HANDLERS, name) ? STRICT_HANDLERS[name] : undefined;
        if (!expected) return;
        const cls = methodClass(def);
        if (!cls || entrypointKind(ctx, cls) !== 'WorkerEntrypoint' || isStaticOrClassMethod(def)) return;
        const shape = parameterShape(def);
        if (shape.varPositional || shape.positional.length === 0) return;
        const accepted = shape.positional.length - 1; // after self
        if (accepted >= expected.length) return;

        const missing = expected.slice(accepted);
        const names = freshNames(def, missing, shape.names);
        let fix: OffsetFix | undefined;
        if (names) {
          const last = shape.positional[shape.positional.length - 1];
          const needsDefault = last.type === 'default_parameter' || last.type === 'typed_default_parameter';
          const text = names.map((n) => `, ${n}${needsDefault ? '=None' : ''}`).join('');
          fix = {
            applicability: 'safe',
            description: `Add the parameter${names.length > 1 ? 's' : ''} ${names.map((n) => `\`${n}\``).join(', ')}`,
            edits: [{ start: last.endIndex, end: last.endIndex, text }],
          };
        }
        const nameNode = def.childForFieldName('name') ?? def;
        const takes = accepted === 0 ? 'no arguments' : `only ${shape.positional.slice(1).map((p) => `\`${parameterName(p)}\``).join(', ')}`;
        ctx.reportNode(
          nameNode,
          `The runtime calls \`${name}(${expected.join(', ')})\` but this method takes ${takes}: every ${name === 'queue' ? 'queue delivery' : 'cron run'} raises TypeError, on every runtime`,
          fix,
        );
      },
    };
  },
};
