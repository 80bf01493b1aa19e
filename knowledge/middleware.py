"""A search the index cannot answer, outside the public search page (which says so itself): the
admin's page and snippet searches and choosers get a clear message instead of a server error.

A GET with a search (`?q=`) is sent back to the same list without it, with the message shown
above the list; any other request gets the message as a 503. The error is logged where it is
raised (the backend names the index folder and `update_index`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from knowledge.search.backend import SearchIndexLocked, SearchIndexUnavailable

INDEX_UNAVAILABLE_ADMIN_MESSAGE = _(
    "Søkeindeksen mangler eller er skadet, så søket kunne ikke utføres. Listen vises uten søk. "
    "Driftsansvarlig bygger indeksen på nytt med «manage.py update_index»."
)
INDEX_LOCKED_ADMIN_MESSAGE = _("Søkeindeksen er opptatt akkurat nå. Prøv søket igjen om litt.")


class SearchIndexErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SearchIndexUnavailable):
            message = INDEX_UNAVAILABLE_ADMIN_MESSAGE
        elif isinstance(exception, SearchIndexLocked):
            message = INDEX_LOCKED_ADMIN_MESSAGE
        else:
            return None
        if request.method == "GET" and "q" in request.GET:
            query = request.GET.copy()
            query.pop("q")
            messages.error(request, message)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
