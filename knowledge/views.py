from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import search


@require_GET
def search_page(request):
    """/sok/?q=…: the public search; works fully without JavaScript."""
    query_string = request.GET.get("q", "")
    filters = {name: request.GET.get(name, "").strip()[:100] for name in search.FILTERS}
    outcome = None
    links = {}
    if query_string.strip():
        outcome = search.site_search(
            query_string=query_string, filters=filters, page=request.GET.get("side", 1), request=request
        )
        links = _links(outcome)
    context = {
        "outcome": outcome,
        "query_string": query_string[:200],
        "links": links,
        "truncated_message": search.TRUNCATED_MESSAGE,
    }
    return render(request, "knowledge/search.html", context)


def _search_url(query: str, filters: dict[str, str], **changes) -> str:
    params = {"q": query, **filters, **changes}
    return "?" + urlencode({name: value for name, value in params.items() if value not in ("", None)})


def _links(outcome: search.SearchOutcome) -> dict:
    """Facet, pagination and suggestion links that keep the rest of the search."""
    for facet in outcome.facets:
        facet.links = [
            (
                label,
                count,
                selected,
                _search_url(outcome.query, outcome.filters, **{facet.name: "" if selected else value}),
            )
            for value, label, count, selected in facet.options
        ]
    links = {"clear": _search_url(outcome.query, {})}
    if outcome.page is not None:
        if outcome.page.has_previous():
            links["previous"] = _search_url(
                outcome.query, outcome.filters, side=outcome.page.previous_page_number()
            )
        if outcome.page.has_next():
            links["next"] = _search_url(outcome.query, outcome.filters, side=outcome.page.next_page_number())
    if outcome.suggestion:
        links["suggestion"] = _search_url(outcome.suggestion, {})
    return links


@require_GET
def search_suggestions(request):
    """/sok/forslag/?q=…: titles for the search box's suggestion list (JSON)."""
    results = search.autocomplete(query_string=request.GET.get("q", ""), request=request)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=60"
    return response
