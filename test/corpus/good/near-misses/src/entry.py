"""Link shortener. Every line here is correct; several only look like pitfalls.

Notes for reviewers: we never import requests, never call js.eval, and do not
`from pyodide.ffi import to_py`; .to_py() is used only on raw JS values.
"""
import random
import secrets
import string
from random import Random
from urllib.parse import urlparse

from js import fetch as js_fetch
from workers import Response, WorkerEntrypoint

from dice import PREVIEW_ROLL

ALPHABET = string.ascii_letters + string.digits
TOO_MANY = "too many requests"  # the word requests in a string literal


def shuffled(items, seed):
    random = Random(seed)  # a local name that hides the module, seeded per call
    out = list(items)
    random.shuffle(out)
    return out


def new_slug(length=7):
    return "".join(random.choice(ALPHABET) for _ in range(length))


class Default(WorkerEntrypoint):
    CODE_LENGTH = 7  # class bodies may hold constants, just not entropy

    async def fetch(self, request):
        target = urlparse(request.url).query
        if not target.startswith("https://"):
            return Response(TOO_MANY if target == "flood" else "pass ?https://...", status=400)

        slug = new_slug(self.CODE_LENGTH)
        await self.env.SHORT_LINKS.put(slug, target)

        meta_resp = await js_fetch(f"{self.env.PREVIEW_API}?url={target}")
        meta = (await meta_resp.json()).to_py() if meta_resp.ok else {}
        return Response.json({
            "slug": slug,
            "delete_token": secrets.token_urlsafe(16),
            "title": meta.get("title"),
            "hint_order": shuffled(["copy", "share", "qr"], seed=slug),
            "preview_roll": PREVIEW_ROLL,
        })
