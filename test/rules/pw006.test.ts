import { rule } from '../../rules/pw006-js-eval.js';
import { ruleTester, type Profile } from '../helpers/rule-tester.js';

const OLD: Profile = { date: '2025-03-10' }; // before allow_eval_during_startup; Python 3.12
const PY312_EVAL_OK: Profile = { date: '2025-07-01' };
const PY313: Profile = { date: '2025-11-01' };
const PY314: Profile = { date: '2025-11-01', flags: ['python_workers_20260610'] };

ruleTester(rule, {
  valid: [
    { name: 'module level once eval is allowed during startup (2025-06-01)', profile: PY312_EVAL_OK, code: 'import js\n\nparse_json = js.eval("(text) => JSON.parse(text)")\n' },
    { name: 'module level on Python 3.14', profile: PY314, code: 'from js import eval as js_eval\n\nADD = js_eval("(a, b) => a + b")\n' },
    { name: 'Python builtin eval is not JavaScript eval', profile: OLD, code: 'def total(expr):\n    return eval(expr, {})\n\nX = eval("1 + 1")\n' },
    { name: 'names in strings and comments', profile: OLD, code: 'import js\n\n# js.eval("null") is blocked\nHINT = "use js.JSON.parse instead of js.eval(...)"\n' },
    { name: 'the right pattern already used', profile: OLD, code: 'import js\n\nJS_NULL = js.JSON.parse("null")\n\nasync def handler(request):\n    return js.JSON.parse("[1, 2]")\n' },
    { name: 'parameter named js shadows the module', profile: OLD, code: 'import js\n\ndef run(js):\n    return js.eval("1")\n' },
    { name: 'module-level code under `if __name__ == "__main__":` never runs in a Worker', profile: OLD, code: 'import js\n\nif __name__ == "__main__":\n    print(js.eval("1 + 1"))\n' },
    { name: 'a JS object with its own eval method', profile: PY313, code: 'from js import Sandbox\n\nasync def handler(request):\n    return Sandbox.new().eval("1")\n' },
  ],
  invalid: [
    {
      name: 'callee and arguments on separate lines inside brackets (3.12, before the startup allowance)',
      profile: OLD,
      code: 'import js\nfrom js import eval as run_js\n\nX = (js.eval\n    ("1"))\nY = (run_js\n    ("2"))\n',
      errors: [{ line: 4, column: 6, endLine: 5, endColumn: 10 }, { line: 6, column: 6, endLine: 7, endColumn: 10 }],
      output: 'import js\nfrom js import eval as run_js\n\nX = (js.JSON.parse("1"))\nY = (js.JSON.parse("2"))\n',
    },
    {
      name: 'inside a handler on Python 3.13: eval("null") becomes jsnull',
      profile: PY313,
      code: 'import js\nfrom workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        missing = js.eval("null")\n',
      errors: [{ line: 6, column: 19, endLine: 6, endColumn: 34, message: /`js\.eval` is blocked while handling a request on every runtime/ }],
      output: 'import js\nfrom workers import WorkerEntrypoint\nfrom pyodide.ffi import jsnull\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        missing = jsnull\n',
    },
    {
      name: 'aliased eval at module level before 2025-06-01: a JSON list becomes JSON.parse',
      profile: OLD,
      code: 'from js import eval as js_eval\n\nLIMITS = js_eval("[10, 100]")\n',
      errors: [{ line: 3, column: 10, endColumn: 30, message: /at import time is blocked at startup: compatibility_date 2025-03-10 is before 2025-06-01/ }],
      output: 'from js import eval as js_eval, JSON\n\nLIMITS = JSON.parse("[10, 100]")\n',
    },
    {
      name: 'a JSON object string, with `import js`, on Python 3.12 and eval("null") via JSON.parse',
      profile: OLD,
      code: "import js\n\nDEFAULTS = js.eval('{\"ttl\": 60}')\nJS_NULL = js.eval(\"null\")\n",
      errors: [{ line: 3, column: 12 }, { line: 4, column: 11 }],
      output: "import js\n\nDEFAULTS = js.JSON.parse('{\"ttl\": 60}')\nJS_NULL = js.JSON.parse(\"null\")\n",
    },
    {
      name: 'Function constructor in a lambda body runs at request time, whatever the date',
      profile: PY313,
      code: 'import js\n\nmake_adder = lambda: js.Function.new("a", "b", "return a + b")\n',
      errors: [{ line: 3, column: 22, message: /`js\.Function` is blocked while handling a request/ }],
      output: null,
    },
    {
      name: 'globalThis.eval with code in a class body when startup eval is switched off',
      profile: { date: '2025-11-01', flags: ['disallow_eval_during_startup'] },
      code: 'import js\n\nclass Parsers:\n    parse = js.globalThis.eval("(t) => JSON.parse(t)")\n',
      errors: [{ line: 4, column: 13, message: /`disallow_eval_during_startup` is set/ }],
      output: null,
    },
    {
      name: 'unknown runtime: module-level call reported as info',
      profile: { noWorker: true },
      code: 'import js\n\nEMPTY = js.eval("[]")\n',
      errors: [{ line: 3, column: 9, severity: 'info', message: /runtime unknown/ }],
      output: 'import js\n\nEMPTY = js.JSON.parse("[]")\n',
    },
    {
      name: 'Function imported by name, called in a default argument value before 2025-06-01',
      profile: OLD,
      code: 'from js import Function\n\ndef render(template, compile=Function("t", "return t")):\n    return compile(template)\n',
      errors: [{ line: 3, column: 30, message: /`js\.Function` at import time/ }],
      output: null,
    },
  ],
});
