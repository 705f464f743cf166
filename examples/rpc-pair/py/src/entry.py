"""Renders a code snippet as numbered HTML lines; called over RPC by the JS worker."""
import html

from workers import Response, WorkerEntrypoint

MAX_LINES = 500


class Default(WorkerEntrypoint):
    async def render(self, source, language):
        lines = source.splitlines()[:MAX_LINES]
        width = len(str(len(lines)))
        rows = [
            f'<span class="ln">{n:>{width}}</span> {html.escape(text)}'
            for n, text in enumerate(lines, start=1)
        ]
        body = "\n".join(rows)
        return f'<pre class="snippet lang-{html.escape(language)}">{body}</pre>'

    async def fetch(self, request):
        return Response("snippet-renderer is only reachable over RPC", status=404)
