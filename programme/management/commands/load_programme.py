from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from programme.content import LoadContext, content_loaders


class Command(BaseCommand):
    help = (
        "Laster programmets innhold fra datafilene i repoet (<app>/data/*.yaml). "
        "Kan kjøres flere ganger; bare det som er endret, skrives."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="Les datafilene fra denne mappen (én undermappe per app) i stedet for appenes data/.",
        )

    def handle(self, *args, data_dir=None, verbosity=1, **options):
        def report(message: str) -> None:
            if verbosity:
                self.stdout.write(message)

        ctx = LoadContext(data_dir=data_dir, report=report)
        # One transaction: a broken data file leaves the database as it was.
        with transaction.atomic():
            for label, loader in content_loaders():
                report(f"Laster {label} …")
                loader(ctx)
        report(
            self.style.SUCCESS(
                f"Ferdig: {ctx.created} opprettet, {ctx.updated} oppdatert, {ctx.unchanged} uendret."
            )
        )
