import { rule } from '../../rules/pw021-global-handler-without-on-prefix.js';
import { ruleTester, workerFiles } from '../helpers/rule-tester.js';

const LEGACY = { date: '2025-03-10' };
const HEAD = 'from workers import Response, handler\n\n';

ruleTester(rule, {
  valid: [
    { name: 'on_ prefixed handlers', profile: LEGACY, code: `${HEAD}@handler\nasync def on_fetch(request, env):\n    return Response("ok")\n` },
    {
      name: 'python_no_global_handlers in force: PW002 territory',
      profile: { date: '2025-11-01' },
      code: `${HEAD}@handler\nasync def scheduled(controller, env, ctx):\n    pass\n`,
    },
    { name: 'helper fetch(url) is not a handler', profile: LEGACY, code: `${HEAD}async def fetch(url):\n    return url\n\n@handler\nasync def on_fetch(request, env):\n    return Response(await fetch(request.url))\n` },
    {
      name: 'fetch next to an existing on_fetch',
      profile: LEGACY,
      code: `${HEAD}async def fetch(request, env):\n    return Response("inner")\n\n@handler\nasync def on_fetch(request, env):\n    return await fetch(request, env)\n`,
    },
    { name: 'method of a class is not module-level', profile: LEGACY, code: 'class Handlers:\n    async def fetch(self, request, env):\n        pass\n' },
    { name: 'names in strings and comments', profile: LEGACY, code: `${HEAD}# async def fetch(request, env)\nNOTE = "def scheduled(controller, env, ctx)"\n` },
    {
      name: 'not the main module of the Worker',
      files: { ...workerFiles(LEGACY), 'src/tasks.py': 'async def scheduled(controller, env, ctx):\n    pass\n' },
      target: 'src/tasks.py',
    },
    { name: 'from js import fetch is an import, not a def', profile: LEGACY, code: 'from js import fetch\n\nasync def on_fetch(request, env):\n    return await fetch(request)\n' },
    { name: 'unknown runtime: skipped', profile: { noWorker: true }, code: `${HEAD}@handler\nasync def scheduled(controller, env, ctx):\n    pass\n` },
    // Text-first edges: only a name right after `def` is a candidate; the tree decides.
    {
      name: 'fetch called and imported, never defined at module level',
      profile: LEGACY,
      code: 'from js import fetch\n\nclass Default:\n    async def fetch(self, request, env):\n        return await fetch(request)\n\nasync def on_fetch(request, env):\n    return await fetch(request)\n',
    },
    { name: 'names of Object.prototype are no handlers', profile: LEGACY, code: 'def constructor(request, env):\n    pass\n\ndef toString(request, env):\n    pass\n' },
  ],
  invalid: [
    {
      name: 'decorated scheduled (date 2025-03-10, 3.12)',
      profile: LEGACY,
      code: `${HEAD}@handler\nasync def scheduled(event, env, ctx):\n    await env.DB.prepare("DELETE FROM t").run()\n`,
      errors: [{ line: 4, column: 11, endColumn: 20, message: /never called: .* looks for `on_scheduled`$/, severity: 'error' }],
      output: `${HEAD}@handler\nasync def on_scheduled(event, env, ctx):\n    await env.DB.prepare("DELETE FROM t").run()\n`,
    },
    {
      name: 'undecorated fetch(request, env), flag switched off on a later date',
      profile: { date: '2025-11-01', flags: ['disable_python_no_global_handlers'] },
      code: 'from workers import Response\n\nasync def fetch(request, env):\n    return Response("ok")\n',
      errors: [{ line: 3, column: 11, message: /looks for `on_fetch`/ }],
      output: 'from workers import Response\n\nasync def on_fetch(request, env):\n    return Response("ok")\n',
    },
    {
      name: 'queue(batch, env), vendored SDK with the flag switched off',
      profile: { sdk: 'vendored', date: '2026-05-01', flags: ['disable_python_no_global_handlers'] },
      code: 'async def queue(batch, env):\n    for message in batch.messages:\n        message.ack()\n',
      errors: [{ line: 1, column: 11 }],
      output: 'async def on_queue(batch, env):\n    for message in batch.messages:\n        message.ack()\n',
    },
    {
      name: 'decorated handler that the module also calls: no fix',
      profile: LEGACY,
      code: `${HEAD}@handler\nasync def scheduled(controller, env, ctx):\n    pass\n\nasync def run_now(env):\n    await scheduled(None, env, None)\n`,
      errors: [{ line: 4, column: 11 }],
      output: null,
    },
    {
      name: 'main given with ./ prefix',
      files: {
        'wrangler.toml': 'name = "w"\nmain = "./src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = ["python_workers"]\n',
        'src/entry.py': 'import workers\n\n@workers.handler\ndef fetch(req):\n    return workers.Response("ok")\n',
      },
      errors: [{ line: 4, column: 5 }],
      output: 'import workers\n\n@workers.handler\ndef on_fetch(req):\n    return workers.Response("ok")\n',
    },
    {
      name: 'a line continuation between def and the name',
      profile: LEGACY,
      code: `${HEAD}@handler\nasync def \\\n    scheduled(controller, env, ctx):\n    pass\n`,
      errors: [{ line: 5, column: 5, endColumn: 14 }],
      output: `${HEAD}@handler\nasync def \\\n    on_scheduled(controller, env, ctx):\n    pass\n`,
    },
    {
      name: 'a comment and a line break between def and the name (tree-sitter reads past them)',
      profile: LEGACY,
      code: `${HEAD}@handler\nasync def # cron\nscheduled(controller, env, ctx):\n    pass\n`,
      errors: [{ line: 5, column: 1, endColumn: 10 }],
      output: `${HEAD}@handler\nasync def # cron\non_scheduled(controller, env, ctx):\n    pass\n`,
    },
    {
      name: 'CRLF line ends',
      profile: LEGACY,
      code: 'async def fetch(request, env):\r\n    return "ok"\r\n',
      errors: [{ line: 1, column: 11, endColumn: 16 }],
      output: 'async def on_fetch(request, env):\r\n    return "ok"\r\n',
    },
    {
      name: 'a file with a syntax error: the fix is only shown',
      profile: LEGACY,
      code: 'async def fetch(request, env):\n    return "ok"\n\nprint(1 +)\n',
      errors: [{ line: 1, column: 11, endColumn: 16 }],
      output: null,
    },
  ],
});
