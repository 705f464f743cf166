import { rule } from '../../rules/pw004-to-py-import.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'method call', code: 'rows = results.results.to_py()\n' },
    { name: 'to_js import only', code: 'from pyodide.ffi import to_js\nx = to_js({})\n' },
    { name: 'name in string and comment', code: '# from pyodide.ffi import to_py\nmsg = "to_py(x) is wrong"\n' },
    { name: 'user-defined to_py', code: 'def to_py(x):\n    return x\n\nvalue = to_py(1)\n' },
    { name: 'outside any Worker, not Worker code', profile: { noWorker: true }, code: 'def to_py(x):\n    return x\n' },
    { name: 'other module to_py', code: 'from mylib import to_py\nvalue = to_py(1)\n' },
    // Text-first edges: a file whose `to_py` all follow a dot and whose `pyodide` all read `from pyodide.x` is skipped.
    { name: 'to_py after a dot, in a comment, after blanks', code: 'from pyodide.ffi import to_js  # to_py is a method\nrows = results.results.to_py()\nrows = (await request.json()).  to_py()\n' },
  ],
  invalid: [
    {
      name: 'import and call',
      code: 'from pyodide.ffi import to_py\n\nrows = to_py(results.results)\n',
      errors: [
        { line: 1, column: 25, endLine: 1, endColumn: 30, message: /has no `to_py`/ },
        { line: 3, column: 8, endColumn: 30, message: /method/ },
      ],
      output: '\nrows = results.results.to_py()\n',
    },
    {
      name: 'one of several names, aliased',
      code: 'from pyodide.ffi import to_js, to_py as convert\n\ndata = convert(await request.json())\n',
      errors: [{ line: 1, column: 32 }, { line: 3, column: 8 }],
      output: 'from pyodide.ffi import to_js\n\ndata = (await request.json()).to_py()\n',
    },
    {
      name: 'module attribute call',
      code: 'import pyodide.ffi\n\nx = pyodide.ffi.to_py(value)\n',
      errors: [{ line: 3, column: 5, message: /method/ }],
      output: 'import pyodide.ffi\n\nx = value.to_py()\n',
    },
    {
      name: 'unknown runtime still an error (holds everywhere)',
      profile: { noWorker: true },
      code: 'from pyodide.ffi import to_py\n',
      errors: [{ line: 1, column: 25, severity: 'error' }],
      output: '',
    },
    {
      name: 'call with keyword arguments gets no fix',
      code: 'from pyodide.ffi import to_js, to_py\nx = to_py(v, depth=1)\n',
      errors: [{ line: 1, column: 32 }, { line: 2, column: 5 }],
      output: 'from pyodide.ffi import to_js\nx = to_py(v, depth=1)\n',
    },
    {
      name: 'parenthesized import over two lines',
      code: 'from pyodide.ffi import (to_js,\n    to_py)\n\nrows = to_py(results)\n',
      errors: [{ line: 2, column: 5, endColumn: 10 }, { line: 4, column: 8, endColumn: 22 }],
      output: 'from pyodide.ffi import (to_js)\n\nrows = results.to_py()\n',
    },
    {
      name: 'a line continuation after from',
      code: 'from\\\n  pyodide.ffi import to_py\n',
      errors: [{ line: 2, column: 22, endColumn: 27 }],
      output: '',
    },
    {
      name: 'CRLF line ends',
      code: 'from pyodide.ffi import to_py\r\nrows = to_py(results)\r\n',
      errors: [{ line: 1, column: 25 }, { line: 2, column: 8 }],
      output: 'rows = results.to_py()\r\n',
    },
    {
      name: 'a file with a syntax error: the fixes are only shown',
      code: 'from pyodide.ffi import to_py\nrows = to_py(results)\nprint(1 +)\n',
      errors: [{ line: 1, column: 25 }, { line: 2, column: 8 }],
      output: null,
    },
  ],
});
