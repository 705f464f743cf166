"""Weather proxy: httpx.AsyncClient for the forecast, the runtime's fetch for alerts."""
import json
from urllib.parse import parse_qs, urlparse

import httpx
from js import Object, fetch
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint

FORECAST_URL = "https://api.open-meteo.com/v1/forecast"


def js_object(value):
    """Python dict -> plain JS object (not a Map), for JS APIs such as fetch()."""
    return to_js(value, dict_converter=Object.fromEntries)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        query = parse_qs(urlparse(request.url).query)
        lat, lon = query.get("lat", ["52.52"])[0], query.get("lon", ["13.41"])[0]

        async with httpx.AsyncClient(timeout=10) as client:
            resp = await client.get(
                FORECAST_URL,
                params={"latitude": lat, "longitude": lon, "current": "temperature_2m"},
            )
            forecast = resp.json()

        init = js_object({
            "method": "POST",
            "headers": {"content-type": "application/json"},
            "body": json.dumps({"lat": float(lat), "lon": float(lon)}),
        })
        alerts_resp = await fetch(self.env.ALERTS_URL, init)
        # A raw JS Response: its JSON is a JsProxy, so convert it here.
        alerts = (await alerts_resp.json()).to_py() if alerts_resp.ok else []

        return Response.json({"current": forecast.get("current"), "alerts": alerts})
