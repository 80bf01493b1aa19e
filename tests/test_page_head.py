"""What a page says about itself in <head>: its description and the site's icon."""

import re

import pytest
from django.contrib.staticfiles import finders

from knowledge.models import FindingPage
from programme.models import Milestone, TimelinePage

pytestmark = pytest.mark.django_db


def description(html: str) -> str | None:
    match = re.search(r'<meta name="description" content="([^"]*)">', html)
    return match.group(1) if match else None


def test_a_page_is_described_by_its_own_text_shortened(client):
    finding = FindingPage.objects.live().first()
    text = description(client.get(finding.url).content.decode())
    assert text and " ".join(finding.statement.split()).startswith(text.rstrip("…"))
    assert len(text) <= 160


def test_the_editors_search_description_comes_first(client):
    finding = FindingPage.objects.live().first()
    finding.search_description = "Et eget sammendrag for søkemotorer."
    finding.save_revision().publish()
    assert description(client.get(finding.url).content.decode()) == "Et eget sammendrag for søkemotorer."


def test_a_route_of_a_page_does_not_borrow_the_page_s_description(client):
    timeline = TimelinePage.objects.get()
    assert description(client.get(timeline.url).content.decode())
    milestone = Milestone.objects.filter(live=True).first()
    assert description(client.get(milestone.get_public_url()).content.decode()) is None


def test_every_page_names_the_site_icon_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon[^"]*\.svg" type="image/svg\+xml">', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    assert finders.find("img/favicon.svg")
