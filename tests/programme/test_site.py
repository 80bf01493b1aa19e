import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

from programme.roles import COMMITTEE_MEMBER, EDITOR, PROGRAMME_LEADER

pytestmark = pytest.mark.django_db


def test_base_template_has_landmarks_skip_link_and_language(client):
    html = client.get("/").content.decode()
    assert '<html lang="nb">' in html
    assert 'href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'rel="stylesheet" href="/static/css/print.css" media="print"' in html


def test_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html


def test_an_english_browser_still_gets_norwegian_until_the_reader_switches(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb">' in html
    assert "Hopp til hovedinnholdet" in html


def test_unknown_page_is_a_norwegian_404(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_role_groups_exist_with_their_permissions():
    leader = Group.objects.get(name=PROGRAMME_LEADER)
    editor = Group.objects.get(name=EDITOR)
    assert Group.objects.filter(name=COMMITTEE_MEMBER).exists()
    assert leader.permissions.filter(codename="access_admin").exists()
    assert editor.permissions.filter(codename="access_admin").exists()
    assert leader.page_permissions.filter(permission__codename="publish_page").exists()


def test_programme_leader_can_edit_the_programme_page(client, programme_leader, programme):
    client.force_login(programme_leader)
    assert client.get(f"/admin/pages/{programme.pk}/edit/").status_code == 200


def test_committee_member_cannot_enter_the_admin(client, committee_member):
    client.force_login(committee_member)
    response = client.get("/admin/")
    assert response.status_code == 302


def test_front_end_login_shows_norwegian_errors(client):
    response = client.post("/logg-inn/", {"username": "ingen", "password": "feil"})
    assert response.status_code == 200
    assert "korrekt brukernavn og passord" in response.content.decode()


def test_ensure_admin_creates_one_administrator_with_a_random_password(django_user_model, capsys):
    call_command("ensure_admin")
    first = capsys.readouterr().out
    call_command("ensure_admin")
    second = capsys.readouterr().out
    assert django_user_model.objects.filter(is_superuser=True).count() == 1
    assert "passord:" in first
    assert "passord:" not in second


@override_settings(LANGUAGE_CODE="nb")
def test_dates_and_numbers_are_formatted_the_norwegian_way():
    import datetime
    from decimal import Decimal

    from django.template import Context, Template

    rendered = Template('{{ day|date:"j. F Y" }} {{ rate|floatformat:"-1g" }}').render(
        Context({"day": datetime.date(2021, 2, 3), "rate": Decimal("64.6")})
    )
    assert rendered == "3. februar 2021 64,6"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "flereiarbeid.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_navigation_follows_published_sections(client, programme, django_capture_on_commit_callbacks):
    from wagtail.models import Page

    section = programme.add_child(
        instance=Page(title="Ny seksjon", slug="ny-seksjon", show_in_menus=True, live=False)
    )
    assert "Ny seksjon" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    assert '<a href="/ny-seksjon/">Ny seksjon</a>' in client.get("/").content.decode()
    section.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        section.unpublish()
    assert "Ny seksjon" not in client.get("/").content.decode()


def test_view_restrictions_still_apply_to_a_page_and_its_descendants(client, committee_member):
    from wagtail.models import Page, PageViewRestriction

    from programme.roles import COMMITTEE_MEMBER

    themes = Page.objects.get(slug="temaer")
    restriction = PageViewRestriction.objects.create(page=themes, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name=COMMITTEE_MEMBER))
    for url in ("/temaer/", "/temaer/fra-stonad-til-arbeid/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/logg-inn/")
    client.force_login(committee_member)
    assert client.get("/temaer/fra-stonad-til-arbeid/").status_code == 200
    client.logout()
    restriction.delete()
    assert client.get("/temaer/fra-stonad-til-arbeid/").status_code == 200


def test_the_programme_cannot_end_before_it_starts(programme):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from programme.models.pages import PERIOD_END_BEFORE_START

    programme.period_end = dt.date(2020, 1, 1)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert error.value.message_dict["period_end"] == [str(PERIOD_END_BEFORE_START)]


def test_the_admin_shows_no_gravatar(admin_client):
    assert "gravatar.com" not in admin_client.get("/admin/").content.decode()


def test_wagtails_starter_workflow_and_groups_are_retired():
    from django.contrib.auth.models import Group
    from wagtail.models import Page, Workflow

    assert not Workflow.objects.filter(active=True).exists()
    assert Page.objects.get(depth=1).get_workflow() is None
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


def test_page_titles_name_the_site_once(client):
    assert "<title>Flere i arbeid</title>" in client.get("/").content.decode()
    assert (
        "<title>Budsjett og finansiering – Flere i arbeid</title>"
        in client.get("/budsjett/").content.decode()
    )
