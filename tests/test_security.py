"""Hardened deployment: headers, login throttling, upload limits, audit log, backup and restore."""

import io
import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry

pytestmark = pytest.mark.django_db


def test_public_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_admin_is_kept_out_of_search_engines(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("login_url", ["/logg-inn/", "/admin/login/"])
def test_login_is_throttled_after_five_failures(client, django_user_model, login_url):
    django_user_model.objects.create_user(username="ola", password="riktig-passord-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": "ola", "password": "feil"})
        assert response.status_code == 200
    assert client.post(login_url, {"username": "ola", "password": "feil"}).status_code == 429
    locked = client.post(login_url, {"username": "ola", "password": "riktig-passord-123"})
    assert locked.status_code == 429
    assert "For mange innloggingsforsøk" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_validators_reject_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("kort", "password123", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def _upload(admin_client, name: str, content: bytes):
    return admin_client.post(
        "/admin/documents/add/",
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_document_of_a_forbidden_type_is_refused(admin_client):
    response = _upload(admin_client, "program.exe", b"MZ")
    assert response.status_code == 200
    assert not get_document_model().objects.filter(title="program.exe").exists()


@override_settings(DOCUMENT_MAX_UPLOAD_SIZE=1024)
def test_document_over_the_size_limit_is_refused_with_a_clear_error(admin_client):
    response = _upload(admin_client, "stor.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert not get_document_model().objects.filter(title="stor.pdf").exists()


def test_page_changes_are_in_the_audit_log_with_who_and_when(admin_user, programme):
    programme.lead = "Endret av testen"
    revision = programme.save_revision(user=admin_user, log_action=True)
    revision.publish(user=admin_user)
    entries = PageLogEntry.objects.filter(page=programme, user=admin_user)
    assert {"wagtail.edit", "wagtail.publish"} <= set(entries.values_list("action", flat=True))
    assert all(entry.timestamp for entry in entries)


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_the_same_content_and_no_cached_page_from_before(
    tmp_path, settings, client
):
    if connection.vendor != "sqlite":
        pytest.skip("the restore drill runs on SQLite; PostgreSQL uses pg_dump/pg_restore (README)")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "vedlegg.txt").write_text("innhold", encoding="utf-8")
    call_command("load_programme", verbosity=0)
    before = sorted(Page.objects.values_list("title", "live"))

    call_command("backup_site", tmp_path / "backup", stdout=io.StringIO())
    Page.objects.filter(depth__gt=1).delete()
    shutil.rmtree(tmp_path / "media")
    assert Page.objects.filter(depth__gt=1).count() == 0

    call_command("restore_site", tmp_path / "backup", yes=True, stdout=io.StringIO())
    assert sorted(Page.objects.values_list("title", "live")) == before
    assert (tmp_path / "media" / "vedlegg.txt").read_text(encoding="utf-8") == "innhold"

    # No cached page outlives a restore: a page published after the backup and cached is gone.
    from programme.models import ProgrammePage

    programme = ProgrammePage.objects.get()
    programme.lead = "Skrevet etter sikkerhetskopien"
    programme.save_revision().publish()
    client.get("/")
    assert "Skrevet etter sikkerhetskopien" in client.get("/").content.decode()
    call_command("restore_site", tmp_path / "backup", yes=True, stdout=io.StringIO())
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Skrevet etter sikkerhetskopien" not in response.content.decode()


def test_snippet_changes_are_in_the_audit_log_with_who_and_when(client, programme_leader):
    from wagtail.models import ModelLogEntry

    from meetings.models import MeetingPlan

    plan = MeetingPlan.objects.get(year=2021)
    client.force_login(programme_leader)
    response = client.post(
        f"/admin/snippets/meetings/meetingplan/edit/{plan.pk}/",
        {
            "body": plan.body_id,
            "year": plan.year,
            "starts": "11:00",
            "ends": "12:30",
            "place": "Rådhuset",
            "dates": plan.dates,
            "note": plan.note,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ModelLogEntry.objects.get(object_id=str(plan.pk), action="wagtail.edit")
    assert entry.user == programme_leader and entry.timestamp


def test_the_development_server_serves_images_but_never_a_document_file_by_its_upload_name():
    from config.urls import media_urlpatterns

    [pattern] = media_urlpatterns()
    assert pattern.resolve("media/images/bilde.jpg").kwargs["path"] == "images/bilde.jpg"
    assert pattern.resolve("media/documents/personalsak.pdf") is None
