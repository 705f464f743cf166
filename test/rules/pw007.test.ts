import { rule } from '../../rules/pw007-to-js-dict-converter.js';
import { ruleTester, type Profile } from '../helpers/rule-tester.js';

const PY312: Profile = { date: '2025-03-10' };
const PY313: Profile = { date: '2025-11-01' };
const PY314: Profile = { date: '2025-11-01', flags: ['python_workers_20260610'] };

ruleTester(rule, {
  valid: [
    { name: 'dict_converter already given', profile: PY313, code: 'from js import Object\nfrom pyodide.ffi import to_js\n\nasync def send(env, order):\n    await env.ORDERS.send(to_js(order, dict_converter=Object.fromEntries))\n' },
    { name: 'headers= accepts a Map', profile: PY312, code: 'from js import Response\nfrom pyodide.ffi import to_js\n\ndef reply(body):\n    return Response.new(body, headers=to_js({"content-type": "text/plain"}))\n' },
    { name: 'Headers(...) and Map(...) accept a Map', profile: PY313, code: 'import js\nfrom pyodide.ffi import to_js\n\nh = js.Headers.new(to_js({"a": "b"}))\nm = js.Map.new(to_js({"a": 1}))\n' },
    { name: 'URLSearchParams and Object.fromEntries take an iterable of pairs', profile: PY312, code: 'from js import Object, URLSearchParams\nfrom pyodide.ffi import to_js\n\nq = URLSearchParams.new(to_js({"q": "x"}))\no = Object.fromEntries(to_js({"a": 1}))\n' },
    { name: 'Python 3.14: to_js makes plain objects', profile: PY314, code: 'from pyodide.ffi import to_js\n\nasync def send(env):\n    await env.QUEUE.send(to_js({"id": 1}))\n' },
    { name: 'not a dict', profile: PY313, code: 'from pyodide.ffi import to_js\n\nitems = to_js([1, 2, 3])\ntext = to_js("x")\n' },
    { name: 'a parameter could be anything', profile: PY313, code: 'from pyodide.ffi import to_js\n\ndef convert(value):\n    return to_js(value)\n' },
    { name: 'a name reassigned to something that is not a dict', profile: PY313, code: 'from pyodide.ffi import to_js\n\ndef convert(raw):\n    opts = {}\n    opts = build(raw)\n    return to_js(opts)\n' },
    { name: 'names in strings and comments', profile: PY313, code: 'from pyodide.ffi import to_js\n\n# to_js({"a": 1}) makes a Map\nHINT = "to_js({}) needs dict_converter"\n' },
    { name: 'a local to_js that is not Pyodide\'s', profile: PY313, code: 'import js\n\ndef to_js(value):\n    return value\n\nx = to_js({"a": 1})\n' },
    { name: 'options passed with ** may hold dict_converter', profile: PY313, code: 'from pyodide.ffi import to_js\n\nx = to_js({"a": 1}, **CONVERT)\n' },
    // Edges of the text scan for `dict_converter=` in the call's own arguments.
    {
      name: 'converter after strings with brackets and quotes, a comment and line breaks',
      profile: PY313,
      code: 'from js import Object\nfrom pyodide.ffi import to_js\n\nx = to_js \\\n    (\n    {"a": ")", \'b\': "(\\"", "c": """x)\n"""},  # a ) comment\n    dict_converter = Object.fromEntries,\n)\n',
    },
    { name: 'converter after an f-string (read by the tree)', profile: PY313, code: 'from js import Object\nfrom pyodide.ffi import to_js\n\nx = to_js({"a": f"{k["x"]})"}, dict_converter=Object.fromEntries)\n' },
  ],
  invalid: [
    {
      name: 'a comment and a blank line between the callee and its arguments',
      profile: PY313,
      code: 'import js\nfrom pyodide.ffi import to_js\n\nx = (to_js  # convert\n\n    ({"a": 1}))\n',
      errors: [{ line: 4, column: 6, endLine: 6, endColumn: 15 }],
      output: 'import js\nfrom pyodide.ffi import to_js\n\nx = (to_js  # convert\n\n    ({"a": 1}, dict_converter=js.Object.fromEntries))\n',
    },
    {
      name: 'callee and arguments on separate lines inside brackets',
      profile: PY313,
      code: 'import js\nfrom pyodide.ffi import to_js\n\nconverters = [to_js]\nx = (to_js\n    ({"a": 1}))\n',
      errors: [{ line: 5, column: 6, endLine: 6, endColumn: 15 }],
      output: 'import js\nfrom pyodide.ffi import to_js\n\nconverters = [to_js]\nx = (to_js\n    ({"a": 1}, dict_converter=js.Object.fromEntries))\n',
    },
    {
      name: 'Python 3.13, dict literal into a queue: `from js import Object` added',
      profile: PY313,
      code: 'from pyodide.ffi import to_js\n\nasync def send(env, order_id):\n    await env.QUEUE.send(to_js({"id": order_id}))\n',
      errors: [{ line: 4, column: 26, endLine: 4, endColumn: 49, message: /turns this dict into a JavaScript Map on Python 3\.13 \(Pyodide 0\.28\)/, severity: 'warning' }],
      output: 'from pyodide.ffi import to_js\nfrom js import Object\n\nasync def send(env, order_id):\n    await env.QUEUE.send(to_js({"id": order_id}, dict_converter=Object.fromEntries))\n',
    },
    {
      name: 'Python 3.12 with `import js`: js.Object.fromEntries',
      profile: PY312,
      code: 'import js\nfrom pyodide.ffi import to_js\n\ndef kv_options(ttl):\n    return to_js({"expirationTtl": ttl, "metadata": {"v": 1}})\n',
      errors: [{ line: 5, column: 12, message: /Python 3\.12 \(Pyodide 0\.26\)/ }],
      output: 'import js\nfrom pyodide.ffi import to_js\n\ndef kv_options(ttl):\n    return to_js({"expirationTtl": ttl, "metadata": {"v": 1}}, dict_converter=js.Object.fromEntries)\n',
    },
    {
      name: 'a name assigned a dict in the function, existing `from js import Object` reused',
      profile: PY313,
      code: 'from js import Object, fetch\nfrom pyodide.ffi import to_js as convert\n\nasync def query(index, vector):\n    options = {"topK": 5}\n    options = dict(options, returnMetadata="all")\n    return await index.query(vector, convert(options))\n',
      errors: [{ line: 7, column: 38, endColumn: 54 }],
      output: 'from js import Object, fetch\nfrom pyodide.ffi import to_js as convert\n\nasync def query(index, vector):\n    options = {"topK": 5}\n    options = dict(options, returnMetadata="all")\n    return await index.query(vector, convert(options, dict_converter=Object.fromEntries))\n',
    },
    {
      name: 'vendored SDK: a value already converted by to_js passes through the binding wrapper unchanged',
      profile: { ...PY313, sdk: 'vendored' },
      code: 'from pyodide.ffi import to_js\nfrom workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        await self.env.COUNTER.get(self.env.COUNTER.idFromName("a")).bump(to_js({"by": 1}))\n',
      errors: [{ line: 6, column: 75 }],
      output: 'from pyodide.ffi import to_js\nfrom workers import WorkerEntrypoint\nfrom js import Object\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        await self.env.COUNTER.get(self.env.COUNTER.idFromName("a")).bump(to_js({"by": 1}, dict_converter=Object.fromEntries))\n',
    },
    {
      name: 'module-level dict comprehension, trailing comma kept',
      profile: PY312,
      code: 'import pyodide.ffi\n\nCONFIG = pyodide.ffi.to_js(\n    {k: v for k, v in DEFAULTS.items()},\n)\n',
      errors: [{ line: 3, column: 10, endLine: 5, endColumn: 2 }],
      output: 'import pyodide.ffi\nfrom js import Object\n\nCONFIG = pyodide.ffi.to_js(\n    {k: v for k, v in DEFAULTS.items()}, dict_converter=Object.fromEntries,\n)\n',
    },
    {
      name: 'unknown runtime: reported as info',
      profile: { noWorker: true },
      code: 'import js\nfrom pyodide.ffi import to_js\n\nopts = to_js(dict(a=1))\n',
      errors: [{ line: 4, column: 8, severity: 'info', message: /runtime unknown/ }],
      output: 'import js\nfrom pyodide.ffi import to_js\n\nopts = to_js(dict(a=1), dict_converter=js.Object.fromEntries)\n',
    },
    {
      name: 'dict_converter only in a nested call, a string, a lambda default and a comparison',
      profile: PY313,
      code: 'from js import Object\nfrom pyodide.ffi import to_js\n\na = to_js({"f": wrap(dict_converter=1)})\nb = to_js({"dict_converter=": 1})\nc = to_js({"k": 1}, lambda dict_converter=None: 0)\nd = to_js({"k": 1}, dict_converter == 2)\n',
      errors: [{ line: 4, column: 5 }, { line: 5, column: 5 }, { line: 6, column: 5 }, { line: 7, column: 5 }],
      output: 'from js import Object\nfrom pyodide.ffi import to_js\n\na = to_js({"f": wrap(dict_converter=1)}, dict_converter=Object.fromEntries)\nb = to_js({"dict_converter=": 1}, dict_converter=Object.fromEntries)\nc = to_js({"k": 1}, lambda dict_converter=None: 0, dict_converter=Object.fromEntries)\nd = to_js({"k": 1}, dict_converter == 2, dict_converter=Object.fromEntries)\n',
    },
    {
      name: '`Object` taken by something else: reported without a fix',
      profile: PY313,
      code: 'from pyodide.ffi import to_js\nfrom models import Object\n\nx = to_js({"a": Object()})\n',
      errors: [{ line: 4, column: 5 }],
      output: null,
    },
  ],
});
