import { rule } from '../../rules/pw012-htmlrewriter-data-urls.js';
import { ruleTester } from '../helpers/rule-tester.js';

const HEAD = 'from js import HTMLRewriter, fetch\nfrom pyodide.ffi import create_proxy\nfrom workers import Response, WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n';
const body = (...lines: string[]) => HEAD + lines.map((l) => `        ${l}\n`).join('');

ruleTester(rule, {
  valid: [
    { name: 'fetched response served as is', code: body('upstream = await fetch(request.url)', 'return upstream') },
    { name: 'rewriter over a locally built response', code: body('page = Response("<p>hi</p>", headers={"content-type": "text/html"})', 'return HTMLRewriter.new().on("p", create_proxy(Handler())).transform(page.js_object)') },
    { name: 'rewriter built but never applied here', code: body('self.rewriter = HTMLRewriter.new()', 'return Response("ok")') },
    { name: 'a user class named HTMLRewriter', code: 'class HTMLRewriter:\n    def transform(self, r):\n        return r\n\nasync def go(fetch):\n    return HTMLRewriter().transform(await fetch("x"))\n' },
    { name: 'names in strings and comments', code: body('# HTMLRewriter.new().transform(await fetch(url))', 'return Response("HTMLRewriter.new()")') },
    { name: 'a nested def has its own rewriter name', code: body('rw = HTMLRewriter.new()', 'def other(url):', '    rw = make()', '    return rw.transform(url)', 'return rw') },
    { name: 'outside any Worker, not Worker code', profile: { noWorker: true }, code: 'def rewrite(HTMLRewriter, page):\n    return HTMLRewriter.new().transform(page)\n' },
  ],
  invalid: [
    {
      name: 'assigned rewriter over a fetched response (sdk-not-vendored example, 2026 date)',
      profile: { date: '2026-05-12' },
      code: body('upstream = await fetch(f"{self.env.ORIGIN}/nb.html")', 'rewriter = HTMLRewriter.new()', 'rewriter.on("body", create_proxy(Banner()))', 'return rewriter.transform(upstream)'),
      errors: [{ line: 9, column: 20, endColumn: 38, message: /^HTMLRewriter over fetched HTML: .* every runtime \(workerd #2998\)/, severity: 'info' }],
      output: null,
    },
    {
      name: 'chained, with js module import and an inline fetch (3.12, built-in)',
      profile: { date: '2025-03-01' },
      code: 'import js\n\nasync def on_fetch(request, env):\n    return js.HTMLRewriter.new().on("a", h).transform(await js.fetch(request.url))\n',
      errors: [{ line: 4, column: 12, endColumn: 33, severity: 'info' }],
      output: null,
    },
    {
      name: 'SDK wrapper, assets binding fetch (vendored, 3.14)',
      profile: { sdk: 'vendored', date: '2026-07-01', flags: ['python_workers_20260610'] },
      code: 'from workers import HTMLRewriter, WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        page = await self.env.ASSETS.fetch(request)\n        rw = HTMLRewriter()\n        return rw.on("title", Retitle()).transform(page)\n',
      errors: [{ line: 7, column: 14, endColumn: 28 }],
      output: null,
    },
    {
      name: 'fetch imported under another name',
      code: 'from js import HTMLRewriter\nfrom js import fetch as js_fetch\n\n\nasync def render(url, handler):\n    upstream = await js_fetch(url)\n    return HTMLRewriter.new().on("body", handler).transform(upstream)\n',
      errors: [{ line: 7, column: 12, endColumn: 30, severity: 'info' }],
      output: null,
    },
    {
      name: 'annotated rewriter, fetched response through a chained assignment',
      code: body('page = upstream = await fetch(request.url)', 'rw: object = HTMLRewriter.new()', 'return rw.transform(upstream)'),
      errors: [{ line: 9, column: 22, endColumn: 40, severity: 'info' }],
      output: null,
    },
    {
      name: 'unknown runtime: advice still given (holds everywhere)',
      profile: { noWorker: true },
      code: body('resp = await fetch(request.url)', 'return HTMLRewriter.new().transform(resp)'),
      errors: [{ line: 9, column: 16, severity: 'info' }],
      output: null,
    },
  ],
});
