"""A decision shows the milestones that act on it, both on its meeting and in the register;
a milestone shows the decision behind it. Drafts are never shown."""

import pytest

from meetings.models import CaseItem
from programme.models import Milestone

pytestmark = pytest.mark.django_db


def test_a_decision_links_to_the_published_milestones_that_act_on_it(client):
    item = CaseItem.objects.exclude(decision="").get(case_number="1/21")
    milestone = Milestone.objects.get(slug="fase-1-avsluttet")
    milestone.decisions.add(item)
    milestone.save()
    draft = Milestone.objects.get(slug="fase-2-avsluttet")
    draft.decisions.add(item)
    draft.save()
    draft.unpublish()
    link = f'href="{milestone.get_public_url()}"'
    meeting_html = client.get(item.meeting.url).content.decode()
    assert "Milepæler som følger opp vedtaket" in meeting_html and link in meeting_html
    assert f'href="{draft.get_public_url()}"' not in meeting_html
    register = client.get(f"{item.meeting.get_parent().url}vedtak/").content.decode()
    assert link in register
    assert f"#case-{item.pk}" in client.get(milestone.get_public_url()).content.decode()
