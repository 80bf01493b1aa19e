"""Publishing a milestone reaches every cached page that shows it."""

import pytest

from knowledge.models import RecommendationPage
from programme.factories import MilestoneFactory
from programme.models import Milestone, ThemePage

pytestmark = pytest.mark.django_db


def test_publishing_a_milestone_purges_the_pages_that_show_it(client, django_capture_on_commit_callbacks):
    theme = ThemePage.objects.get(number=6)
    recommendation = RecommendationPage.objects.live().first()
    milestone = MilestoneFactory(title="Før publisering", slug="purge-test", theme=theme, live=False)
    milestone.recommendations.set([recommendation])
    milestone.save()
    urls = ["/", "/framdrift/", "/framdrift/statusrapport/", theme.url, recommendation.url]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    milestone = Milestone.objects.get(pk=milestone.pk)
    milestone.title = "Nylig publisert milepæl"
    with django_capture_on_commit_callbacks(execute=True):
        milestone.save_revision().publish()
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    assert "Nylig publisert milepæl" in client.get("/framdrift/").content.decode()
    assert "Nylig publisert milepæl" in client.get(theme.url).content.decode()
    assert "Nylig publisert milepæl" in client.get(recommendation.url).content.decode()
    assert client.get("/framdrift/milepaeler/purge-test/").status_code == 200


def test_deleting_a_milestone_purges_every_page_that_showed_it(client, django_capture_on_commit_callbacks):
    theme = ThemePage.objects.get(number=6)
    recommendation = RecommendationPage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        milestone = MilestoneFactory(title="Milepæl som slettes", slug="slettes", theme=theme, live=True)
        milestone.recommendations.set([recommendation])
        milestone.save()
    urls = ["/framdrift/", theme.url, recommendation.url]
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit" and "Milepæl som slettes" in response.content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        Milestone.objects.get(pk=milestone.pk).delete()
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Milepæl som slettes" not in response.content.decode(), url
