"""Per-page view counters: one Durable Object instance per page path."""
from urllib.parse import urlparse

from workers import DurableObject, Response, WorkerEntrypoint


class PageCounter(DurableObject):
    async def hit(self):
        views = (await self.ctx.storage.get("views")) or 0
        views += 1
        await self.ctx.storage.put("views", views)
        return views

    async def views(self):
        return (await self.ctx.storage.get("views")) or 0

    async def fetch(self, request):
        return Response(str(await self.views()))


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        page = urlparse(request.url).path or "/"
        counter = self.env.COUNTERS.get(self.env.COUNTERS.idFromName(page))

        if request.method == "POST":
            views = await counter.hit()
        elif request.method == "GET":
            views = await counter.views()
        else:
            return Response("GET reads, POST counts a view", status=405)

        return Response.json({"page": page, "views": views})
