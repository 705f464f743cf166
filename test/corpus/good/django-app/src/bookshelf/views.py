"""Views of the bookshelf site: a fixed catalogue, served as JSON."""
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

CATALOGUE = {
    "dune": {"title": "Dune", "author": "Frank Herbert", "year": 1965},
    "solaris": {"title": "Solaris", "author": "Stanisław Lem", "year": 1961},
    "kindred": {"title": "Kindred", "author": "Octavia E. Butler", "year": 1979},
}


@require_GET
def index(request):
    books = [{"slug": slug, **book} for slug, book in sorted(CATALOGUE.items())]
    return JsonResponse({"books": books})


@require_GET
def book_detail(request, slug):
    book = CATALOGUE.get(slug)
    if book is None:
        raise Http404(f"no book called {slug}")
    return JsonResponse({"slug": slug, **book}, json_dumps_params={"ensure_ascii": False})
