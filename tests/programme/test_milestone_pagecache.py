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
