"""The milestone panel on the admin home: for the programme office and superusers only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from programme.factories import MilestoneFactory
from programme.models import ThemePage
from programme.roles import PROGRAMME_LEADER

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_programme_milestone:list")


def test_committee_members_get_neither_the_milestone_admin_nor_the_panel(client, committee_member):
    from programme.admin_panels import sees_milestone_panel

    MilestoneFactory(title="Forfalt milepæl", due_date=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(committee_member)
    assert client.get(LIST_URL).status_code in (302, 403)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code in (302, 403)
    assert "Forfalt milepæl" not in home.content.decode()
    assert sees_milestone_panel(committee_member) is False


def test_dashboard_panel_shows_overdue_soon_due_and_status_per_theme(client, programme_leader):
    today = timezone.localdate()
    theme = ThemePage.objects.get(number=4)
    MilestoneFactory(title="Forfalt milepæl", theme=theme, due_date=today - dt.timedelta(days=3))
    MilestoneFactory(title="Snart-milepæl", theme=theme, due_date=today + dt.timedelta(days=10), live=False)
    MilestoneFactory(title="Senere milepæl", theme=theme, due_date=today + dt.timedelta(days=45))
    client.force_login(programme_leader)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="milestones' in html or "Milepæler" in html
    overdue_section, rest = html.split("har frist de neste 30 dagene", 1)
    assert "Forfalt milepæl" in overdue_section
    assert "Snart-milepæl" in rest.split("Status per tema")[0]
    assert "utkast" in rest
    assert "Senere milepæl" not in html
    assert "Tema 4: Kommunen som arbeidsgiver" in rest.split("Status per tema")[1]
    assert "Hele programmet" in rest.split("Status per tema")[1]


def test_dashboard_panel_queries_do_not_grow_with_milestones(rf, programme_leader, django_assert_num_queries):
    from programme.admin_panels import MilestonePanel

    today = timezone.localdate()
    theme = ThemePage.objects.get(number=2)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            MilestonePanel().render_html({"request": rf.get("/admin/")})
        return len(captured)

    for n in range(3):
        MilestoneFactory(theme=theme, due_date=today - dt.timedelta(days=n + 1))
    few = count_queries()
    for n in range(30):
        MilestoneFactory(theme=theme, due_date=today + dt.timedelta(days=n % 20))
    assert count_queries() == few <= 5


def test_the_panel_is_only_for_the_programme_office_and_superusers(
    client, editor, admin_user, programme_leader
):
    MilestoneFactory(title="Forfalt milepæl", due_date=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(editor)
    assert "Forfalt milepæl" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(admin_user)
    assert "Forfalt milepæl" in client.get(reverse("wagtailadmin_home")).content.decode()
    assert programme_leader.groups.filter(name=PROGRAMME_LEADER).exists()
    assert Group.objects.get(name=PROGRAMME_LEADER).permissions.filter(codename="publish_milestone").exists()
