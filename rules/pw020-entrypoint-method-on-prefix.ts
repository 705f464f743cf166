import type { Rule } from '../src/engine/rule.js';
import type { OffsetFix } from '../src/engine/types.js';
import { definedNames, entrypointKind, functionName, mayNameDefinition, methodClass, methodsOf, ON_PREFIX_RENAMES as RENAMES } from './lib/entrypoints.js';

const RENAMED = Object.keys(RENAMES);

export const rule: Rule = {
  meta: {
    code: 'PW020',
    name: 'entrypoint-method-on-prefix',
    gotcha: 20,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    appliesTo: (p) => p.flags.has('python_no_global_handlers'),
    docs: {
      summary: 'A `WorkerEntrypoint` method named `on_fetch`/`on_scheduled`/`on_queue`, which the class-based runtime never calls',
      whatItDoes:
        'Reports methods named `on_fetch`, `on_scheduled` or `on_queue` defined in a class deriving from `workers.WorkerEntrypoint`, when `python_no_global_handlers` is in force.',
      whyItBreaks:
        'With `python_no_global_handlers` the runtime dispatches events to the entrypoint class by their plain names: it calls `fetch`, `scheduled` and `queue`. An `on_`-prefixed method is a leftover of the module-level handler style; it is never called, so requests fail (no `fetch` handler) and cron runs or queue batches are not handled.',
      whenItHolds:
        '`python_no_global_handlers` effective: compatibility_date 2025-08-14 or later, or the flag set explicitly, and no `disable_python_no_global_handlers`. Silent before that date, where the handler style is the module-level one. A method that the class\'s own `fetch` (or other code) calls as a helper is not reported.',
      example:
        'from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("hello")',
      useInstead:
        'from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("hello")',
      fixSafety:
        'Safe when the class has no method with the plain name and nothing else in the file refers to the `on_` name: the fix renames the method. Otherwise no fix is offered (renaming would clash with, or break, existing code).',
      references: [
        { title: 'Cloudflare changelog: Python Workers handlers now live in an entrypoint class', url: 'https://developers.cloudflare.com/changelog/2025-08-14-new-python-handlers/' },
        { title: 'Cloudflare: Python Workers basics', url: 'https://developers.cloudflare.com/workers/languages/python/basics/' },
        { title: 'Cloudflare: compatibility flags (python_no_global_handlers)', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
      ],
    },
  },
  triggers: RENAMED,
  // Only methods of these names are read: a file where none follows a `def` needs no trigger scan.
  triggersFor: (ctx) => definedNames(ctx, RENAMED),
  // The visitor reads a method by its name: only the name right after `def` leads to one.
  triggerHit: (ctx, word, start) => Object.hasOwn(RENAMES, word) && mayNameDefinition(ctx, start),
  python(ctx) {
    // Where each name occurs, found once per file (a scan of the text per method is quadratic).
    const occurrences = new Map<string, number[]>();
    const occurrencesOf = (name: string) => {
      let list = occurrences.get(name);
      if (!list) occurrences.set(name, (list = ctx.source.findIdentifiers(new Set([name])).map((id) => id.startIndex)));
      return list;
    };
    return {
      function_definition(def) {
        const name = functionName(def);
        // Own names only: `def constructor` must not find Object.prototype.constructor.
        const target = Object.hasOwn(RENAMES, name) ? RENAMES[name] : undefined;
        if (!target) return;
        const cls = methodClass(def);
        if (!cls || entrypointKind(ctx, cls) !== 'WorkerEntrypoint') return;
        const nameNode = def.childForFieldName('name')!;
        // Any other use of the name, `self.on_fetch(...)` included, outside strings and comments.
        const referenced = occurrencesOf(name).some((at) => at !== nameNode.startIndex);
        const hasTarget = methodsOf(cls).some((m) => functionName(m) === target);
        // `fetch` delegating to an `on_fetch` helper is a working design.
        if (hasTarget && referenced) return;
        const fix: OffsetFix | undefined =
          hasTarget || referenced
            ? undefined
            : {
                applicability: 'safe',
                description: `Rename the method to \`${target}\``,
                edits: [{ start: nameNode.startIndex, end: nameNode.endIndex, text: target }],
              };
        const why = hasTarget ? `; \`${target}\` already exists, so this method is dead code` : '';
        ctx.reportNode(
          nameNode,
          `\`${name}\` is never called on a WorkerEntrypoint: with python_no_global_handlers in force (the default from 2025-08-14) the runtime calls \`${target}\`${why}`,
          fix,
        );
      },
    };
  },
};
