"""What a page says about itself in <head>, for search engines and link previews."""

from __future__ import annotations

from django import template
from wagtail.contrib.routable_page.models import RoutablePageMixin

register = template.Library()

DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def page_description(context) -> str:
    """The page's description (`SitePage.meta_description`) at the page's own address only: a
    route of the page (a milestone of the timeline, the decision register) is another page, and
    the timeline's introduction would describe it wrongly. A view may set `meta_description`."""
    if "meta_description" in context:
        text = context["meta_description"] or ""
    else:
        page, request = context.get("page"), context.get("request")
        if page is None or request is None or not hasattr(page, "meta_description"):
            return ""
        # Only a routable page serves other addresses; the others are always at their own.
        if isinstance(page, RoutablePageMixin) and page.get_url(request=request) != request.path:
            return ""
        text = page.meta_description
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    # Cut at a word, as Truncator would, without its per-character pass over a long text.
    return text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
