"""Text helpers that other Workers call over RPC through a service binding.

Every public method of `Default` is an RPC method: the JS Worker in ../js
calls `env.TEXT.slugify("...")` and gets a plain JS value back, because the
SDK converts dicts into plain objects on the way out.
"""
import re
import unicodedata

from workers import Response, WorkerEntrypoint

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"\w+", re.UNICODE)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response("slug-service-py: call me over RPC through a service binding")

    async def slugify(self, text, max_length=60):
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        slug = _NOT_WORD.sub("-", ascii_text.lower()).strip("-")
        return slug[:max_length].rstrip("-")

    async def stats(self, text):
        words = _WORD.findall(text)
        return {
            "characters": len(text),
            "words": len(words),
            "reading_minutes": round(len(words) / 230, 1),
        }
