"""The decision register (vedtaksregister), a route of the meetings index at /moter/vedtak/."""

from __future__ import annotations

from django.core.paginator import Paginator

from config.pagecache import expire_on

from . import queries

PAGE_SIZE = 50


def decision_register(request, *, index):
    filters = {
        "body_id": request.GET.get("organ", "")[:12],
        "year": request.GET.get("ar", "")[:4],
        "theme_id": request.GET.get("tema", "")[:12],
        "text": request.GET.get("q", "")[:200],
    }
    items = queries.decisions(user=request.user, index=index, with_milestones=True, **filters)
    # A list, not the queryset: the paginator then needs no separate COUNT query. A body takes a
    # few hundred decisions a year, so the register's rows stay small.
    items, public_changes_on = queries.redact_decisions(items, user=request.user)
    expire_on(request, public_changes_on)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    bodies, years = queries.decision_facets(user=request.user, index=index)
    return index.render(
        request,
        template="meetings/decision_register.html",
        context_overrides={
            "decisions": page,
            "bodies": bodies,
            "years": years,
            "themes": queries.themes_with_decisions(user=request.user),
            "filters": filters,
            "filtered": any(filters.values()),
            "query_string": query.urlencode(),
        },
    )
