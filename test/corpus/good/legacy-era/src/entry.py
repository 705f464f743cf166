"""Uptime ping in the early-2025 handler style (correct at its compatibility date)."""
import json
import time
from urllib.parse import urlparse

from workers import Response, handler


@handler
async def on_fetch(request, env):
    path = urlparse(request.url).path
    if path == "/health":
        body = {"ok": True, "service": env.SERVICE_NAME}
        return Response(json.dumps(body), headers={"content-type": "application/json"})

    last = await env.PINGS.get("last")
    if last is None:
        return Response("no ping recorded yet", status=404)
    return Response(f"last ping at {last}")


@handler
async def on_scheduled(controller, env, ctx):
    await env.PINGS.put("last", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
