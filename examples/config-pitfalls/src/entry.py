"""Semantic search over the docs: embed the query, ask Vectorize for neighbours."""
import uuid
from urllib.parse import parse_qs, urlparse

import numpy as np
from workers import Response, WorkerEntrypoint

EMBEDDING_MODEL = "@cf/baai/bge-small-en-v1.5"

# Stamped on every response so we can match logs to a deploy.
BUILD_ID = uuid.uuid4().hex[:8]


def normalise(vector):
    arr = np.asarray(vector, dtype=np.float32)
    norm = np.linalg.norm(arr)
    return (arr / norm if norm else arr).tolist()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        query = parse_qs(urlparse(request.url).query).get("q", [""])[0].strip()
        if not query:
            return Response.json({"error": "pass ?q=..."}, status=400)

        embedding = await self.env.AI.run(EMBEDDING_MODEL, {"text": [query]})
        vector = normalise(embedding["data"][0])
        found = await self.env.SEARCH_INDEX.query(vector, {"topK": 5, "returnMetadata": "all"})

        hits = [
            {"id": m["id"], "score": round(m["score"], 3), "title": m["metadata"].get("title")}
            for m in found["matches"]
        ]
        return Response.json({"query": query, "hits": hits, "build": BUILD_ID})
