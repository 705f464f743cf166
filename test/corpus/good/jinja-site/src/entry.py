"""Changelog page rendered with Jinja2.

Templates are compiled at import time on purpose: that work is captured in the
memory snapshot. Rendering, including the `random` filter, happens per request.
"""
import jinja2
from workers import Response, WorkerEntrypoint

TEMPLATES = {
    "base.html": (
        "<!doctype html><title>{% block title %}{% endblock %}</title>"
        "<main>{% block body %}{% endblock %}</main>"
    ),
    "changelog.html": (
        "{% extends 'base.html' %}{% block title %}Changelog{% endblock %}"
        "{% block body %}<p class=tip>{{ tips|random }}</p>"
        "{% for e in entries %}<h2>{{ e.version }}</h2><p>{{ e.summary }}</p>{% endfor %}"
        "{% endblock %}"
    ),
}

env = jinja2.Environment(
    loader=jinja2.DictLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(default=True),
)
changelog_page = env.get_template("changelog.html")

TIPS = ["Subscribe to the RSS feed.", "Breaking changes are marked in bold."]


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        result = await self.env.DB.prepare(
            "SELECT version, summary FROM releases ORDER BY released_at DESC LIMIT 20"
        ).all()
        html = changelog_page.render(entries=result["results"], tips=TIPS)
        return Response(html, headers={"content-type": "text/html; charset=utf-8"})
