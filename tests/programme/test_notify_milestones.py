"""manage.py notify_milestones: each owner with an account and an address gets one e-mail."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from programme.factories import MilestoneFactory
from programme.management.commands.notify_milestones import DAYS_NOT_POSITIVE
from programme.models import ThemePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def owners(django_user_model):
    kari = django_user_model.objects.create_user(
        "kari", "kari@kristiansand.kommune.no", first_name="Kari", last_name="Nordmann"
    )
    ola = django_user_model.objects.create_user("ola", "ola@kristiansand.kommune.no")
    no_address = django_user_model.objects.create_user("uten-epost", "")
    today = timezone.localdate()
    theme = ThemePage.objects.get(number=2)
    MilestoneFactory(
        title="Karis forfalte",
        owner_user=kari,
        owner_name="Kari Nordmann",
        theme=theme,
        due_date=today - dt.timedelta(days=4),
    )
    MilestoneFactory(title="Karis snart", owner_user=kari, due_date=today + dt.timedelta(days=6))
    MilestoneFactory(title="Karis senere", owner_user=kari, due_date=today + dt.timedelta(days=60))
    MilestoneFactory(
        title="Karis fullførte",
        owner_user=kari,
        status="fullfort",
        due_date=today - dt.timedelta(days=4),
        completed_on=today - dt.timedelta(days=5),
    )
    MilestoneFactory(title="Karis utkast", owner_user=kari, live=False, due_date=today + dt.timedelta(days=2))
    MilestoneFactory(title="Olas snart", owner_user=ola, due_date=today + dt.timedelta(days=20))
    MilestoneFactory(title="Uten adresse", owner_user=no_address, due_date=today + dt.timedelta(days=3))
    return kari, ola


def test_each_owner_gets_their_overdue_and_soon_due_milestones_in_norwegian(owners):
    out = StringIO()
    call_command("notify_milestones", stdout=out)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"kari@kristiansand.kommune.no", "ola@kristiansand.kommune.no"}
    kari = by_recipient["kari@kristiansand.kommune.no"]
    assert kari.subject == "Flere i arbeid: 1 milepæl har passert fristen, 1 har frist snart"
    assert "Hei Kari Nordmann," in kari.body
    overdue, soon = kari.body.split("Frist de neste 30 dagene:")
    assert "Fristen er passert:" in overdue and "Karis forfalte" in overdue
    assert "Tema 2: Gjennomføring videregående utdanninger" in overdue
    assert "Karis snart" in soon
    for absent in ("Karis senere", "Karis fullførte", "Karis utkast", "Olas snart"):
        assert absent not in kari.body
    assert "/admin/snippets/programme/milestone/edit/" in kari.body
    assert "Sendte 2 e-poster." in out.getvalue()
    # The seed's milestones and the one without an address have nobody to tell.
    assert "ingen ansvarlig med brukerkonto og e-postadresse" in out.getvalue()


def test_days_narrows_what_counts_as_soon(owners):
    call_command("notify_milestones", "--days", "10", stdout=StringIO())
    assert [message.to[0] for message in mail.outbox] == ["kari@kristiansand.kommune.no"]


def test_dry_run_sends_nothing_and_shows_what_would_be_sent(owners):
    out = StringIO()
    call_command("notify_milestones", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "Til: kari@kristiansand.kommune.no" in out.getvalue()
    assert "Prøvekjøring: 2 e-poster ville blitt sendt, ingen er sendt." in out.getvalue()


def test_days_must_be_positive():
    with pytest.raises(CommandError) as error:
        call_command("notify_milestones", "--days", "0")
    assert str(error.value) == DAYS_NOT_POSITIVE.format(days=0)
