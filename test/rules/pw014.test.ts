import { rule } from '../../rules/pw014-queue-body-to-py.js';
import { ruleTester } from '../helpers/rule-tester.js';

const HEAD = 'from workers import WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch, env, ctx):\n';
const body = (...lines: string[]) => HEAD + lines.map((l) => `        ${l}\n`).join('');

ruleTester(rule, {
  valid: [
    { name: 'converted with to_py', code: body('for message in batch.messages:', '    job = message.body.to_py()', '    print(job["id"])') },
    { name: 'converted inline', code: body('for message in batch.messages:', '    print(message.body.to_py()["id"])') },
    {
      name: 'vendored SDK wraps the batch (queue-pipeline style)',
      profile: { sdk: 'vendored', date: '2026-02-10' },
      code: body('for message in batch.messages:', '    job_id = message.body["job_id"]', '    message.ack()'),
    },
    { name: 'vendored by date (2026-05), no pyproject', profile: { date: '2026-05-01' }, code: body('for message in batch.messages:', '    print(message.body.get("id"))') },
    { name: 'body attribute access and passing it on', code: body('for message in batch.messages:', '    print(message.body.kind)', '    await env.OUT.send(message.body)') },
    { name: 'not a queue handler', code: 'from workers import WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        for message in request.messages:\n            print(message.body["x"])\n' },
    { name: 'body of something else', code: body('resp = await env.API.fetch("https://x")', 'print(resp.body["x"])') },
    { name: 'queue of a non-entrypoint class', code: 'class Jobs:\n    async def queue(self, batch):\n        for m in batch.messages:\n            print(m.body["x"])\n' },
    { name: 'names in strings and comments', code: body('# message.body["id"]', 'note = "message.body.get(\'x\')"') },
    { name: 'loop variable shadowed by another loop', code: body('for message in batch.messages:', '    message.ack()', 'for message in load_archive():', '    print(message.body["id"])') },
    { name: 'unknown runtime: skipped', profile: { noWorker: true }, code: body('for message in batch.messages:', '    print(message.body["id"])') },
    { name: 'a comparison and a keyword argument are no assignments', code: body('for message in batch.messages:', '    if data == message.body:', '        print(data["id"])', '    await env.OUT.send(body=message.body)') },
  ],
  invalid: [
    {
      name: 'subscripted body (3.13, built-in SDK)',
      code: body('for message in batch.messages:', '    order_id = message.body["id"]', '    message.ack()'),
      errors: [{ line: 7, column: 24, endColumn: 36, message: /^`message.body` is a JsProxy under the built-in workers SDK, so subscripting it raises TypeError/, severity: 'error' }],
      output: body('for message in batch.messages:', '    order_id = message.body.to_py()["id"]', '    message.ack()'),
    },
    {
      name: 'body assigned to a name, then .get() (3.12)',
      profile: { date: '2025-06-01' },
      code: body('for msg in batch.messages:', '    data = msg.body', '    print(data.get("id"))'),
      errors: [{ line: 7, column: 20, endColumn: 28, message: /has no `.get\(\)`/ }],
      output: body('for msg in batch.messages:', '    data = msg.body.to_py()', '    print(data.get("id"))'),
    },
    {
      name: 'legacy on_queue with json.dumps, comprehension and an indexed message (3.14)',
      profile: { date: '2025-03-01', flags: ['python_workers_20260610'] },
      code: 'import json\n\nasync def on_queue(batch, env):\n    ids = [m.body["id"] for m in batch.messages]\n    first = json.dumps(batch.messages[0].body)\n',
      errors: [
        { line: 4, column: 12, message: /subscripting/ },
        { line: 5, column: 24, message: /json.dumps\(\)/ },
      ],
      output: 'import json\n\nasync def on_queue(batch, env):\n    ids = [m.body.to_py()["id"] for m in batch.messages]\n    first = json.dumps(batch.messages[0].body.to_py())\n',
    },
    {
      name: 'messages through a name, several uses',
      code: body('msgs = batch.messages', 'for message in msgs:', '    print(message.body["a"], message.body.items())'),
      errors: [{ line: 8, column: 19 }, { line: 8, column: 38, message: /has no `.items\(\)`/ }],
      output: body('msgs = batch.messages', 'for message in msgs:', '    print(message.body.to_py()["a"], message.body.to_py().items())'),
    },
    {
      name: 'a name after a line continuation, an annotated assignment',
      code: body('for message in batch.messages:', '    order = message.\\', '        body["id"]', '    data: dict = message.body', '    print(data.get("x"))'),
      errors: [{ line: 7, column: 21, endLine: 8, endColumn: 21 }, { line: 9, column: 26, endColumn: 38, message: /has no `.get\(\)`/ }],
      output: body('for message in batch.messages:', '    order = message.\\', '        body.to_py()["id"]', '    data: dict = message.body.to_py()', '    print(data.get("x"))'),
    },
  ],
});
