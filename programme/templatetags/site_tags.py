from django import template

from programme import queries

register = template.Library()


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    root = queries.site_root(request=request) if request else None
    current_path = getattr(context.get("page"), "path", "")
    items = []
    for item in queries.menu_items(root=root) if root else []:
        if current_path == item.path:
            state = "page"
        elif current_path.startswith(item.path):
            state = "true"
        else:
            state = ""
        items.append((item, state))
    return {"root": root, "root_current": bool(root) and current_path == root.path, "items": items}


@register.simple_tag
def accessibility_statement_url():
    """The accessibility statement's address for every page's footer (cached; see signals.py)."""
    from programme.models import AccessibilityStatementPage

    return queries.section_url(model=AccessibilityStatementPage)
