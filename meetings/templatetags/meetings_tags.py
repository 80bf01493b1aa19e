from django import template

from meetings import queries

register = template.Library()


@register.inclusion_tag("meetings/includes/decision_links.html", takes_context=True)
def decisions_for(context, page, heading_id="decisions-heading"):
    """The decisions acting on a recommendation or theme page, for the reader of the page."""
    from programme.models import ThemePage

    key = "theme" if isinstance(page, ThemePage) else "recommendation"
    request = context.get("request")
    items = queries.decisions(user=getattr(request, "user", None), **{key: page})
    return {"decisions": list(items), "heading_id": heading_id, "kind": key}
