import { rule } from '../../rules/pw005-none-bound-to-d1.js';
import { ruleTester, type Profile } from '../helpers/rule-tester.js';

const PY312: Profile = { date: '2025-03-10' };
const PY313: Profile = { date: '2025-11-01' };
const PY314: Profile = { date: '2025-11-01', flags: ['python_workers_20260610'] };

const UPDATE = 'await self.env.DB.prepare("UPDATE feeds SET etag = ? WHERE id = ?")';
const method = (body: string, header = 'from workers import WorkerEntrypoint\n') =>
  `${header}\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n${body
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n')}\n`;

ruleTester(rule, {
  valid: [
    { name: 'vendored SDK converts None itself', profile: { ...PY313, sdk: 'vendored' }, code: method(`${UPDATE}.bind(None, 1).run()`) },
    { name: 'date from 2026-04-21 means the SDK is vendored', profile: { date: '2026-05-01' }, code: method(`${UPDATE}.bind(None, 1).run()`) },
    { name: 'jsnull already used', profile: PY313, code: method(`${UPDATE}.bind(jsnull, 1).run()`, 'from pyodide.ffi import jsnull\nfrom workers import WorkerEntrypoint\n') },
    { name: 'bind on something that is not a D1 statement', profile: PY312, code: 'import functools\n\ncallback = handler.bind(None, 1)\n' },
    { name: 'None in strings and comments', profile: PY312, code: method(`# .bind(None) sends undefined\n${UPDATE}.bind("None", 1).run()`) },
    { name: 'a name that may be None, guarded by a condition', profile: PY313, code: method(`etag = None\nif request.headers.get("etag"):\n    etag = request.headers.get("etag")\nif etag is not None:\n    ${UPDATE}.bind(etag, 1).run()`) },
    { name: 'a name never set to None', profile: PY313, code: method(`etag = request.headers.get("etag", "")\n${UPDATE}.bind(etag, 1).run()`) },
    { name: 'None in another function does not count', profile: PY313, code: `def reset():\n    etag = None\n    return etag\n\nasync def save(db, etag):\n    await db.prepare("UPDATE t SET etag = ?").bind(etag).run()\n` },
    { name: 'unknown runtime is skipped', profile: { noWorker: true }, code: `import js\n\nasync def save(db):\n    await db.prepare("UPDATE t SET etag = ?").bind(None).run()\n` },
    // Edges of the text-first reading of a name's bindings.
    { name: 'a comparison with None is no assignment', profile: PY313, code: 'async def save(db, etag):\n    missing = etag == None\n    await db.prepare("UPDATE t SET etag = ?").bind(etag).run()\n' },
    { name: 'None set in a nested def, a lambda default and a comprehension does not count', profile: PY313, code: 'async def save(db, etag):\n    def reset():\n        etag = None\n    later = lambda etag=None: etag\n    seen = [etag for etag in (None,)]\n    await db.prepare("UPDATE t SET etag = ?").bind(etag).run()\n' },
    { name: 'None assignments in a string and a comment', profile: PY313, code: 'async def save(db, etag):\n    # etag = None\n    sql = "etag = None"\n    await db.prepare(sql).bind(etag).run()\n' },
    { name: 'a parameter shadows the outer None', profile: PY313, code: 'etag = None\n\nasync def save(db, etag):\n    await db.prepare("UPDATE t SET etag = ?").bind(etag).run()\n' },
    { name: 'bind called on something else, or not as a method', profile: PY313, code: 'from functools import partial as bind\n\ncallback = bind(None, 1)\nother = handler . bind(None)\n' },
  ],
  invalid: [
    {
      name: 'Python 3.13: jsnull appended to an existing pyodide.ffi import',
      profile: PY313,
      code: method(`${UPDATE}.bind(None, feed_id).run()`, 'from pyodide.ffi import to_js\nfrom workers import WorkerEntrypoint\n'),
      errors: [{ line: 6, column: 82, endLine: 6, endColumn: 86, message: /`None` passed to D1 `\.bind\(\)` arrives as JavaScript `undefined` under the built-in SDK/ }],
      output: method(`${UPDATE}.bind(jsnull, feed_id).run()`, 'from pyodide.ffi import to_js, jsnull\nfrom workers import WorkerEntrypoint\n'),
    },
    {
      name: 'Python 3.12 with `import js`: JSON.parse through js',
      profile: PY312,
      code: 'import js\n\nasync def on_fetch(request, env):\n    await env.DB.prepare(\n        "INSERT INTO previews (url, etag) VALUES (?, ?)"\n    ).bind(request.url, None).run()\n',
      errors: [{ line: 6, column: 25, endColumn: 29 }],
      output: 'import js\n\nasync def on_fetch(request, env):\n    await env.DB.prepare(\n        "INSERT INTO previews (url, etag) VALUES (?, ?)"\n    ).bind(request.url, js.JSON.parse("null")).run()\n',
    },
    {
      name: 'Python 3.12 without js imports: `from js import JSON` added',
      profile: PY312,
      code: method(`${UPDATE}.bind(None, 1).run()`),
      errors: [{ line: 5, column: 82 }],
      output: method(`${UPDATE}.bind(JSON.parse("null"), 1).run()`, 'from workers import WorkerEntrypoint\nfrom js import JSON\n'),
    },
    {
      name: 'Python 3.14: parameter defaulting to None, passed through a prepared statement name',
      profile: PY314,
      code: 'async def save(db, feed_id, etag=None):\n    stmt = db.prepare("UPDATE feeds SET etag = ? WHERE id = ?")\n    await stmt.bind(etag, feed_id).run()\n',
      errors: [{ line: 3, column: 21, endColumn: 25, message: /`etag` may be `None` \(line 1\)/ }],
      output: 'from pyodide.ffi import jsnull\nasync def save(db, feed_id, etag=None):\n    stmt = db.prepare("UPDATE feeds SET etag = ? WHERE id = ?")\n    await stmt.bind(jsnull if etag is None else etag, feed_id).run()\n',
    },
    {
      name: '`or None` and a conditional None, one import for both',
      profile: PY313,
      code: 'from js import fetch\n\nasync def save(env, todo):\n    await env.DB.prepare("INSERT INTO todos VALUES (?, ?)").bind(todo.get("due") or None, None if todo["x"] else 1).run()\n',
      errors: [
        { line: 4, column: 85, endColumn: 89 },
        { line: 4, column: 91, endColumn: 95 },
      ],
      output: 'from js import fetch\nfrom pyodide.ffi import jsnull\n\nasync def save(env, todo):\n    await env.DB.prepare("INSERT INTO todos VALUES (?, ?)").bind(todo.get("due") or jsnull, jsnull if todo["x"] else 1).run()\n',
    },
    {
      name: 'a name set to None earlier in the function, module-level `from js import JSON` reused on 3.12',
      profile: PY312,
      code: 'from js import JSON\n\nasync def touch(env, row_id):\n    etag = None\n    await env.DB.prepare("UPDATE t SET etag = ? WHERE id = ?").bind(etag, row_id).run()\n',
      errors: [{ line: 5, column: 69, message: /`etag` may be `None` \(line 4\)/ }],
      output: 'from js import JSON\n\nasync def touch(env, row_id):\n    etag = None\n    await env.DB.prepare("UPDATE t SET etag = ? WHERE id = ?").bind(JSON.parse("null") if etag is None else etag, row_id).run()\n',
    },
    {
      name: 'annotated and chained assignments to None, a statement through a continued line',
      profile: PY313,
      code: 'from pyodide.ffi import jsnull\n\nasync def touch(db, row_id):\n    etag: str | None = None\n    seen = last = None\n    stmt = \\\n        db.prepare("UPDATE t SET etag = ?, seen = ? WHERE id = ?")\n    await stmt.\\\n        bind(etag, last, row_id).run()\n',
      errors: [
        { line: 9, column: 14, endColumn: 18, message: /`etag` may be `None` \(line 4\)/ },
        { line: 9, column: 20, endColumn: 24, message: /`last` may be `None` \(line 5\)/ },
      ],
      output: 'from pyodide.ffi import jsnull\n\nasync def touch(db, row_id):\n    etag: str | None = None\n    seen = last = None\n    stmt = \\\n        db.prepare("UPDATE t SET etag = ?, seen = ? WHERE id = ?")\n    await stmt.\\\n        bind(jsnull if etag is None else etag, jsnull if last is None else last, row_id).run()\n',
    },
  ],
});
