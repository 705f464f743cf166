"""Plain-text notes in Workers KV: PUT /<name> stores a note, GET /<name> reads it.

KV hands back ordinary strings, so there is no to_py() step anywhere here, and
all I/O goes through the bindings rather than the requests library.
"""
from urllib.parse import urlparse

from workers import Response, WorkerEntrypoint

MAX_NOTE_BYTES = 64 * 1024
SLOW_DOWN = "Too many requests for this note, try again in a minute"

# Before 2025-08 this Worker was a global `@handler async def on_fetch(request, env)`.
# It now uses the class-based entrypoint below.


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        name = urlparse(request.url).path.strip("/")
        if not name:
            return Response("usage: PUT /<name> with a text body, then GET /<name>", status=400)

        if request.method == "PUT":
            text = await request.text()
            if len(text.encode("utf-8")) > MAX_NOTE_BYTES:
                return Response("note is larger than 64 KiB", status=413)
            if await self.env.NOTES.get(f"lock:{name}"):
                return Response(SLOW_DOWN, status=429)
            await self.env.NOTES.put(name, text)
            return Response("stored", status=201)

        if request.method != "GET":
            return Response("only GET and PUT", status=405)

        note = await self.env.NOTES.get(name)
        if not note:
            return Response("no such note", status=404)
        return Response(note, headers={"content-type": "text/plain; charset=utf-8"})
