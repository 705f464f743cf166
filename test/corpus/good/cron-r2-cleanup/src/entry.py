"""Nightly janitor: deletes temporary uploads older than the retention window."""
import time

from js import Object
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint

RETENTION_SECONDS = 7 * 24 * 3600
PREFIX = "tmp/"


class Default(WorkerEntrypoint):
    async def scheduled(self, controller, env, ctx):
        removed = await self.purge_older_than(time.time() - RETENTION_SECONDS)
        print(f"{controller.cron}: removed {removed} stale uploads")

    async def purge_older_than(self, cutoff_seconds):
        removed = 0
        cursor = None
        while True:
            options = {"prefix": PREFIX, "limit": 500}
            if cursor:
                options["cursor"] = cursor
            listing = await self.env.UPLOADS.list(to_js(options, dict_converter=Object.fromEntries))
            stale = [
                obj.key
                for obj in listing.objects
                if obj.uploaded.getTime() / 1000 < cutoff_seconds
            ]
            if stale:
                await self.env.UPLOADS.delete(to_js(stale))
                removed += len(stale)
            if not listing.truncated:
                return removed
            cursor = listing.cursor

    async def fetch(self, request):
        return Response("upload-janitor runs on a cron trigger", status=404)
