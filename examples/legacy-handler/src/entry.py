"""Link previews: fetch a page, pull out its <title>, cache the result."""
import json
import re
from random import getrandbits

import js
import requests as r
from js import eval as js_eval
from pyodide.ffi import to_js, to_py
from workers import Response, handler

TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

# Tag cache entries with the isolate that wrote them, handy when debugging.
WRITER_TAG = f"lp-{getrandbits(32):08x}"

# Borrowed from our JS worker: parse JSON with the engine's own parser.
parse_json = js.eval("(text) => JSON.parse(text)")


def kv_options(ttl_seconds):
    return to_js({"expirationTtl": ttl_seconds, "metadata": {"writer": WRITER_TAG}})


@handler
async def on_fetch(request, env):
    target = request.url.split("?url=", 1)[-1]
    cached = await env.CACHE.get(target)
    if cached:
        return Response(cached, headers={"content-type": "application/json"})

    page = r.get(target, timeout=5)
    match = TITLE_RE.search(page.text)
    title = match.group(1).strip() if match else target
    body = json.dumps({"url": target, "title": title, "writer": WRITER_TAG})

    await env.CACHE.put(target, body, kv_options(3600))
    # The etag column is filled in later by the refresh job.
    await env.DB.prepare(
        "INSERT OR REPLACE INTO previews (url, title, etag) VALUES (?, ?, ?)"
    ).bind(target, title, None).run()

    preview = to_py(parse_json(body))
    preview["fetched_at"] = js_eval("Date.now()")
    return Response(json.dumps(preview), headers={"content-type": "application/json"})


@handler
async def scheduled(event, env, ctx):
    # Nightly clean-up of previews nobody asked for in a month.
    await env.DB.prepare(
        "DELETE FROM previews WHERE updated_at < date('now', '-30 days')"
    ).run()
