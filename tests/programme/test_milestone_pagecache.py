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


def test_a_milestone_moved_to_another_theme_and_recommendation_leaves_the_old_pages(
    client, django_capture_on_commit_callbacks
):
    old_theme, new_theme = ThemePage.objects.get(number=5), ThemePage.objects.get(number=6)
    old_recommendation, new_recommendation = RecommendationPage.objects.live()[:2]
    milestone = MilestoneFactory(title="Milepæl som flyttes", slug="flyttes", theme=old_theme, live=False)
    milestone.recommendations = [old_recommendation]
    with django_capture_on_commit_callbacks(execute=True):
        milestone.save_revision().publish()
    old_urls = [old_theme.url, old_recommendation.url]
    for url in old_urls:
        client.get(url)
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit" and "Milepæl som flyttes" in response.content.decode()
    milestone = Milestone.objects.get(pk=milestone.pk)
    milestone.theme = new_theme
    milestone.recommendations = [new_recommendation]
    with django_capture_on_commit_callbacks(execute=True):
        milestone.save_revision().publish()
    for url in old_urls:
        assert "Milepæl som flyttes" not in client.get(url).content.decode(), url
    for url in (new_theme.url, new_recommendation.url):
        assert "Milepæl som flyttes" in client.get(url).content.decode(), url


def test_a_milestone_reaches_the_meeting_and_protocol_of_the_decision_it_acts_on(
    client, django_capture_on_commit_callbacks
):
    from meetings.models import CaseItem, MeetingPage

    meeting = MeetingPage.objects.get(url_path__endswith="/au-flere-i-arbeid-2020-12-09/")
    meeting.case_items = [CaseItem(title="Møteplan", decision="Vedtatt", sort_order=0)]
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save_revision().publish()
    urls = [meeting.url, meeting.url + "protokoll/"]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    milestone = MilestoneFactory(title="Følger opp møteplanen", slug="folger-opp", live=False)
    milestone.decisions = [CaseItem.objects.get(meeting=meeting)]
    with django_capture_on_commit_callbacks(execute=True):
        milestone.save_revision().publish()
    for url in urls:
        assert "Følger opp møteplanen" in client.get(url).content.decode(), url
