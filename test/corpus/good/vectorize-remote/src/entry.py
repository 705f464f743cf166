"""Recipe search: embeds recipes with Workers AI and finds them with Vectorize.

POST /recipes  with [{"id", "title", "cuisine", "text"}, ...] indexes a batch.
GET  /search?q=...&cuisine=...  returns the closest recipes.
"""
from urllib.parse import parse_qs, urlparse

from js import Object
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint

EMBED_MODEL = "@cf/baai/bge-base-en-v1.5"
MAX_RESULTS = 10


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        url = urlparse(request.url)
        if request.method == "POST" and url.path == "/recipes":
            return await self.index_recipes(await request.json())
        if request.method == "GET" and url.path == "/search":
            return await self.search(parse_qs(url.query))
        return Response.json({"error": "POST /recipes or GET /search?q="}, status=404)

    async def embed(self, texts):
        result = await self.env.AI.run(EMBED_MODEL, {"text": texts})
        return result["data"]

    async def index_recipes(self, recipes):
        vectors = await self.embed([r["title"] + "\n" + r["text"] for r in recipes])
        rows = [
            {
                "id": r["id"],
                "values": vector,
                "metadata": {"title": r["title"], "cuisine": r.get("cuisine", "any")},
            }
            for r, vector in zip(recipes, vectors)
        ]
        await self.env.RECIPES.upsert(rows)
        return Response.json({"indexed": len(rows)}, status=202)

    async def search(self, query):
        text = query.get("q", [""])[0].strip()
        if not text:
            return Response.json({"error": "pass ?q=..."}, status=400)
        k = query.get("k", ["5"])[0]
        top_k = min(int(k), MAX_RESULTS) if k.isdigit() and int(k) > 0 else 5

        options = {"topK": top_k, "returnMetadata": "all"}
        cuisine = query.get("cuisine", [""])[0]
        if cuisine:
            options["filter"] = {"cuisine": cuisine}

        (vector,) = await self.embed([text])
        # Vectorize reads its options as a plain object: convert the dict (and
        # the nested filter) with Object.fromEntries rather than into a Map.
        found = await self.env.RECIPES.query(
            vector, to_js(options, dict_converter=Object.fromEntries)
        )
        return Response.json({
            "query": text,
            "results": [
                {"id": m["id"], "score": m["score"], "title": m["metadata"]["title"]}
                for m in found["matches"]
            ],
        })
