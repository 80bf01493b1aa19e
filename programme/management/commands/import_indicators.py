from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programme.imports import IndicatorImportError, import_indicator_file
from programme.models import Indicator


class Command(BaseCommand):
    help = (
        "Leser inn observasjoner for indikatorene fra en CSV- eller XLSX-fil: langt format "
        "(indikator; område; periode; verdi) eller en fil fra Statistikkbanken til SSB. Alt eller ingenting "
        "lagres; samme fil to ganger endrer ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV- eller XLSX-filen som skal leses inn.")
        parser.add_argument(
            "--indikator",
            dest="indicator",
            help=(
                "Kortnavnet (slug) til indikatoren en SSB-fil gjelder, når statistikkvariabelen "
                "ikke er koblet til indikatoren."
            ),
        )

    def handle(self, *args, file: Path, indicator=None, verbosity=1, **options):
        chosen = None
        if indicator:
            chosen = Indicator.objects.filter(slug=indicator).first()
            if chosen is None:
                raise CommandError(f"Ukjent indikator «{indicator}».")
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Kan ikke lese {file}: {error.strerror}.") from None
        try:
            result = import_indicator_file(content=content, filename=file.name, indicator=chosen)
        except IndicatorImportError as error:
            raise CommandError(f"{file.name}: ingenting er lagret.\n" + "\n".join(error.messages)) from None
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{file.name}: {result.summary()}"))
