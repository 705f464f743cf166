"""Feature report: which web-platform globals this isolate provides.

The probe is a JavaScript expression evaluated once, while the module is
imported (startup), where eval is allowed from 2025-06-01 on. It returns a
JSON string, so what the module keeps is a plain Python dict, not a handle
on a JavaScript object. Handlers only read that dict.
"""
import json

import js
from workers import Response, WorkerEntrypoint

_PROBE = """
JSON.stringify(Object.fromEntries(
  ["URLPattern", "HTMLRewriter", "WebSocketPair", "CompressionStream", "structuredClone"]
    .map((name) => [name, typeof globalThis[name] !== "undefined"])
))
"""

FEATURES = json.loads(js.eval(_PROBE))


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        wanted = request.headers.get("x-feature")
        if wanted:
            if wanted not in FEATURES:
                return Response.json({"error": f"not probed: {wanted}"}, status=404)
            return Response.json({wanted: FEATURES[wanted]})
        return Response.json(FEATURES)
