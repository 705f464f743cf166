"""Todo API on D1. Ported to pywrangler and a 2026 compatibility date last sprint."""
import hashlib
import json
import os
from urllib.parse import urlparse

from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    # Mixed into the list ETag so clients can't forge one.
    ETAG_SALT = os.urandom(8).hex()

    async def fetch(self, request):
        path = urlparse(request.url).path

        if request.method == "POST" and path == "/todos":
            todo = await request.json()
            # The due date is optional; None is written as SQL NULL.
            await self.env.DB.prepare(
                "INSERT INTO todos (title, due, done) VALUES (?, ?, 0)"
            ).bind(todo["title"], todo.get("due") or None).run()
            return Response.json({"created": todo["title"]}, status=201)

        if path == "/todos":
            results = await self.env.DB.prepare(
                "SELECT id, title, due, done FROM todos ORDER BY id"
            ).all()
            todos = results.results.to_py()
            body = json.dumps(todos)
            etag = hashlib.sha256((self.ETAG_SALT + body).encode()).hexdigest()[:16]
            if request.headers.get("if-none-match") == etag:
                return Response(None, status=304)
            return Response(body, headers={"content-type": "application/json", "etag": etag})

        return Response.json({"error": "not found"}, status=404)
