"""WCAG 2.1 3.1.2 (language of parts): the content is written in bokmål only, so in the English
interface every piece of it sits in an element marked lang="nb", and no English interface text
does. Every live public page, every page of the routable sub-pages (milestones, activities, the
decision register), the search, the library's tag view, the 404 and the login page are rendered
in both languages from the loaded content: text that the English rendering shares with the
Norwegian one was not translated, so it is content; text it does not share was translated, so it
is interface. In bokmål nothing is marked: the Norwegian pages stay as they were."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

pytestmark = pytest.mark.django_db

# Routes that answer with something other than an HTML page.
NOT_HTML = {"rss", "atom", "decisions_rss", "decisions_atom", "calendar", "body_calendar", "pdf"}
# Text that reads the same in every language, so it needs no lang of its own: names of file and
# feed formats, amounts in their currency code, and web addresses.
LANGUAGE_NEUTRAL = {"RSS", "RSS 2.0", "Atom", "CSV", "JSON", "XLSX", "Excel (XLSX)", "iCalendar"}
LANGUAGE_NEUTRAL_PATTERN = re.compile(r"(NOK )?[\d\s.,:–+×%-]*(NOK)?|\(?https?://\S+?\)?")
# Elements whose text is not read as prose, or not shown. Text hidden from assistive technology
# (aria-hidden, the drawing inside a chart with role="img", named by its title) is skipped too.
SKIPPED = {"script", "style", "template", "noscript", "code"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _milestone_urls(page) -> list[str]:
    from programme.models import Milestone

    return [milestone.get_public_url() for milestone in Milestone.objects.filter(live=True).order_by("pk")]


def _activity_urls(page) -> list[str]:
    from communication import queries

    return [activity.get_public_url() for activity in queries.published_activities().order_by("pk")]


# The addresses of each routable sub-page with its own HTML, from the loaded content.
ROUTE_EXAMPLES = {
    ("programme.TimelinePage", "milestone"): _milestone_urls,
    ("meetings.MeetingIndexPage", "decisions"): lambda page: [f"{page.url}vedtak/"],
    ("communication.CommunicationPlanPage", "activity"): _activity_urls,
}


def _pages() -> list[Page]:
    return list(Page.objects.live().public().exclude(depth=1).specific().order_by("path"))


def _routes(page) -> list[str]:
    if not isinstance(page, RoutablePageMixin):
        return []
    return [pattern.name for pattern in page.get_resolver().url_patterns if str(pattern.pattern)]


NOT_FOUND = "/finnes-ikke/"


def _other_urls() -> list[str]:
    from knowledge.models import FindingPage, LibraryIndexPage

    library = LibraryIndexPage.objects.live().get()
    tag = FindingPage.objects.live().filter(tags__isnull=False).first().tags.order_by("name").first()
    return [
        "/sok/?q=arbeid",
        f"/sok/?q=arbeid&tag={tag.name}",
        # Few hits: the search suggests another word.
        "/sok/?q=arbeidsmarkedsbedrifter",
        f"{library.url}?tag={tag.name}",
        NOT_FOUND,
        "/logg-inn/",
    ]


def public_urls() -> list[str]:
    urls = []
    for page in _pages():
        urls.append(page.url)
        for route in _routes(page):
            if route not in NOT_HTML:
                key = (page._meta.label, route)
                assert key in ROUTE_EXAMPLES, f"no addresses for the sub-page {key}"
                urls.extend(ROUTE_EXAMPLES[key](page))
    return urls + _other_urls()


class TextNodes(HTMLParser):
    """The text nodes of a page's <body>, whitespace collapsed, each with the language of its
    nearest ancestor that has a lang attribute; and the elements in the body that have one."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str | None, bool]] = []  # tag, lang, skipped
        self.nodes: list[tuple[str, str]] = []
        self.marked_elements: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = (
            tag in SKIPPED
            or "hidden" in attrs
            or attrs.get("aria-hidden") == "true"
            or attrs.get("role") == "img"
            or bool(self.stack and self.stack[-1][2])
        )
        # The language switch names each language in that language, marked as such.
        skipped = skipped or "language-switch" in attrs.get("class", "").split()
        if attrs.get("lang") and self._in_body() and not skipped:
            self.marked_elements.append((tag, attrs["lang"]))
        if tag not in VOID:
            self.stack.append((tag, attrs.get("lang"), skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and self._in_body() and not (self.stack and self.stack[-1][2]):
            self.nodes.append((text, self._language()))

    def _in_body(self) -> bool:
        return any(entry[0] == "body" for entry in self.stack)

    def _language(self) -> str:
        return next((entry[1] for entry in reversed(self.stack) if entry[1]), "")


def _parse(html: str) -> TextNodes:
    parser = TextNodes()
    parser.feed(html)
    parser.close()
    return parser


def _render(client, url: str, language: str) -> TextNodes:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == (404 if url == NOT_FOUND else 200), url
    return _parse(response.content.decode())


def _interface_words() -> set[str]:
    """Interface strings that English writes as bokmål does («Status», «Type»)."""
    catalogue = trans_real.translation("en")._catalog
    return {value for key, value in catalogue.items() if isinstance(key, str) and key == value}


def _language_neutral(text: str) -> bool:
    return text in LANGUAGE_NEUTRAL or bool(LANGUAGE_NEUTRAL_PATTERN.fullmatch(text))


def _interface(text: str, shared_words: set[str]) -> bool:
    """Whether shared text is interface text that English writes as bokmål does (with the
    punctuation around it: «Lovdata:»)."""
    return text.strip(" :·–-()") in shared_words


def _violations(norwegian: TextNodes, english: TextNodes, shared_words: set[str]) -> list[str]:
    nodes = {text for text, _language in norwegian.nodes}
    # In bokmål a content_span is no element of its own, so its text may be part of a longer node.
    page_text = " ".join(text for text, _language in norwegian.nodes)

    def untranslated(text: str) -> bool:
        return text in nodes or re.search(rf"(?<!\w){re.escape(text)}(?!\w)", page_text) is not None

    problems = []
    for text, language in english.nodes:
        if untranslated(text):
            # Rule A: shared text with words in it is content, unless the interface says the same.
            if (
                language != "nb"
                and len(text) >= 4
                and any(character.isalpha() for character in text)
                and not _interface(text, shared_words)
                and not _language_neutral(text)
            ):
                problems.append(f"content not marked nb: {text!r} (lang {language})")
        elif language == "nb" and any(character.isalnum() for character in text):
            # Rule B: text that changed with the language (words, dates, numbers written the
            # English way) is interface, and is read as English.
            problems.append(f"English text marked nb: {text!r}")
    return problems


def test_english_interface_marks_norwegian_content_and_only_content(client):
    urls = public_urls()
    assert len(urls) >= 20
    shared_words = _interface_words()
    problems = {}
    for url in urls:
        norwegian = _render(client, url, "nb")
        english = _render(client, url, "en")
        # In bokmål the marks render as nothing: the Norwegian pages are as they were.
        assert norwegian.marked_elements == [], url
        found = _violations(norwegian, english, shared_words)
        if found:
            problems[url] = found
    lines = [f"{url}: {problem}" for url, found in problems.items() for problem in found]
    assert lines == [], f"{len(lines)} violations:\n" + "\n".join(lines)


def test_content_is_marked_only_in_another_interface_language():
    template = Template(
        "{% load site_tags %}<p{% content_lang %}>Tekst</p> {{ place|content_span }}{{ blank|content_span }}"
    )
    context = Context({"place": "Kafé <Kraft>", "blank": ""})
    with translation.override("nb"):
        assert template.render(context) == "<p>Tekst</p> Kafé &lt;Kraft&gt;"
    with translation.override("en"):
        assert template.render(context) == '<p lang="nb">Tekst</p> <span lang="nb">Kafé &lt;Kraft&gt;</span>'
