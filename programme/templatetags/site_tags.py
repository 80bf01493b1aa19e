from urllib.parse import urlsplit

from django import template
from django.apps import apps
from django.conf import settings
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from config.generation import site_structure
from programme import queries

register = template.Library()


def _site_menu(context) -> tuple[Page | None, list[queries.MenuItem]]:
    """The root of the site being served and its navigation entries (cached)."""
    request = context.get("request")
    root = queries.site_root(request=request) if request else None
    return root, queries.menu_items(root=root) if root else []


def _navigation(context) -> dict:
    root, menu = _site_menu(context)
    current_path = getattr(context.get("page"), "path", "")
    request = context.get("request")
    address = getattr(request, "path", "")
    items = []
    for item in menu:
        if current_path == item.path:
            # A section's own route (its decision register, a milestone) is in the section but is
            # not the page the entry links to.
            state = "page" if not address or address == urlsplit(item.url).path else "true"
        elif current_path.startswith(item.path):
            state = "true"
        else:
            state = ""
        items.append((item, state))
    root_current = bool(root) and current_path == root.path and address in ("", "/")
    return {"root": root, "root_current": root_current, "items": items}


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context):
    return _navigation(context)


@register.simple_tag(takes_context=True)
def navigation_state(context) -> tuple:
    """What makes one page's navigation differ from another's: the site root and which entry is
    the current page or section (the entries themselves are part of the site structure)."""
    navigation = _navigation(context)
    root = navigation["root"]
    states = tuple(state for _item, state in navigation["items"])
    return (root.pk if root else None, navigation["root_current"], states)


class ChromeNode(template.Node):
    def __init__(self, name: str, nodelist, vary):
        self.name = name
        self.nodelist = nodelist
        self.vary = vary

    def render(self, context):
        key = ("chrome", self.name, get_language(), *(value.resolve(context) for value in self.vary))
        return mark_safe(site_structure.remember(key, lambda: str(self.nodelist.render(context))))


@register.tag
def chrome(parser, token):
    """`{% chrome "name" value … %}…{% endchrome %}`: a part of every page's frame (header,
    footer) rendered once per language and `value`s, and again only when the site structure
    changes (config/generation.py). It may show nothing else that varies: no page, request or
    user data beyond the `value`s it names."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError("{% chrome %} takes a quoted name, then the values it varies on.")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], nodelist, [parser.compile_filter(bit) for bit in bits[2:]])


def _foreign_content_language() -> str:
    """The content's language when the reader has chosen another interface language, else ""."""
    content_language = settings.WAGTAIL_CONTENT_LANGUAGES[0][0]
    return "" if get_language() in (content_language, None) else content_language


def _content_lang_attribute() -> str:
    language = _foreign_content_language()
    return f' lang="{language}"' if language else ""


class ContentLangNode(template.Node):
    def render(self, context):
        # Once per request: the interface language does not change while a page renders.
        request = context.get("request")
        if request is None:
            return _content_lang_attribute()
        attribute = getattr(request, "_content_lang_attribute", None)
        if attribute is None:
            attribute = request._content_lang_attribute = _content_lang_attribute()
        return attribute


@register.tag
def content_lang(parser, token):
    """`{% content_lang %}`: ` lang="nb"` for an element that holds content, when the reader has
    chosen another interface language: the content is written in bokmål only, and a screen reader
    must not read it with English pronunciation (WCAG 2.1 3.1.2). Nothing in bokmål. A node of
    its own rather than a simple tag: it is on nearly every element of content, and a simple
    tag's argument handling costs several times as much on pages rendered uncached."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% content_lang %} takes no arguments.")
    return ContentLangNode()


@register.filter(needs_autoescape=True)
def content_span(value, autoescape=True):
    """`value` in a `<span lang="nb">` when the reader has chosen another interface language, for
    content inside a line of interface text (see `content_lang`); as it is in bokmål."""
    if value is None or value == "":
        return value
    if autoescape:
        value = conditional_escape(value)
    language = _foreign_content_language()
    return mark_safe(f'<span lang="{language}">{value}</span>') if language else value


@register.simple_tag
def section_url(label: str) -> str:
    """The URL of a one-page section (`max_count = 1`) by its model label, e.g.
    "programme.OpenDataPage"; empty when it is not live and public."""
    return queries.section_url(model=apps.get_model(label)) or ""


@register.simple_tag(takes_context=True)
def parent_of(context, page):
    """The parent of `page` (a navigation entry: title, url) for its breadcrumb: from the cached
    navigation when the parent is a section, at no query; otherwise from the database."""
    parent_path = page.path[: -page.steplen]
    for item in _site_menu(context)[1]:
        if item.path == parent_path:
            return item
    parent = page.get_parent()
    return queries.MenuItem(parent.title, parent.url, parent.path) if parent else None


@register.simple_tag(takes_context=True)
def section_of(context, page):
    """The top-level section (a navigation entry: title, url) that `page` lies in, from the
    cached navigation: breadcrumbs and section links at no query."""
    for item in _site_menu(context)[1]:
        if page.path.startswith(item.path):
            return item
    # A section kept out of the navigation: its parent, at the cost of a query.
    parent = page.get_parent()
    return queries.MenuItem(parent.title, parent.url, parent.path) if parent else None
