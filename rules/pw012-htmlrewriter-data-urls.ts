import type { Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { LocalValues, mayContinueToCall, methodName, outermostParens, unwrap } from './lib/d1.js';

/** Rewriters built through the SDK wrapper are constructed by a plain call. */
const SDK_REWRITERS = new Set(['workers.HTMLRewriter', 'workers.htmlrewriter.HTMLRewriter']);
const MAX_DEPTH = 3;

export const rule: Rule = {
  meta: {
    code: 'PW012',
    name: 'htmlrewriter-data-urls',
    gotcha: 12,
    severity: 'info',
    languages: ['python'],
    docs: {
      summary: 'HTMLRewriter applied to fetched HTML, which fails on documents with large inline `data:` URLs',
      whatItDoes:
        'Reports where an HTMLRewriter (`js.HTMLRewriter.new()` or the SDK\'s `workers.HTMLRewriter()`) is created and then applied with `.transform(...)` to a response that came from a `fetch` call in the same function. Advice only.',
      whyItBreaks:
        'HTMLRewriter\'s streaming parser has a memory limit per token. An inline `data:` URL of several megabytes (exported Jupyter notebooks and single-file HTML pages embed their images this way) is one huge attribute value, and the transform fails with "Parser error: The memory limit has been exceeded". The request errors although the origin answered fine.',
      whenItHolds:
        'Always: the limit is in the runtime, the same for Python 3.12, 3.13 and 3.14 and either SDK (workerd issue 2998, still open). It matters only for documents that may carry large `data:` URLs, which a linter cannot know, hence the advisory level.',
      example:
        'upstream = await fetch(notebook_url)\nrewriter = HTMLRewriter.new()\nrewriter.on("body", create_proxy(BannerInjector()))\nreturn rewriter.transform(upstream)',
      useInstead:
        'upstream = await fetch(notebook_url)\nif is_notebook_export(upstream):\n    # serve large self-contained documents unchanged\n    return upstream\nrewriter = HTMLRewriter.new()\nrewriter.on("body", create_proxy(BannerInjector()))\nreturn rewriter.transform(upstream)',
      fixSafety: 'No automatic fix: whether a document can carry large `data:` URLs, and what to do instead, depends on the content.',
      references: [
        { title: 'Cloudflare: HTMLRewriter', url: 'https://developers.cloudflare.com/workers/runtime-apis/html-rewriter/' },
        { title: 'workerd issue 2998: HTMLRewriter memory limit with large data URLs', url: 'https://github.com/cloudflare/workerd/issues/2998' },
        { title: 'Cloudflare: Python Workers FFI', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
      ],
    },
  },
  triggers: ['HTMLRewriter'],
  // A construction is at most 3 above a hit, and its callee holds a hit followed by `.` or `(`:
  // `js.HTMLRewriter.new()` (attribute, attribute, call above the name), `HTMLRewriter()`, an
  // alias `HR.new()`.
  triggerDepth: 3,
  triggerHit: (ctx, _word, _start, end) => mayContinueToCall(ctx.text, end),
  python(ctx) {
    const values = new LocalValues(ctx.source);

    const isConstruction = (call: SyntaxNode): boolean => {
      const fn = call.childForFieldName('function');
      if (!fn) return false;
      if (methodName(call) === 'new') return ctx.resolve(fn.childForFieldName('object')!) === 'js.HTMLRewriter';
      return SDK_REWRITERS.has(ctx.resolve(fn) ?? '');
    };

    /** The argument of a `.transform(...)` reached by chaining methods on `start`, or null. */
    const transformedBy = (start: SyntaxNode): { arg: SyntaxNode | null; top: SyntaxNode } => {
      let top = outermostParens(start);
      for (;;) {
        const attr = top.parent;
        const call = attr?.parent;
        if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.startIndex !== top.startIndex || call?.type !== 'call') break;
        if (methodName(call) === 'transform') return { arg: call.childForFieldName('arguments')?.namedChildren[0] ?? null, top: call };
        top = outermostParens(call);
      }
      return { arg: null, top };
    };

    const isFetched = (expr: SyntaxNode, depth = 0): boolean => {
      let e = unwrap(expr);
      if (e.type === 'await' && e.namedChildCount > 0) e = unwrap(e.namedChildren[0]);
      if (e.type === 'call') {
        const fn = e.childForFieldName('function');
        // `from js import fetch as js_fetch` resolves to js.fetch; methods count by name (`ASSETS.fetch`).
        const name = fn?.type === 'identifier' ? (ctx.resolve(fn)?.split('.').pop() ?? fn.text) : methodName(e);
        return name === 'fetch';
      }
      if (e.type === 'identifier' && depth < MAX_DEPTH) {
        const value = values.valueBefore(e.text, e);
        return value !== null && isFetched(value, depth + 1);
      }
      return false;
    };

    return {
      call(node) {
        if (!isConstruction(node)) return;
        const chained = transformedBy(node);
        const targets: SyntaxNode[] = chained.arg ? [chained.arg] : [];
        const assignment = chained.top.parent;
        if (!chained.arg && assignment?.type === 'assignment' && assignment.childForFieldName('right')?.startIndex === chained.top.startIndex) {
          for (const use of values.usesOf(assignment)) {
            const arg = transformedBy(use).arg;
            if (arg) targets.push(arg);
          }
        }
        if (!targets.some((t) => isFetched(t))) return;
        ctx.reportNode(
          node,
          'HTMLRewriter over fetched HTML: a document with a large inline `data:` URL (e.g. an exported notebook) exceeds the parser memory limit on every runtime (workerd #2998); serve such documents unrewritten',
        );
      },
    };
  },
};
