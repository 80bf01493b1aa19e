from django import template
from django.apps import apps

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
def section_url(label: str) -> str:
    """The URL of a one-page section (`max_count = 1`) by its model label, e.g.
    "programme.OpenDataPage"; empty when it is not live and public."""
    return queries.section_url(model=apps.get_model(label)) or ""


def _menu(context) -> list[queries.MenuItem]:
    request = context.get("request")
    root = queries.site_root(request=request) if request else None
    return queries.menu_items(root=root) if root else []


@register.simple_tag(takes_context=True)
def parent_of(context, page):
    """The parent of `page` (a navigation entry: title, url) for its breadcrumb: from the cached
    navigation when the parent is a section, at no query; otherwise from the database."""
    parent_path = page.path[: -page.steplen]
    for item in _menu(context):
        if item.path == parent_path:
            return item
    parent = page.get_parent()
    return queries.MenuItem(parent.title, parent.url, parent.path) if parent else None


@register.simple_tag(takes_context=True)
def section_of(context, page):
    """The top-level section (a navigation entry: title, url) that `page` lies in, from the
    cached navigation: breadcrumbs and section links at no query."""
    for item in _menu(context):
        if page.path.startswith(item.path):
            return item
    # A section kept out of the navigation: its parent, at the cost of a query.
    parent = page.get_parent()
    return queries.MenuItem(parent.title, parent.url, parent.path) if parent else None
