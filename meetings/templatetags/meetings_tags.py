from django import template

from config.pagecache import expire_on
from meetings import queries

register = template.Library()


@register.inclusion_tag("meetings/includes/decision_links.html", takes_context=True)
def decisions_for(context, page, heading_id="decisions-heading"):
    """The decisions acting on a recommendation or theme page, for the reader of the page."""
    from programme.models import ThemePage

    key = "theme" if isinstance(page, ThemePage) else "recommendation"
    request = context.get("request")
    user = getattr(request, "user", None)
    items, boundary = queries.redact_decisions(
        queries.decisions(user=user, **{key: page}), user=user, drop_exempt=True
    )
    expire_on(request, boundary)
    return {"decisions": items, "heading_id": heading_id, "kind": key}
