"""The protocol as PDF, rendered by WeasyPrint from the same template as the page.

WeasyPrint needs Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0); where
they are missing the PDF link answers a Norwegian message instead of failing."""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF_UNAVAILABLE = _(
    "PDF-versjonen kan ikke lages på denne serveren fordi biblioteket for tekstoppsett (Pango) "
    "mangler. Bruk utskriftsvisningen i nettleseren og velg «Lagre som PDF»."
)
STYLESHEETS = ("css/print.css", "meetings/protocol.css")


@functools.cache
def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        logger.warning("WeasyPrint or Pango is missing: protocols cannot be rendered as PDF")
        return False
    return True


def _local_fetcher():
    """A fetcher that reads the page's own static files from disk and fetches nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            marker = "/static/"
            if marker in url:
                found = finders.find(url.split(marker, 1)[1].split("?", 1)[0])
                if found:
                    mime_type = mimetypes.guess_type(found)[0] or "text/css"
                    return URLFetcherResponse(
                        url, body=Path(found).read_bytes(), headers={"Content-Type": mime_type}
                    )
            raise ValueError(f"not fetched: {url}")

    return LocalStaticFetcher()


def protocol_document(request, *, protocol):
    """The protocol laid out for print (A4) by WeasyPrint, from the page's own template."""
    import weasyprint

    context = protocol.get_context(request)
    context["pdf"] = True
    html = render_to_string(protocol.get_template(request), context, request=request)
    return weasyprint.HTML(
        string=html,
        base_url=request.build_absolute_uri("/"),
        url_fetcher=_local_fetcher(),
        media_type="print",
    ).render()


def protocol_pdf(request, *, protocol) -> bytes:
    return protocol_document(request, protocol=protocol).write_pdf()


def protocol_pdf_response(request, *, protocol) -> HttpResponse:
    if not pdf_available():
        return HttpResponse(str(PDF_UNAVAILABLE), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(protocol_pdf(request, protocol=protocol), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(protocol.title) or "protokoll"}.pdf"'
    return response
