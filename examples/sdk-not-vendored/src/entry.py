"""Serves exported Jupyter notebooks from the origin with our site banner on top."""
from urllib.parse import urlparse

from js import HTMLRewriter
from js import fetch as js_fetch
from pyodide.ffi import create_proxy
from workers import Response, WorkerEntrypoint

BANNER = '<div class="site-banner">Notebook archive &middot; read only</div>'


class BannerInjector:
    def element(self, element):
        element.prepend(BANNER, html=True)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        path = urlparse(request.url).path
        if not path.endswith(".html"):
            return Response("Only exported notebooks (*.html) are served here", status=404)

        upstream = await js_fetch(f"{self.env.ORIGIN}{path}")
        if not upstream.ok:
            return Response("Notebook not found", status=upstream.status)

        rewriter = HTMLRewriter.new()
        rewriter.on("body", create_proxy(BannerInjector()))
        return rewriter.transform(upstream)
