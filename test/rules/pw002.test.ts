import { rule } from '../../rules/pw002-legacy-global-handler.js';
import { ruleTester } from '../helpers/rule-tester.js';

const LEGACY = 'from workers import handler, Response\n\n@handler\nasync def on_fetch(request, env):\n    return Response(env.GREETING)\n';

ruleTester(rule, {
  valid: [
    { name: 'legacy style on a date before 2025-08-14', code: LEGACY, profile: { date: '2025-03-01' } },
    { name: 'opted out with disable_python_no_global_handlers', code: LEGACY, profile: { date: '2025-11-01', flags: ['disable_python_no_global_handlers'] } },
    {
      name: 'current class style',
      code: 'from workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("hi")\n',
    },
    { name: 'outside any Worker: runtime unknown', code: LEGACY, profile: { noWorker: true } },
    { name: 'nested function named on_fetch', code: 'def make():\n    async def on_fetch(request, env):\n        pass\n    return on_fetch\n' },
    { name: 'name in a string', code: 'doc = "async def on_fetch(request, env)"\n' },
    // Text-first edges (rules/lib/python-edits.ts): the text only picks candidates, the tree decides.
    {
      name: 'on_fetch as a method, inside an if, and in comments',
      code: 'from workers import WorkerEntrypoint, handler\n\nclass Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        pass\n\nif True:\n    async def on_fetch(request, env):\n        pass\n# @handler\n# def on_queue(batch, env)\n',
    },
    { name: 'names of Object.prototype are no handlers', code: 'def constructor(request, env):\n    pass\n\ndef toString(request, env):\n    pass\n' },
  ],
  invalid: [
    {
      name: '@handler on_fetch is rewritten into a WorkerEntrypoint class',
      code: LEGACY,
      errors: [{ line: 4, column: 11, endColumn: 19, message: /never called/ }],
      output:
        'from workers import handler, Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response(self.env.GREETING)\n',
    },
    {
      name: 'explicit flag on an old date, env and ctx used in a multi-line body',
      profile: { date: '2025-01-10', flags: ['python_no_global_handlers'] },
      code:
        'from workers import Response\n\nasync def on_fetch(request, env, ctx):\n    ctx.waitUntil(log(request))\n    if env.MODE == "x":\n        return Response("x")\n    return Response(request.url, headers={"env": "env"})\n',
      errors: [{ line: 3, column: 11 }],
      output:
        'from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        self.ctx.waitUntil(log(request))\n        if self.env.MODE == "x":\n            return Response("x")\n        return Response(request.url, headers={"env": "env"})\n',
    },
    {
      name: 'on_scheduled and a decorated handler with another name: reported, no automatic fix',
      code: 'from workers import handler as h\n\n@h\nasync def cron(controller, env, ctx):\n    pass\n\nasync def on_scheduled(controller, env, ctx):\n    pass\n',
      errors: [
        { line: 4, column: 11, message: /`cron` is never called/ },
        { line: 7, column: 11, message: /calls `scheduled`/ },
      ],
      output: null,
    },
    {
      name: 'no import of workers yet: the import is added',
      profile: { date: '2026-01-15', sdk: 'vendored' },
      code: '"""A worker."""\n\ndef on_fetch(request):\n    return "ok"\n',
      errors: [{ line: 3, column: 5 }],
      output: '"""A worker."""\nfrom workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    def fetch(self, request):\n        return "ok"\n',
    },
    {
      name: 'a comment between def and the name (tree-sitter reads past it)',
      code: 'from workers import Response\n\nasync def # legacy\non_fetch(request, env):\n    return Response(env.X)\n',
      errors: [{ line: 4, column: 1, endColumn: 9 }],
      output: 'from workers import Response, WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response(self.env.X)\n',
    },
    {
      name: 'decorators on several lines, one of them `workers.handler` across a line continuation',
      code: 'import workers\n\n@workers.\\\n    handler\n@other(\n    1,\n)\nasync def cron(controller, env, ctx):\n    pass\n',
      errors: [{ line: 8, column: 11, endColumn: 15, message: /`cron` is never called/ }],
      output: null,
    },
    {
      name: 'CRLF line ends and a tab-indented body',
      code: 'from workers import handler, Response\r\n\r\n@handler\r\nasync def on_fetch(request, env):\r\n\treturn Response(env.GREETING)\r\n',
      errors: [{ line: 4, column: 11, endColumn: 19 }],
      output: 'from workers import handler, Response, WorkerEntrypoint\r\n\r\nclass Default(WorkerEntrypoint):\r\n    async def fetch(self, request):\r\n        return Response(self.env.GREETING)\r\n',
    },
    {
      name: 'a file with a syntax error: every statement is read, the fix is only shown',
      code: 'from workers import handler\n\n@handler\nasync def on_fetch(request, env):\n    return env.X\n\nprint(1 +)\n',
      errors: [{ line: 4, column: 11, endColumn: 19 }],
      output: null,
    },
  ],
});
