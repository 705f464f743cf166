import type { PythonVisitors, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { OffsetFix } from '../src/engine/types.js';
import {
  definedNames,
  functionName,
  functionsIn,
  hasWorkersHandlerDecorator,
  isModuleLevel,
  isWorkerMain,
  mayNameDefinition,
  parameterName,
  parameterShape,
} from './lib/entrypoints.js';

const HANDLERS: Record<string, string> = { fetch: 'on_fetch', scheduled: 'on_scheduled', queue: 'on_queue' };
/** First parameter names that mark a function as an event handler rather than a helper. */
const EVENT_PARAMS = new Set(['request', 'req', 'controller', 'event', 'batch']);

function looksLikeHandler(def: SyntaxNode): boolean {
  const shape = parameterShape(def);
  const first = shape.positional[0];
  return (first !== undefined && EVENT_PARAMS.has(parameterName(first))) || shape.names.has('env');
}

const HANDLER_NAMES = Object.keys(HANDLERS);

export const rule: Rule = {
  meta: {
    code: 'PW021',
    name: 'global-handler-without-on-prefix',
    gotcha: 21,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    appliesTo: (p) => !p.flags.has('python_no_global_handlers'),
    docs: {
      summary: 'A module-level `fetch`/`scheduled`/`queue` handler in a Worker that only calls `on_`-prefixed module-level handlers',
      whatItDoes:
        'In the main module of a Worker that still uses module-level handlers, reports a module-level function named `fetch`, `scheduled` or `queue` that is written as a handler: decorated with `@handler` from `workers`, or taking `request`/`controller`/`batch`/`event` first or an `env` parameter.',
      whyItBreaks:
        'In the module-level style the runtime looks up `on_fetch`, `on_scheduled` and `on_queue` in the main module. A function called `scheduled` (the name the class-based style uses) is never found: cron runs do nothing, queue batches are not consumed, and without `on_fetch` every request fails.',
      whenItHolds:
        '`python_no_global_handlers` not in force: compatibility_date before 2025-08-14 without the flag, or `disable_python_no_global_handlers` set. From 2025-08-14 module-level handlers are not called at all, whatever their name; there the fix is the `WorkerEntrypoint` class, and PW002 reports `@handler` functions, so this rule stays silent to avoid a second, contradictory report. Functions that the module itself calls, or next to an existing `on_` handler of the same event, are helpers and are not reported.',
      example:
        'from workers import handler\n\n@handler\nasync def scheduled(controller, env, ctx):\n    await env.DB.prepare("DELETE FROM sessions WHERE expired = 1").run()',
      useInstead:
        'from workers import handler\n\n@handler\nasync def on_scheduled(controller, env, ctx):\n    await env.DB.prepare("DELETE FROM sessions WHERE expired = 1").run()',
      fixSafety:
        'Safe: the function is renamed to its `on_` name, which nothing else in the module uses and no other definition has. A `@handler` function that the module also calls by name gets no fix, because the callers would need renaming too.',
      references: [
        { title: 'Cloudflare changelog: Python Workers handlers now live in an entrypoint class', url: 'https://developers.cloudflare.com/changelog/2025-08-14-new-python-handlers/' },
        { title: 'Cloudflare: Python Workers basics', url: 'https://developers.cloudflare.com/workers/languages/python/basics/' },
        { title: 'Cloudflare: compatibility flags (python_no_global_handlers)', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
      ],
    },
  },
  triggers: HANDLER_NAMES,
  // `fetch` is called everywhere in Worker code (and `js_fetch`-style aliases of it become
  // triggers too): only a file where one of the names follows a `def` is scanned.
  triggersFor: (ctx) => (isWorkerMain(ctx) ? definedNames(ctx, HANDLER_NAMES) : []),
  // The visitor reads a function by its name: only the name right after `def` leads to one.
  triggerHit: (ctx, word, start) => Object.hasOwn(HANDLERS, word) && mayNameDefinition(ctx, start),
  python(ctx): PythonVisitors {
    // Only the Worker's main module is read by the runtime: other files have nothing to report.
    if (!isWorkerMain(ctx)) return {};
    return {
      function_definition(def) {
        const name = functionName(def);
        // Own names only: `def constructor` must not find Object.prototype.constructor.
        const legacyName = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
        if (!legacyName || !isModuleLevel(def)) return;
        const decorated = hasWorkersHandlerDecorator(ctx, def);
        if (!decorated && !looksLikeHandler(def)) return;
        const topLevel = functionsIn(ctx.source.root).map(functionName);
        if (topLevel.includes(legacyName)) return; // the real handler exists; this one is a helper
        const nameNode = def.childForFieldName('name')!;
        const taken = ctx.source.findIdentifiers(new Set([legacyName])).length > 0;
        const referenced = ctx.source.findIdentifiers(new Set([name])).some((id) => id.startIndex !== nameNode.startIndex);
        if (referenced && !decorated) return; // a helper the module calls
        const fix: OffsetFix | undefined =
          referenced || taken
            ? undefined
            : {
                applicability: 'safe',
                description: `Rename the handler to \`${legacyName}\``,
                edits: [{ start: nameNode.startIndex, end: nameNode.endIndex, text: legacyName }],
              };
        ctx.reportNode(
          nameNode,
          `Module-level \`${name}\` is never called: with module-level handlers (python_no_global_handlers off, the default before 2025-08-14) the runtime looks for \`${legacyName}\``,
          fix,
        );
      },
    };
  },
};
