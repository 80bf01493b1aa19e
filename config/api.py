"""Wagtail's read-only API v2 for everything public. Pages are live and public only; documents in
collections with view restrictions are left out by Wagtail's own documents endpoint."""

from django.utils.translation import gettext_lazy
from wagtail.api.v2 import views
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from config.routing import site_root_paths

SEARCH_OPERATORS = ("and", "or")
BAD_SEARCH_OPERATOR = gettext_lazy("«search_operator» må være «and» eller «or».")


class PagesAPIViewSet(views.PagesAPIViewSet):
    """Wagtail's pages endpoint. A listing's pages are plain `Page` objects, and each one's
    `html_url` read the site root paths from the shared cache (a Redis round trip per page in
    production); they get the ones the worker keeps with the site structure instead."""

    def listing_view(self, request):
        # Wagtail hands any other value to the search backend, which fails with a 500.
        if request.GET.get("search_operator", "and") not in SEARCH_OPERATORS:
            raise BadRequestError(str(BAD_SEARCH_OPERATOR))
        return super().listing_view(request)

    def paginate_queryset(self, queryset):
        pages = super().paginate_queryset(queryset)
        paths = site_root_paths()
        for page in pages or ():
            page._wagtail_cached_site_root_paths = paths
        return pages


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
