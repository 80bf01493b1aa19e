"""A published milestone's or activity's old address leads to its new one after a slug change."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from communication.models import Activity
from programme.factories import MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rename(django_capture_on_commit_callbacks):
    """Publishes a new slug as the admin does, its transaction committed (the page cache's
    purges run then)."""

    def publish(row, slug):
        row.slug = slug
        with django_capture_on_commit_callbacks(execute=True):
            row.save_revision().publish()

    return publish


def test_a_milestone_s_old_addresses_lead_to_its_new_one(client, rename):
    milestone = MilestoneFactory(title="Milepæl som flytter", slug="forste-navn")
    first = milestone.get_public_url()
    assert client.get(first).status_code == 200
    rename(milestone, "andre-navn")
    second = milestone.get_public_url()
    assert second != first and client.get(second).status_code == 200
    response = client.get(first)
    assert (response.status_code, response["Location"]) == (301, second)
    # Renamed again: both old addresses lead straight to the newest one.
    rename(milestone, "tredje-navn")
    third = milestone.get_public_url()
    assert client.get(first)["Location"] == third and client.get(second)["Location"] == third
    # Back to the first name: its address is the milestone again, and no redirect loops.
    rename(milestone, "forste-navn")
    assert client.get(first).status_code == 200
    assert client.get(third)["Location"] == first
    assert not Redirect.objects.filter(old_path=Redirect.normalise_path(first)).exists()


def test_a_draft_milestone_s_slug_change_adds_no_redirect(client):
    milestone = MilestoneFactory(slug="utkast", live=False)
    milestone.slug = "utkast-2"
    milestone.save()
    assert not Redirect.objects.exists()


def test_an_activity_s_old_address_leads_to_its_new_one(client, rename):
    activity = Activity.objects.filter(live=True).first()
    old = activity.get_public_url()
    rename(activity, activity.slug + "-ny")
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, activity.get_public_url())
    assert client.get(response["Location"]).status_code == 200
