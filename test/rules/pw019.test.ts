import { rule } from '../../rules/pw019-handler-too-few-parameters.js';
import { ruleTester } from '../helpers/rule-tester.js';

const HEAD = 'from workers import WorkerEntrypoint\n\n';

ruleTester(rule, {
  valid: [
    { name: 'full signatures', code: `${HEAD}class Default(WorkerEntrypoint):\n    async def scheduled(self, controller, env, ctx):\n        pass\n\n    async def queue(self, batch, env, ctx):\n        pass\n` },
    { name: '*args accepts the extra arguments', code: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch, *args):\n        pass\n` },
    { name: 'fetch is called leniently', code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        pass\n` },
    { name: 'not an entrypoint class', code: 'class Jobs:\n    async def queue(self, item):\n        pass\n' },
    { name: 'Durable Object method', code: 'from workers import DurableObject\n\nclass Room(DurableObject):\n    async def queue(self, item):\n        pass\n' },
    { name: 'module-level function', code: 'async def scheduled(controller):\n    pass\n' },
    { name: 'nested function inside a method', code: `${HEAD}class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        def queue(item):\n            return item\n        return queue(request)\n` },
    { name: 'names in strings and comments', code: `${HEAD}# async def scheduled(self, controller)\nclass Default(WorkerEntrypoint):\n    doc = "def queue(self, batch)"\n` },
    { name: 'WorkerEntrypoint shadowed by a local class', code: 'class WorkerEntrypoint:\n    pass\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n' },
    { name: 'vendored SDK, full signature, 3.14', profile: { sdk: 'vendored', date: '2026-06-20', flags: ['python_workers_20260610'] }, code: `${HEAD}class Default(WorkerEntrypoint):\n    async def scheduled(self, controller, env, ctx):\n        pass\n` },
    { name: 'outside any Worker, not Worker code', profile: { noWorker: true }, code: 'class Default:\n    async def queue(self, batch):\n        pass\n' },
    // Text-first edges: only a name right after `def` is a candidate; the tree decides.
    {
      name: 'queue and scheduled as variables and calls, a method named constructor',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    def constructor(self, batch):\n        pass\n\n    def fetch(self, request):\n        queue = []\n        queue.append(request)\n        return scheduled(queue)\n`,
    },
    { name: 'WorkerEntrypoint imported from another module', code: 'from mylib import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n' },
    {
      name: 'the SDK import rebound by a module-level class',
      code: 'from workers import WorkerEntrypoint\n\nclass WorkerEntrypoint:\n    pass\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n',
    },
  ],
  invalid: [
    {
      name: 'queue with only batch (3.13, built-in SDK)',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        for message in batch.messages:\n            message.ack()\n`,
      errors: [{ line: 4, column: 15, endColumn: 20, message: /calls `queue\(batch, env, ctx\)` but this method takes only `batch`/, severity: 'error' }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n        for message in batch.messages:\n            message.ack()\n`,
    },
    {
      name: 'scheduled with only controller, vendored SDK on a 2026 date',
      profile: { sdk: 'vendored', date: '2026-05-01' },
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def scheduled(self, controller):\n        print(controller.cron)\n`,
      errors: [{ line: 4, column: 15, message: /every cron run raises TypeError/ }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def scheduled(self, controller, env, ctx):\n        print(controller.cron)\n`,
    },
    {
      name: 'scheduled with self only, aliased module import, legacy date',
      profile: { date: '2025-03-01' },
      code: 'import workers as w\n\nclass Default(w.WorkerEntrypoint):\n    def scheduled(self):\n        pass\n',
      errors: [{ line: 4, column: 9, message: /takes no arguments/ }],
      output: 'import workers as w\n\nclass Default(w.WorkerEntrypoint):\n    def scheduled(self, controller, env, ctx):\n        pass\n',
    },
    {
      name: 'names already used in the body get a prefix',
      profile: { flags: ['python_workers_20260610'], date: '2026-07-01' },
      code: `${HEAD}env = "prod"\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch, env):\n        ctx = env\n        return ctx\n`,
      errors: [{ line: 6, column: 15, message: /takes only `batch`, `env`/ }],
      output: `${HEAD}env = "prod"\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch, env, _ctx):\n        ctx = env\n        return ctx\n`,
    },
    {
      name: 'keyword-only parameters and defaults',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch=None, *, retries=3):\n        pass\n`,
      errors: [{ line: 4, column: 15 }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch=None, env=None, ctx=None, *, retries=3):\n        pass\n`,
    },
    {
      name: 'unknown runtime still reported (holds everywhere)',
      profile: { noWorker: true },
      code: `${HEAD}class Api(WorkerEntrypoint):\n    async def queue(self, batch, **kwargs):\n        pass\n`,
      errors: [{ line: 4, column: 15, severity: 'error' }],
      output: `${HEAD}class Api(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx, **kwargs):\n        pass\n`,
    },
    {
      name: 'no fix when every candidate name is taken',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        return env, _env, ctx\n`,
      errors: [{ line: 4, column: 15 }],
      output: null,
    },
    {
      name: 'tabs around def and the name',
      code: `${HEAD}class Default(WorkerEntrypoint):\n\tasync def\tqueue(self, batch):\n\t\tfor m in batch.messages:\n\t\t\tm.ack()\n`,
      errors: [{ line: 4, column: 12, endColumn: 17 }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n\tasync def\tqueue(self, batch, env, ctx):\n\t\tfor m in batch.messages:\n\t\t\tm.ack()\n`,
    },
    {
      name: 'a comment and a line break between def and the name (tree-sitter reads past them)',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def # cron entry\n    scheduled(self, controller):\n        pass\n`,
      errors: [{ line: 5, column: 5, endColumn: 14 }],
      output: `${HEAD}class Default(WorkerEntrypoint):\n    async def # cron entry\n    scheduled(self, controller, env, ctx):\n        pass\n`,
    },
    {
      name: 'CRLF line ends',
      code: 'from workers import WorkerEntrypoint\r\n\r\nclass Default(WorkerEntrypoint):\r\n    async def queue(self, batch):\r\n        pass\r\n',
      errors: [{ line: 4, column: 15, endColumn: 20 }],
      output: 'from workers import WorkerEntrypoint\r\n\r\nclass Default(WorkerEntrypoint):\r\n    async def queue(self, batch, env, ctx):\r\n        pass\r\n',
    },
    {
      name: 'a file with a syntax error: the fix is only shown',
      code: `${HEAD}class Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n\nprint(1 +)\n`,
      errors: [{ line: 4, column: 15, endColumn: 20 }],
      output: null,
    },
    {
      name: 'WorkerEntrypoint from a star import',
      code: 'from workers import *\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n',
      errors: [{ line: 4, column: 15, endColumn: 20 }],
      output: 'from workers import *\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n        pass\n',
    },
  ],
});
