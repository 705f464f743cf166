"""Status aggregator using blocking HTTP clients, which work on the 3.13 runtime."""
import httpx
import requests
import urllib3
from workers import Response, WorkerEntrypoint

STATUS_PAGES = {
    "github": "https://www.githubstatus.com/api/v2/status.json",
    "cloudflare": "https://www.cloudflarestatus.com/api/v2/status.json",
}
HEALTH_URL = "https://example.com/"


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response.json(self.collect())

    def collect(self):
        report = {}
        with requests.Session() as session:
            for name, url in STATUS_PAGES.items():
                resp = session.get(url, timeout=5)
                report[name] = resp.json()["status"]["indicator"] if resp.ok else "unknown"

        pool = urllib3.PoolManager()
        head = pool.request("HEAD", HEALTH_URL, timeout=5.0)
        report["example.com"] = "up" if head.status < 400 else "down"

        with httpx.Client(timeout=5.0) as client:
            report["httpbin"] = client.get("https://httpbin.org/status/204").status_code
        return report
