import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { OffsetEdit } from '../src/engine/types.js';
import { detectEol } from '../src/engine/text.js';
import { definedNames, mentions, ON_PREFIX_RENAMES as LEGACY_HANDLERS } from './lib/entrypoints.js';
import { ensureFromImport, readsTextFirst, statementLineSpan } from './lib/python-edits.js';

const LEGACY_NAMES = Object.keys(LEGACY_HANDLERS);

/** The function definition and decorators of a top-level statement, or null. */
function topLevelFunction(stmt: SyntaxNode): { def: SyntaxNode; decorators: SyntaxNode[] } | null {
  if (stmt.type === 'function_definition') return { def: stmt, decorators: [] };
  if (stmt.type === 'decorated_definition') {
    const def = stmt.childForFieldName('definition');
    if (def?.type === 'function_definition') return { def, decorators: stmt.namedChildren.filter((c) => c.type === 'decorator') };
  }
  return null;
}

/**
 * The module-level statements that can hold a finding: function definitions, decorated or not,
 * named like a legacy handler or decorated with something that names `handler`. Reading every
 * statement of the module costs a node and field lookups per statement; instead the words that
 * can matter are found in the text, and only their statements are made:
 * - a legacy handler's name follows `def` (definedNames);
 * - a decorator resolves to `workers.handler` only through an identifier `handler`
 *   (`@handler`, `@workers.handler`) or a name imported as `workers.handler` (`@h`), whose
 *   import spells `handler` too: a file without the word has no such decorator.
 * One cursor goes to each of those identifiers; the statement above it counts when its parent is
 * the module. A tree with errors gets the plain reading of every statement.
 */
function candidateStatements(ctx: PythonContext, root: SyntaxNode): SyntaxNode[] {
  if (!readsTextFirst(ctx.source)) return root.namedChildren;
  const words = new Set(definedNames(ctx, LEGACY_NAMES));
  if (mentions(ctx, 'handler', 3)) {
    words.add('handler');
    for (const b of ctx.source.imports()) if (b.qualified === 'workers.handler') words.add(b.local);
  }
  if (words.size === 0) return [];
  const statements: SyntaxNode[] = [];
  // Levels climbed through: a hit that reaches one stops there, as the hit that climbed it first
  // went on to the statement (without that, `handler + handler + …` costs n² steps).
  const climbed = new Set<string>();
  ctx.source.forEachIdentifierPath(words, (_word, levelAt, nodeAt) => {
    // The statement is the highest level below a block or the module (levelAt is null there).
    let top = 0;
    for (let at = levelAt(0); at; at = levelAt(++top)) {
      const key = `${at.start}:${at.end}:${at.type}`;
      if (climbed.has(key)) return;
      climbed.add(key);
    }
    top--;
    const stmt = levelAt(top)!;
    if (stmt.type !== 'function_definition' && stmt.type !== 'decorated_definition') return;
    if (nodeAt(top + 1).type === 'module') statements.push(nodeAt(top));
  });
  return statements.sort((a, b) => a.startIndex - b.startIndex);
}

function isHandlerDecorator(ctx: PythonContext, decorator: SyntaxNode): boolean {
  const expr = decorator.firstNamedChild;
  const target = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
  if (!target) return false;
  const resolved = ctx.resolve(target);
  return resolved === 'workers.handler' || (resolved === null && target.text === 'handler');
}

/**
 * Rewrite `async def on_fetch(request, env[, ctx])` into a `Default(WorkerEntrypoint)` class, when
 * the body is simple enough to move mechanically (no multi-line strings whose content would shift).
 */
function rewriteFetch(ctx: PythonContext, stmt: SyntaxNode, def: SyntaxNode): OffsetEdit[] | null {
  const params = def.childForFieldName('parameters')?.namedChildren ?? [];
  if (params.length < 1 || params.length > 3 || params.some((p) => p.type !== 'identifier')) return null;
  const [requestName, envName, ctxName] = params.map((p) => p.text);
  const body = def.childForFieldName('body');
  if (!body) return null;
  if (body.descendantsOfType('string').some((s) => s.startPosition.row !== s.endPosition.row)) return null;
  if (ctx.source.root.namedChildren.some((s) => s.type === 'class_definition' && s.childForFieldName('name')?.text === 'Default')) return null;

  const eol = detectEol(ctx.text);
  const bodyIndent = ' '.repeat(body.startPosition.column);
  const replaced = new Map<string, string>();
  if (envName) replaced.set(envName, 'self.env');
  if (ctxName) replaced.set(ctxName, 'self.ctx');
  const edits: { start: number; end: number; text: string }[] = [];
  for (const id of body.descendantsOfType('identifier')) {
    const repl = replaced.get(id.text);
    if (!repl) continue;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === id.startIndex) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === id.startIndex) continue;
    edits.push({ start: id.startIndex - body.startIndex, end: id.endIndex - body.startIndex, text: repl });
  }
  let bodyText = body.text;
  for (const e of edits.sort((a, b) => b.start - a.start)) bodyText = bodyText.slice(0, e.start) + e.text + bodyText.slice(e.end);
  const lines = bodyText.split(/\r?\n|\r/).map((line, i) => {
    if (line.trim() === '') return '';
    const rest = i === 0 ? line : line.startsWith(bodyIndent) ? line.slice(bodyIndent.length) : line.trimStart();
    return `        ${rest}`;
  });
  const isAsync = def.text.startsWith('async');
  const cls = [
    'class Default(WorkerEntrypoint):',
    `    ${isAsync ? 'async ' : ''}def fetch(self, ${requestName}):`,
    ...lines,
  ].join(eol);
  const span = statementLineSpan(ctx.source, stmt);
  const trailing = ctx.text.slice(stmt.endIndex, span.end);
  return [{ start: stmt.startIndex, end: stmt.endIndex + trailing.length, text: cls + trailing }, ...ensureFromImport(ctx.source, 'workers', 'WorkerEntrypoint')];
}

export const rule: Rule = {
  meta: {
    code: 'PW002',
    name: 'legacy-global-handler',
    gotcha: 2,
    severity: 'error',
    languages: ['python'],
    fixable: 'unsafe',
    appliesTo: (p) => p.flags.has('python_no_global_handlers'),
    docs: {
      summary: 'Module-level `on_fetch`/`on_scheduled`/`@handler` handlers where the runtime no longer calls them',
      whatItDoes:
        'Reports module-level functions named `on_fetch`, `on_scheduled` or `on_queue`, and any module-level function decorated with `@handler` from `workers`, when `python_no_global_handlers` is in force.',
      whyItBreaks:
        'Since compatibility date 2025-08-14 the runtime looks for a `WorkerEntrypoint` class and ignores module-level handlers: requests fail with "on_fetch is not defined" or the handler is simply never called.',
      whenItHolds:
        '`python_no_global_handlers` effective: compatibility_date 2025-08-14 or later (or the flag set explicitly), without `disable_python_no_global_handlers`. Silent on older dates, where this is the documented pattern.',
      example: 'from workers import handler, Response\n\n@handler\nasync def on_fetch(request, env):\n    return Response(env.GREETING)',
      useInstead:
        'from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response(self.env.GREETING)',
      fixSafety:
        'Unsafe: a simple `on_fetch(request, env[, ctx])` is rewritten into `class Default(WorkerEntrypoint)` with `env`/`ctx` read from `self`; review names the body may shadow. Other handlers get no automatic fix. To keep the old style temporarily, add `disable_python_no_global_handlers`.',
      references: [
        { title: 'Cloudflare: Python Workers basics', url: 'https://developers.cloudflare.com/workers/languages/python/basics/' },
        { title: 'Cloudflare: compatibility flags (python_no_global_handlers)', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
      ],
    },
  },
  python(ctx) {
    return {
      module(root) {
        for (const stmt of candidateStatements(ctx, root)) {
          const fn = topLevelFunction(stmt);
          if (!fn) continue;
          const nameNode = fn.def.childForFieldName('name');
          if (!nameNode) continue;
          const name = nameNode.text;
          const decorated = fn.decorators.some((d) => isHandlerDecorator(ctx, d));
          // Own names only: `def constructor` must not find Object.prototype.constructor.
          const method = Object.hasOwn(LEGACY_HANDLERS, name) ? LEGACY_HANDLERS[name] : undefined;
          if (!method && !decorated) continue;
          const fixEdits = name === 'on_fetch' ? rewriteFetch(ctx, stmt, fn.def) : null;
          ctx.reportNode(
            nameNode,
            `Module-level handler \`${name}\` is never called: since 2025-08-14 the runtime calls \`${method ?? name}\` on \`class Default(WorkerEntrypoint)\``,
            fixEdits
              ? { applicability: 'unsafe', description: 'Move the handler into `class Default(WorkerEntrypoint)` as `fetch`', edits: fixEdits }
              : undefined,
          );
        }
      },
    };
  },
};
