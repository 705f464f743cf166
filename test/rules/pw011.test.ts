import { rule } from '../../rules/pw011-d1-results-to-py.js';
import { ruleTester } from '../helpers/rule-tester.js';

const HEAD = 'from workers import Response, WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n';
const body = (...lines: string[]) => HEAD + lines.map((l) => `        ${l}\n`).join('');
const VENDORED = { sdk: 'vendored' as const, date: '2026-01-20' };
const Q = 'self.env.DB.prepare("SELECT * FROM t")';

ruleTester(rule, {
  valid: [
    { name: 'built-in: converted with to_py', code: body(`results = await ${Q}.all()`, 'for row in results.results.to_py():', '    print(row["id"])') },
    { name: 'built-in: converted after blanks, a line continuation or parentheses', code: body(`res = await ${Q}.all()`, 'a = res.results . to_py()', 'b = res.results \\', '    .to_py()', 'c = (res.results).to_py()', 'return Response.json([len(a), len(b), len(c)])') },
    { name: 'built-in: converted once, then used', code: body(`results = await ${Q}.all()`, 'rows = results.results.to_py()', 'return Response.json({"n": len(rows), "first": rows[0]})') },
    { name: 'built-in: first() row converted before use', code: body(`row = await ${Q}.first()`, 'data = row.to_py() if row else None', 'return Response.json(data)') },
    { name: 'built-in: first(column) is a plain value', code: body(`count = await ${Q}.first("n")`, 'return Response(str(count))') },
    { name: 'built-in: results passed along untouched', code: body(`results = await ${Q}.all()`, 'return Response.json(results.results.to_py())') },
    {
      name: 'vendored: rows read directly (Cloudflare examples)',
      profile: VENDORED,
      code: body(`results = await ${Q}.all()`, 'for row in results.results:', '    print(row["id"])', 'return Response.json({"n": len(results.results)})'),
    },
    { name: 'vendored: first() row subscripted', profile: VENDORED, code: body(`row = await ${Q}.bind(1).first()`, 'return Response.json({"id": row["id"]})') },
    { name: 'vendored: to_py on a raw JS fetch value', profile: VENDORED, code: body('resp = await js_fetch(request.url)', 'data = (await resp.json()).to_py()') },
    { name: 'not D1: .results of an unrelated object', code: body('search = await self.env.SEARCH.query("x")', 'for hit in search.results:', '    print(hit["id"])') },
    { name: 'not D1: Promise.all', code: 'import js\n\nasync def go(ps):\n    done = await js.Promise.all(ps)\n    return done.results[0]\n' },
    { name: 'names in strings and comments', code: body('# for row in results.results:', 'msg = "results.results[0] and .first()"') },
    {
      name: 'same name reassigned to something else',
      code: body(`results = await ${Q}.all()`, 'results = load_cached()', 'for row in results.results:', '    print(row)'),
    },
    { name: 'helper receives results as a parameter (not traced)', code: 'def titles(results):\n    return [row["title"] for row in results.results]\n' },
    { name: 'module-level .results of a config object', code: 'import settings\n\nfor name in settings.results:\n    print(name)\n' },
    { name: 'unknown runtime: skipped', profile: { noWorker: true }, code: body(`results = await ${Q}.all()`, 'for row in results.results:', '    print(row)') },
    // Edges of the text-first reading (assignments found as `name =` in the text, then confirmed).
    { name: 'a comparison is no assignment', code: 'async def f(db, res):\n    if res == await db.prepare("q").all():\n        return [r for r in res.results]\n' },
    { name: 'assignments in a comment and a string are none', code: 'def f(res):\n    # res = await db.prepare("q").all()\n    note = "res = await db.prepare(q).all()"\n    return [r for r in res.results]\n' },
    { name: 'a nested def binds its own name', code: body(`res = await ${Q}.all()`, 'def cached():', '    res = load_cached()', '    return [r for r in res.results]', 'return cached') },
    { name: 'a walrus in a comprehension is no simple assignment', code: body(`batches = [(res := await ${Q}.all()) for _ in range(2)]`, 'for row in res.results:', '    print(row)') },
    { name: 'the head of a chained assignment holds the inner assignment', code: body(`res = other = load()`, `res = alias = ${Q}`, 'for row in res.results:', '    print(row)') },
    { name: 'vendored: to_py on a call with no arguments and on an awaited json()', profile: VENDORED, code: body(`rows = ${Q}.all().to_py()`, 'data = (await resp.json()).to_py()', `more = (${Q}.all()).to_py()`) },
  ],
  invalid: [
    {
      name: 'built-in (3.13): iterating results.results',
      code: body(`results = await ${Q}.all()`, 'for row in results.results:', '    print(row["id"])'),
      errors: [{ line: 7, column: 20, endColumn: 35, message: /^`results.results` is a JsProxy under the built-in workers SDK, so iterating/, severity: 'error' }],
      output: body(`results = await ${Q}.all()`, 'for row in results.results.to_py():', '    print(row["id"])'),
    },
    {
      name: 'built-in (3.12): inline chain, index and json.dumps',
      profile: { date: '2025-06-01' },
      code: 'import json\n' + body(`first = (await ${Q}.all()).results[0]`, `body = json.dumps((await ${Q}.run()).results)`),
      errors: [
        { line: 7, column: 17, message: /indexing/ },
        { line: 8, column: 27, message: /json.dumps\(\) raises TypeError/ },
      ],
      output: 'import json\n' + body(`first = (await ${Q}.all()).results.to_py()[0]`, `body = json.dumps((await ${Q}.run()).results.to_py())`),
    },
    {
      name: 'built-in: rows through a name, len() and comprehension',
      profile: { date: '2025-12-01', flags: ['python_workers_20260610'] },
      code: body('stmt = self.env.DB.prepare("SELECT id FROM t")', 'res = await stmt.all()', 'rows = res.results', 'ids = [r["id"] for r in rows]', 'return Response.json({"n": len(rows), "ids": ids})'),
      errors: [{ line: 8, column: 16, endColumn: 27, message: /iterating/ }],
      output: body('stmt = self.env.DB.prepare("SELECT id FROM t")', 'res = await stmt.all()', 'rows = res.results.to_py()', 'ids = [r["id"] for r in rows]', 'return Response.json({"n": len(rows), "ids": ids})'),
    },
    {
      name: 'built-in: first() row subscripted at each use',
      code: body(`row = await ${Q}.bind(7).first()`, 'if row is None:', '    return Response("missing", status=404)', 'return Response.json({"id": row["id"], "name": row["name"]})'),
      errors: [
        { line: 9, column: 37, endColumn: 40, message: /^`row` is a JsProxy .* subscripting it raises TypeError/ },
        { line: 9, column: 56, endColumn: 59 },
      ],
      output: body(`row = await ${Q}.bind(7).first()`, 'if row is None:', '    return Response("missing", status=404)', 'return Response.json({"id": row.to_py()["id"], "name": row.to_py()["name"]})'),
    },
    {
      name: 'vendored (pyproject): to_py on results.results',
      profile: VENDORED,
      code: body(`results = await ${Q}.all()`, 'todos = results.results.to_py()'),
      errors: [{ line: 7, column: 17, endColumn: 40, message: /^The vendored workers SDK already returns D1 rows as Python values: `.to_py\(\)` on `results.results` raises AttributeError$/ }],
      output: body(`results = await ${Q}.all()`, 'todos = results.results'),
    },
    {
      name: 'vendored (2026-05 date, no pyproject): to_py on a first() row and on a result',
      profile: { date: '2026-05-01' },
      code: body(`row = await ${Q}.first()`, 'data = row.to_py()', `everything = (await ${Q}.all()).to_py()`),
      errors: [
        { line: 7, column: 16, message: /a first\(\) row/ },
        { line: 8, column: 22, message: /a D1 result/ },
      ],
      output: body(`row = await ${Q}.first()`, 'data = row', `everything = (await ${Q}.all())`),
    },
    {
      name: 'built-in: annotated assignment, continued lines, a read inside parentheses across lines',
      code: body(`res: object = await ${Q}.all()`, `other = \\`, `    await ${Q}.all()`, 'ids = [r["id"] for r in (res', '    .results)]', 'for row in other.results:', '    print(row["id"])'),
      errors: [{ line: 9, column: 33, endLine: 10, endColumn: 22, message: /^this D1 result is a JsProxy/ }, { line: 11, column: 20, endColumn: 33 }],
      output: body(`res: object = await ${Q}.all()`, `other = \\`, `    await ${Q}.all()`, 'ids = [r["id"] for r in (res', '    .results).to_py()]', 'for row in other.results.to_py():', '    print(row["id"])'),
    },
    {
      name: 'built-in: chained assignment, and a def between the assignment and the read',
      code: body(`first = res = await ${Q}.all()`, 'def helper(x):', '    return x', 'return Response.json(len(res.results))'),
      errors: [{ line: 9, column: 34, endColumn: 45, message: /len\(\) and the rest of the code see a JsProxy/ }],
      output: body(`first = res = await ${Q}.all()`, 'def helper(x):', '    return x', 'return Response.json(len(res.results.to_py()))'),
    },
    {
      name: 'vendored: blanks around the dots, an argument comment, the result of a name read through another',
      profile: VENDORED,
      code: body(`res = await ${Q}.all(  # every row\n        )`, 'same = res', 'rows = same . results . to_py()', 'raw = res.to_py()'),
      errors: [
        { line: 9, column: 16, endColumn: 40, message: /^The vendored workers SDK already returns D1 rows as Python values: `.to_py\(\)` on `same . results` raises/ },
        { line: 10, column: 15, endColumn: 26, message: /a D1 result/ },
      ],
      output: body(`res = await ${Q}.all(  # every row\n        )`, 'same = res', 'rows = same . results', 'raw = res'),
    },
  ],
});
