from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from programme import queries

DAYS_NOT_POSITIVE = "--days må være et positivt heltall, fikk {days}."


def _emails(n: int) -> str:
    return f"{n} e-post" if n == 1 else f"{n} e-poster"


def _milestones(n: int) -> str:
    return f"{n} milepæl" if n == 1 else f"{n} milepæler"


class Command(BaseCommand):
    help = (
        "Sender hver ansvarlig (med brukerkonto og e-postadresse) en e-post om milepælene deres som "
        "har passert fristen eller har frist snart. Bare publiserte milepæler som ikke er fullført "
        "eller avbrutt, tas med."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=queries.SOON_DAYS,
            help=f"Ta med milepæler med frist de neste N dagene (standard {queries.SOON_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hva som ville blitt sendt, uten å sende."
        )

    def handle(self, *args, days, dry_run, verbosity=1, **options):
        if days < 1:
            raise CommandError(DAYS_NOT_POSITIVE.format(days=days))
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            found = queries.reminders(today=today, days=days)
            messages = [
                self._message(user, overdue, soon, today=today, days=days)
                for user, (overdue, soon) in sorted(
                    found["per_owner"].items(), key=lambda item: item[0].email
                )
            ]
            if dry_run:
                for message in messages:
                    self.stdout.write(
                        f"Til: {', '.join(message.to)}\nEmne: {message.subject}\n\n{message.body}\n"
                    )
                self.stdout.write(
                    f"Prøvekjøring: {_emails(len(messages))} ville blitt sendt, ingen er sendt."
                )
            else:
                sent = get_connection().send_messages(messages) if messages else 0
                if verbosity:
                    self.stdout.write(self.style.SUCCESS(f"Sendte {_emails(sent or 0)}."))
            if found["unreachable"] and verbosity:
                self.stdout.write(
                    self.style.WARNING(
                        f"{_milestones(found['unreachable'])} med passert eller nær frist har ingen "
                        "ansvarlig med brukerkonto og e-postadresse, og ble ikke varslet."
                    )
                )

    @staticmethod
    def _message(user, overdue, soon, *, today, days) -> EmailMessage:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        context = {
            "user": user,
            "name": user.get_full_name() or user.get_username(),
            "overdue": [
                (m, base + reverse("wagtailsnippets_programme_milestone:edit", args=[m.pk])) for m in overdue
            ],
            "soon": [
                (m, base + reverse("wagtailsnippets_programme_milestone:edit", args=[m.pk])) for m in soon
            ],
            "today": today,
            "days": days,
        }
        subject = render_to_string("programme/email/milestone_reminder_subject.txt", context).strip()
        body = render_to_string("programme/email/milestone_reminder.txt", context)
        return EmailMessage(subject=subject, body=body, to=[user.email])
