"""Bookmarks on D1 with the vendored SDK.

The SDK in python_modules wraps the D1 binding: query results are plain Python
dicts and lists, and None is bound as SQL NULL, so no conversion is needed.
"""
from urllib.parse import urlparse

from workers import Response, WorkerEntrypoint

LIST_SQL = "SELECT id, url, title FROM bookmarks ORDER BY id DESC LIMIT 50"


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        path = urlparse(request.url).path.rstrip("/")
        db = self.env.DB

        if request.method == "POST" and path == "/bookmarks":
            data = await request.json()
            title = data.get("title") or data["url"]
            # No note yet: store NULL.
            await db.prepare(
                "INSERT INTO bookmarks (url, title, note) VALUES (?, ?, ?)"
            ).bind(data["url"], title, None).run()
            return Response.json({"saved": data["url"]}, status=201)

        if path.startswith("/bookmarks/"):
            bookmark_id = int(path.rsplit("/", 1)[-1])
            row = await db.prepare(
                "SELECT id, url, title, note FROM bookmarks WHERE id = ?"
            ).bind(bookmark_id).first()
            if row is None:
                return Response.json({"error": "not found"}, status=404)
            return Response.json({"id": row["id"], "url": row["url"], "note": row["note"]})

        result = await db.prepare(LIST_SQL).all()
        rows = result["results"]
        return Response.json({"count": len(rows), "bookmarks": rows})
