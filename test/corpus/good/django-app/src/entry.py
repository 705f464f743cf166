"""Bookshelf: a Django project answering requests inside a Python Worker.

Django is a WSGI application; the vendored SDK's `workers.wsgi` module turns
the Worker request into a WSGI environ and Django's response back into a
Worker response.
"""
import os

from workers import WorkerEntrypoint, wsgi

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookshelf.settings")

# Building the application loads settings and URLconf once, at import time,
# so the work lands in the memory snapshot instead of on every cold start.
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await wsgi.fetch(application, request, self.env)
