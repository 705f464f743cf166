import { rule } from '../../rules/pw020-entrypoint-method-on-prefix.js';
import { ruleTester } from '../helpers/rule-tester.js';

const HEAD = 'from workers import Response, WorkerEntrypoint\n\n';

ruleTester(rule, {
  valid: [
    { name: 'plain handler names', code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n` },
    {
      name: 'legacy date: python_no_global_handlers not in force',
      profile: { date: '2025-03-01' },
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("ok")\n`,
    },
    {
      name: 'flag switched off explicitly',
      profile: { date: '2025-11-01', flags: ['disable_python_no_global_handlers'] },
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("ok")\n`,
    },
    {
      name: 'fetch delegates to an on_fetch helper',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return await self.on_fetch(request)\n\n    async def on_fetch(self, request):\n        return Response("ok")\n`,
    },
    { name: 'module-level on_fetch is PW002, not this rule', code: `${HEAD}async def on_fetch(request, env):\n    return Response("ok")\n` },
    { name: 'not an entrypoint class', code: 'class Router:\n    async def on_fetch(self, request):\n        return None\n' },
    { name: 'names in strings and comments', code: `${HEAD}# def on_fetch(self, request)\nclass Default(WorkerEntrypoint):\n    hint = "on_fetch was renamed"\n\n    async def fetch(self, request):\n        return Response(self.hint)\n` },
    { name: 'unknown runtime: skipped', profile: { noWorker: true }, code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("ok")\n` },
    // Text-first edges: only a name right after `def` is a candidate; the tree decides.
    {
      name: 'on_ names in a call, a string and a comment',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return on_fetch(request)\n\nNOTE = "def on_fetch(self)"  # def on_queue\n`,
    },
  ],
  invalid: [
    {
      name: 'on_fetch method (date 2025-11-01, 3.13)',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("ok")\n`,
      errors: [{ line: 4, column: 15, endColumn: 23, message: /`on_fetch` is never called on a WorkerEntrypoint: .* the runtime calls `fetch`$/, severity: 'error' }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n`,
    },
    {
      name: 'on_scheduled and on_queue, vendored SDK on 3.14',
      profile: { sdk: 'vendored', date: '2026-07-01', flags: ['python_workers_20260610'] },
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_scheduled(self, controller, env, ctx):\n        pass\n\n    async def on_queue(self, batch, env, ctx):\n        pass\n`,
      errors: [
        { line: 4, column: 15, message: /calls `scheduled`/ },
        { line: 7, column: 15, message: /calls `queue`/ },
      ],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def scheduled(self, controller, env, ctx):\n        pass\n\n    async def queue(self, batch, env, ctx):\n        pass\n`,
    },
    {
      name: 'old date with the flag set explicitly',
      profile: { date: '2025-05-01', flags: ['python_no_global_handlers'] },
      code: 'import workers\n\nclass Default(workers.WorkerEntrypoint):\n    def on_fetch(self, request):\n        return workers.Response("ok")\n',
      errors: [{ line: 4, column: 9 }],
      output: 'import workers\n\nclass Default(workers.WorkerEntrypoint):\n    def fetch(self, request):\n        return workers.Response("ok")\n',
    },
    {
      name: 'fetch already exists: dead code, no fix',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("new")\n\n    async def on_fetch(self, request):\n        return Response("old")\n`,
      errors: [{ line: 7, column: 15, message: /already exists/ }],
      output: null,
    },
    {
      name: 'referenced elsewhere: no fix',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("ok")\n\n    async def ping(self):\n        return await self.on_fetch(None)\n`,
      errors: [{ line: 4, column: 15 }],
      output: null,
    },
    {
      name: 'a line continuation between def and the name',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def \\\n        on_queue(self, batch, env, ctx):\n        pass\n`,
      errors: [{ line: 5, column: 9, endColumn: 17 }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def \\\n        queue(self, batch, env, ctx):\n        pass\n`,
    },
    {
      name: 'CRLF line ends and tabs',
      code: 'from workers import WorkerEntrypoint\r\n\r\nclass Default(WorkerEntrypoint):\r\n\tasync def on_scheduled(self, controller, env, ctx):\r\n\t\tpass\r\n',
      errors: [{ line: 4, column: 12, endColumn: 24 }],
      output: 'from workers import WorkerEntrypoint\r\n\r\nclass Default(WorkerEntrypoint):\r\n\tasync def scheduled(self, controller, env, ctx):\r\n\t\tpass\r\n',
    },
    {
      name: 'a file with a syntax error: the fix is only shown',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        pass\n\nprint(1 +)\n`,
      errors: [{ line: 4, column: 15 }],
      output: null,
    },
  ],
});
