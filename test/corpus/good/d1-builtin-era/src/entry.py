"""Feed poller state in D1, fanned out through a queue (built-in SDK).

With the SDK that ships inside the runtime, D1 rows and queue bodies arrive as
JsProxy objects: convert them with .to_py() at the boundary, and bind SQL NULL
as a JS null rather than Python None.
"""
import js
from js import Object
from pyodide.ffi import jsnull, to_js
from workers import Response, WorkerEntrypoint

# Same JS null, obtained without jsnull (works on runtimes older than Pyodide 0.28).
JSON_NULL = js.JSON.parse("null")


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        results = await self.env.DB.prepare("SELECT id, url FROM feeds ORDER BY id").all()
        feeds = results.results.to_py()
        for feed in feeds:
            job = {"feed_id": feed["id"], "url": feed["url"]}
            await self.env.POLL.send(to_js(job, dict_converter=Object.fromEntries))
        return Response.json({"queued": len(feeds)})

    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            job = message.body.to_py()
            # Forget the cached validators so the next poll downloads the whole feed.
            await env.DB.prepare(
                "UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?"
            ).bind(jsnull, JSON_NULL, job["feed_id"]).run()
            message.ack()
