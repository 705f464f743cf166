import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { PythonSource, SyntaxNode } from '../src/engine/python.js';
import { charBefore, nameOffsets, scopeKey, type Scope } from './lib/d1.js';
import { jsNull, scopeAround, scopeOfNode, valuesOfName } from './lib/js-values.js';

/** The `None` literals an argument may evaluate to: `None`, `x or None`, `a if c else None`. */
function noneValues(expr: SyntaxNode): SyntaxNode[] {
  switch (expr.type) {
    case 'none':
      return [expr];
    case 'parenthesized_expression':
      return expr.namedChildren.length === 1 ? noneValues(expr.namedChildren[0]) : [];
    case 'boolean_operator': {
      const right = expr.childForFieldName('right');
      return expr.childForFieldName('operator')?.type === 'or' && right ? noneValues(right) : [];
    }
    case 'conditional_expression': {
      const [consequence, , alternative] = expr.namedChildren;
      return [...(consequence ? noneValues(consequence) : []), ...(alternative ? noneValues(alternative) : [])];
    }
    default:
      return [];
  }
}

/** True when the receiver of `.bind` is a D1 statement: its chain (or the name it reads) calls `.prepare(…)`. */
function isPreparedStatement(ctx: PythonContext, node: SyntaxNode | null, depth = 0): boolean {
  for (let n = node; n && depth < 4; ) {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'prepare') return true;
      n = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    } else if (n.type === 'attribute') {
      n = n.childForFieldName('object');
    } else if (n.type === 'parenthesized_expression' || n.type === 'await') {
      n = n.namedChildren[n.namedChildren.length - 1] ?? null;
    } else if (n.type === 'identifier') {
      const name = n.text;
      return valuesOfName(ctx.source, n, name).values.some((v) => isPreparedStatement(ctx, v, depth + 1));
    } else {
      return false;
    }
  }
  return false;
}

/** True when a condition between `arg` and its scope mentions `name` (`if etag:`, `x if etag is not None else …`). */
function guarded(arg: SyntaxNode, name: string): boolean {
  for (let n = arg.parent; n && n.type !== 'function_definition' && n.type !== 'module'; n = n.parent) {
    const conditions =
      n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'while_statement'
        ? [n.childForFieldName('condition')]
        : n.type === 'conditional_expression'
          ? [n.namedChildren[1]]
          : [];
    for (const c of conditions) {
      if (c && (c.text === name || c.descendantsOfType('identifier').some((id) => id.text === name))) return true;
    }
  }
  return false;
}

const lineOf = (node: SyntaxNode) => node.startPosition.row + 1;

/** Per file and scope: whether the scope's text has the word None. */
const noneInScope = new WeakMap<PythonSource, Map<string, boolean>>();

/**
 * Whether the text of `scope` (a function's range, or the whole module) has the word None. Every
 * None the rule reports is a `none` node, whose text is `None`, inside the scope of the `.bind()`
 * call: in the call's arguments, or in a value of a name the call reads (parameter defaults and
 * assignments of a function lie in its range). Without the word there is nothing to find.
 */
function mentionsNone(source: PythonSource, scope: Scope): boolean {
  let known = noneInScope.get(source);
  if (!known) noneInScope.set(source, (known = new Map()));
  const key = scopeKey(scope);
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = nameOffsets(source.text, 'None', scope?.start ?? 0, scope?.end ?? source.text.length).length > 0));
  return answer;
}

export const rule: Rule = {
  meta: {
    code: 'PW005',
    name: 'none-bound-into-d1',
    gotcha: 5,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    appliesTo: (p) => p.sdk === 'built-in',
    docs: {
      summary: '`None` passed to a D1 `.bind()` under the built-in SDK, where it arrives as `undefined`',
      whatItDoes:
        'Reports a `None` literal passed to `.bind(...)` on a D1 statement (a chain that calls `.prepare(...)`, or a name assigned one), including `value or None` and `a if c else None`, and a plain name that is set to `None` in the same function (a parameter default counts) unless a condition on that name guards the call.',
      whyItBreaks:
        'Pyodide turns Python `None` into JavaScript `undefined`, not `null`. The built-in workers SDK hands `.bind()` arguments to D1 unchanged, and D1 refuses `undefined` (`D1_TYPE_ERROR: Type \'undefined\' not supported`), so the query fails instead of storing SQL NULL.',
      whenItHolds:
        'Built-in workers SDK only: no `workers-py`/`workers-runtime-sdk` in the Worker\'s pyproject.toml and compatibility_date before 2026-04-21. The vendored SDK (workers-runtime-sdk ≥ 1.3.0) wraps the D1 binding and converts `None` to `null` itself, so the rule is silent there. Skipped when the runtime profile is unknown.',
      example:
        'await self.env.DB.prepare(\n    "UPDATE feeds SET etag = ? WHERE id = ?"\n).bind(None, feed_id).run()',
      useInstead:
        '# Python 3.13 / 3.14 runtimes (Pyodide 0.28 and later)\nfrom pyodide.ffi import jsnull\n\nawait self.env.DB.prepare(\n    "UPDATE feeds SET etag = ? WHERE id = ?"\n).bind(jsnull, feed_id).run()\n\n# Python 3.12 runtime (Pyodide 0.26 has no jsnull)\nfrom js import JSON\n\nawait self.env.DB.prepare(\n    "UPDATE feeds SET etag = ? WHERE id = ?"\n).bind(JSON.parse("null"), feed_id).run()',
      fixSafety:
        'Safe: `None` is replaced by JavaScript null, which D1 stores as NULL — what the code meant. On Pyodide 0.28 and later the fix uses `jsnull` from `pyodide.ffi`; on 0.26 it uses `JSON.parse("null")` through an existing `from js import JSON` or `import js`, adding `from js import JSON` when neither is there. A name that may be `None` becomes `jsnull if name is None else name`, which leaves every other value untouched.',
      references: [
        { title: 'Cloudflare: Python Workers FFI (JavaScript null and undefined)', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
        { title: 'Cloudflare: D1 prepared statements', url: 'https://developers.cloudflare.com/d1/worker-api/prepared-statements/' },
        { title: 'Pyodide: pyodide.ffi.jsnull', url: 'https://pyodide.org/en/stable/usage/api/python-api/ffi.html#pyodide.ffi.jsnull' },
        { title: 'workers-py: runtime SDK D1 binding wrapper', url: 'https://github.com/cloudflare/workers-py/tree/main/packages/runtime-sdk' },
      ],
    },
  },
  triggers: ['bind'],
  // The rule checks calls `<statement>.bind(…)`: 2 above `bind`, which a dot precedes.
  triggerDepth: 2,
  // In a function (or module) whose text has no None, no call can pass None: see mentionsNone.
  triggerHit(ctx, _word, start, end) {
    const dot = charBefore(ctx.text, start);
    // -1: a line break before `bind` (`x.\` continued) leaves it to the tree.
    if (dot >= 0 && ctx.text[dot] !== '.') return false;
    return mentionsNone(ctx.source, scopeAround(ctx.source, start, end));
  },
  python(ctx) {
    const report = (node: SyntaxNode, message: string, replacement: (nullText: string) => string) => {
      const nul = jsNull(ctx.source, ctx.profile, node);
      ctx.reportNode(
        node,
        message,
        nul
          ? {
              applicability: 'safe',
              description: `Pass JavaScript null (\`${nul.text}\`)`,
              edits: [{ start: node.startIndex, end: node.endIndex, text: replacement(nul.text) }, ...nul.edits],
            }
          : undefined,
      );
    };
    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'bind') return;
        // Every None the rule reports is in the call or in a value of the scope's names: without
        // the word None in the scope's text there is nothing to find. Arguments share the call's scope.
        const scope = scopeOfNode(ctx.source, node);
        if (!mentionsNone(ctx.source, scope)) return;
        if (!isPreparedStatement(ctx, fn.childForFieldName('object'))) return;
        const args = node.childForFieldName('arguments')?.namedChildren ?? [];
        for (const arg of args) {
          for (const none of noneValues(arg)) {
            report(none, '`None` passed to D1 `.bind()` arrives as JavaScript `undefined` under the built-in SDK, and D1 rejects it: pass JavaScript null', (nul) => nul);
          }
          if (arg.type !== 'identifier') continue;
          // A value set to None first (cached per scope and name), then the climb for a guard.
          const setToNone = valuesOfName(ctx.source, arg, arg.text, scope).values.find((v) => noneValues(v).length > 0);
          if (!setToNone || guarded(arg, arg.text)) continue;
          const name = arg.text;
          report(
            arg,
            `\`${name}\` may be \`None\` (line ${lineOf(setToNone)}), which D1 \`.bind()\` receives as JavaScript \`undefined\` under the built-in SDK and rejects: pass JavaScript null instead`,
            (nul) => `${nul} if ${name} is None else ${name}`,
          );
        }
      },
    };
  },
};
