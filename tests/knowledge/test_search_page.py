"""The public search page /sok/ on both backends: what it finds, what it must never show, facets,
pagination, the suggestion, autocomplete, and input that must never give an error page."""

import pytest
from wagtail.models import Page, PageViewRestriction

from communication.models import Activity
from knowledge import search
from knowledge.models import FindingPage, ResearchReportPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def hit_titles(response) -> list[str]:
    return [hit.title for hit in response.context["outcome"].hits]


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get("/sok/")
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert response.context["outcome"] is None


def test_finds_pages_and_snippets_of_every_public_type(client, search_backend):
    response = client.get("/sok/", {"q": "arbeidsmarkedsbedriftene"})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.total > 5
    types = {option[0] for facet in outcome.facets if facet.name == "type" for option in facet.options}
    assert {"knowledge.findingpage", "knowledge.recommendationpage"} <= types
    activity = client.get("/sok/", {"q": "sluttpresentasjon"}).context["outcome"]
    assert "Sluttpresentasjon for deltakerkommunene" in [hit.title for hit in activity.hits]
    assert all(hit.url for hit in activity.hits)


def test_finds_published_milestones_with_their_pages_and_never_drafts(client, search_backend, committed):
    from programme.models import Milestone

    milestone = Milestone.objects.get(slug="fase-1-avsluttet")
    outcome = client.get("/sok/", {"q": "avsluttet"}).context["outcome"]
    hit = next(hit for hit in outcome.hits if hit.title == milestone.title)
    assert hit.url == milestone.get_public_url()
    committed(milestone.unpublish)
    outcome = client.get("/sok/", {"q": "avsluttet"}).context["outcome"]
    assert milestone.title not in [hit.title for hit in outcome.hits]


def test_results_have_highlighted_snippets(client, search_backend):
    response = client.get("/sok/", {"q": "passive eiere"})
    body = response.content.decode()
    assert "Kommunene oppfattes som relativt passive eiere" in hit_titles(response)
    assert "<mark" in body


def test_facets_narrow_the_results(client, search_backend):
    everything = client.get("/sok/", {"q": "VTA"}).context["outcome"]
    findings = client.get("/sok/", {"q": "VTA", "type": "knowledge.findingpage"}).context["outcome"]
    assert 0 < findings.total < everything.total
    assert all(isinstance(hit.obj, FindingPage) for hit in findings.hits)
    tag_facet = next(facet for facet in everything.facets if facet.name == "tag")
    tag, _label, count, _selected = tag_facet.options[0]
    tagged = client.get("/sok/", {"q": "VTA", "tag": tag}).context["outcome"]
    assert tagged.total == count


def test_pagination(client, search_backend):
    first = client.get("/sok/", {"q": "kommunene"}).context["outcome"]
    assert first.total > search.PAGE_SIZE
    second = client.get("/sok/", {"q": "kommunene", "side": 2}).context["outcome"]
    assert {(hit.type_key, hit.pk) for hit in first.hits}.isdisjoint(
        {(hit.type_key, hit.pk) for hit in second.hits}
    )
    assert "side=2" in client.get("/sok/", {"q": "kommunene"}).content.decode()
    for number in ("0", "-1", "abc", ""):
        outcome = client.get("/sok/", {"q": "kommunene", "side": number}).context["outcome"]
        assert outcome.page.number == 1, number
    last = client.get("/sok/", {"q": "kommunene", "side": "99999"}).context["outcome"].page
    assert last.number == last.paginator.num_pages


def test_spelling_suggestion(client, search_backend):
    # Whoosh suggests from the index's vocabulary; the database backend from the visible titles.
    response = client.get("/sok/", {"q": "konsolidring"})
    assert response.context["outcome"].suggestion == "konsolidering"
    assert "Mente du" in response.content.decode()
    assert client.get("/sok/", {"q": "konsolidering"}).context["outcome"].suggestion == ""


def test_never_shows_unpublished_or_restricted_pages_or_unpublished_snippets(
    client, search_backend, committed
):
    report = ResearchReportPage.objects.live().filter(depth=4).first()

    def create():
        draft = FindingPage(title="Hemmelig kladd om flumbo", statement="Flumbo.", live=False)
        report.add_child(instance=draft)
        draft.save_revision()
        restricted = FindingPage(title="Utvalgets flumbo", statement="Flumbo.")
        report.add_child(instance=restricted)
        restricted.save_revision().publish()
        PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
        activity = Activity.objects.filter(live=True).first()
        activity.summary = "Om flumbo."
        activity.live = False
        activity.save()

    committed(create)
    assert Page.objects.search("flumbo").count() >= 2  # they are in the index ...
    response = client.get("/sok/", {"q": "flumbo"})
    assert response.context["outcome"].total == 0  # ... but never shown
    assert client.get("/sok/forslag/", {"q": "utvalgets flu"}).json() == {"results": []}


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        '""',
        "-",
        "AND OR NOT",
        "- - -",
        "*",
        "(((",
        "a" * 5000,
        "VTA " * 1500,
        "nul\x00byte",
        "ctrl\x01\x02\x1b[31m",
        "\u202etext",
        "'; DROP TABLE wagtailcore_page; --",
        ":&|!<>",
        "-VTA",
        "<script>alert(1)</script>",
    ],
)
def test_bad_queries_never_give_an_error_page(client, search_backend, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert client.get("/sok/forslag/", {"q": query}).status_code == 200


def test_only_exclusions_get_a_clear_message(client):
    outcome = client.get("/sok/", {"q": "-VTA"}).context["outcome"]
    assert outcome.message == search.ONLY_EXCLUSIONS_MESSAGE


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("flere i arbeid", "flere arbeid"),
        ("kommunen som arbeidsgiver", "kommunen arbeidsgiver"),
        ("NAV og", "NAV"),
    ],
)
def test_stop_words_and_one_letter_words_are_not_required(client, search_backend, query, same_as):
    def found(text):
        outcome = client.get("/sok/", {"q": text, "side": 1}).context["outcome"]
        return outcome.total, [hit.title for hit in outcome.hits]

    total, hits = found(query)
    assert total > 0
    assert (total, hits) == found(same_as)


def test_only_stop_words_get_a_clear_message(client, search_backend):
    outcome = client.get("/sok/", {"q": "i og"}).context["outcome"]
    assert outcome.message == search.ONLY_STOP_WORDS_MESSAGE
    assert outcome.total == 0


def test_autocomplete_endpoint(client, search_backend):
    data = client.get("/sok/forslag/", {"q": "arbeidsmarkedsbedriftenes res"}).json()
    assert data["results"][0]["title"] == "Arbeidsmarkedsbedriftenes resultater, behov og muligheter"
    assert data["results"][0]["url"].startswith("/")
    assert data["results"][0]["lang"] == "nb"  # the script marks the title's language with it


def test_the_page_loads_its_script_from_this_site_only(client):
    body = client.get("/sok/", {"q": "VTA"}).content.decode()
    assert '<script src="/static/js/search-autocomplete.js" defer></script>' in body
    assert "<script>" not in body


def test_searchable_types_are_found_from_the_models():
    labels = {model._meta.label_lower for model in search.searchable_page_models()}
    assert {"knowledge.findingpage", "programme.themepage", "meetings.meetingpage"} <= labels
    assert "wagtailcore.page" not in labels


def test_a_hit_s_year_is_its_content_s_never_the_day_it_was_loaded(client, search_backend):
    # The seed gives the research no year: its findings and the laws have none, rather than the
    # day the content was loaded.
    outcome = client.get("/sok/", {"q": "arbeidsmarkedsbedriftene"}).context["outcome"]
    legal = client.get("/sok/", {"q": "arbeidsmarkedstiltak"}).context["outcome"]
    kinds = {"knowledge.findingpage", "knowledge.recommendationpage", "knowledge.legalsourcepage"}
    hits = [hit for hit in [*outcome.hits, *legal.hits] if hit.type_key in kinds]
    assert hits and all(hit.year is None for hit in hits)
    # With a year on the report, its findings take it.
    finding = next(hit for hit in outcome.hits if hit.type_key == "knowledge.findingpage")
    report = ResearchReportPage.objects.get(path=finding.obj.path[: -Page.steplen])
    ResearchReportPage.objects.filter(pk=report.pk).update(year=2020)
    again = client.get("/sok/", {"q": "arbeidsmarkedsbedriftene"}).context["outcome"]
    below = [
        hit for hit in again.hits if hit.type_key in kinds and hit.obj.path[: -Page.steplen] == report.path
    ]
    assert below and {hit.year for hit in below} == {2020}


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("livsmestring", "Integreringsloven"),  # a legal section's note
        ("Breland", "Arbeidsutvalg Flere i arbeid 03.02.2021"),  # a case officer
        ("2020103683", "Arbeidsutvalg Flere i arbeid 03.02.2021"),  # an archive number
        ("programstyre", "Flere i arbeid"),  # the programme organisation on the front page
    ],
)
def test_text_shown_on_a_page_finds_the_page(client, search_backend, query, title):
    assert title in hit_titles(client.get("/sok/", {"q": query}))


@pytest.mark.parametrize("query", ["§ 8-8", "8-8", "§8-8", "anskaffelsesforskriften § 8-8", '"§ 8-8"'])
def test_a_section_reference_finds_the_section(client, search_backend, query):
    # «8-8» is two one-letter words to a tokenizer; read as one, it finds the section it names.
    outcome = client.get("/sok/", {"q": query}).context["outcome"]
    assert outcome.message == ""
    assert "Anskaffelsesforskriften" in [hit.title for hit in outcome.hits]


def test_a_section_reference_asks_for_that_section_only(client, search_backend):
    # The only «3-2» in the content is the Helse- og omsorgstjenesteloven's; «§ 3-2» is not every
    # page with a 3 or a 2, and «§ 2-3» (no such section) finds nothing.
    assert hit_titles(client.get("/sok/", {"q": "§ 3-2"})) == ["Helse- og omsorgstjenesteloven"]
    assert client.get("/sok/", {"q": "§ 2-3"}).context["outcome"].total == 0


def test_an_archive_reference_is_found_whole_and_by_its_parts(client, search_backend):
    for query in ("2020103683-13", "2020103683"):
        assert "Arbeidsutvalg Flere i arbeid 03.02.2021" in hit_titles(client.get("/sok/", {"q": query}))


def test_a_milestone_is_found_by_its_theme_s_title_as_published(client, search_backend, committed):
    # A milestone's search entry holds its theme's title while the theme is live: renaming the
    # theme, publishing it and unpublishing it all reach the milestone's entry.
    from programme.factories import MilestoneFactory
    from programme.models import ThemePage

    theme = ThemePage.objects.live().order_by("number").first()
    milestone = committed(lambda: MilestoneFactory(title="Milepæl uten tematittel", theme=theme, live=True))

    def milestone_found(query):
        outcome = client.get("/sok/", {"q": query}).context["outcome"]
        return milestone.title in [hit.title for hit in outcome.hits]

    theme.title = "Zorblandtemaet"
    committed(lambda: theme.save_revision().publish())
    assert milestone_found("Zorblandtemaet")
    committed(theme.unpublish)
    assert not milestone_found("Zorblandtemaet")


def test_the_budget_s_funding_and_the_treatment_plans_find_the_pages_that_show_them(
    client, search_backend, committed
):
    from meetings.models import TreatmentPlan
    from programme.models import FundingSource

    assert "Budsjett og finansiering" in hit_titles(client.get("/sok/", {"q": "skjønnsmidler"}))
    assert "Møter og vedtak" in hit_titles(client.get("/sok/", {"q": "Råd for funksjonshemmede"}))
    # An edit in the admin reaches the page's search entry.
    source = FundingSource.objects.first()
    source.name = "Zorblandfondet"
    committed(source.save)
    assert hit_titles(client.get("/sok/", {"q": "Zorblandfondet"})) == ["Budsjett og finansiering"]
    plan = TreatmentPlan.objects.first()
    plan.note = "Behandles også i Zorblandrådet."
    committed(plan.save)
    assert hit_titles(client.get("/sok/", {"q": "Zorblandrådet"})) == ["Møter og vedtak"]
    committed(plan.delete)
    assert hit_titles(client.get("/sok/", {"q": "Zorblandrådet"})) == []
