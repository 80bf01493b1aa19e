"""The meeting page's breadcrumb and calendar links come from its section, also when the section
is kept out of the navigation."""

import pytest

from meetings.models import MeetingIndexPage, MeetingPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("in_menu", [True, False])
def test_the_meeting_page_links_to_its_section(client, in_menu):
    index = MeetingIndexPage.objects.get()
    MeetingIndexPage.objects.filter(pk=index.pk).update(show_in_menus=in_menu)
    meeting = MeetingPage.objects.live().child_of(index).first()
    html = client.get(meeting.url).content.decode()
    assert f'<a href="{index.url}">{index.title}</a></nav>' in html
    assert f'href="{index.url}kalender/{meeting.body_id}/"' in html
