"""FAQ assistant: stores Q&A pairs in Vectorize and answers with Workers AI."""
import uuid
from urllib.parse import parse_qs, urlparse

from workers import Response, WorkerEntrypoint

EMBED_MODEL = "@cf/baai/bge-base-en-v1.5"
CHAT_MODEL = "@cf/meta/llama-3.1-8b-instruct"


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        url = urlparse(request.url)

        if request.method == "POST" and url.path == "/faq":
            entry = await request.json()
            entry_id = str(uuid.uuid4())
            vector = await self.embed(entry["question"])
            metadata = {"question": entry["question"], "answer": entry["answer"]}
            await self.env.FAQ_INDEX.upsert([{"id": entry_id, "values": vector, "metadata": metadata}])
            return Response.json({"id": entry_id}, status=201)

        question = parse_qs(url.query).get("q", [""])[0].strip()
        if not question:
            return Response.json({"error": "ask with ?q=..."}, status=400)

        found = await self.env.FAQ_INDEX.query(
            await self.embed(question), {"topK": 3, "returnMetadata": "all"}
        )
        context = "\n".join(
            f"Q: {m['metadata']['question']}\nA: {m['metadata']['answer']}" for m in found["matches"]
        )
        reply = await self.env.AI.run(CHAT_MODEL, {
            "messages": [
                {"role": "system", "content": "Answer using only these FAQ entries:\n" + context},
                {"role": "user", "content": question},
            ],
        })
        return Response.json({"answer": reply["response"], "sources": len(found["matches"])})

    async def embed(self, text):
        result = await self.env.AI.run(EMBED_MODEL, {"text": [text]})
        return result["data"][0]
