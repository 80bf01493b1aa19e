import sqlite3
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Tar sikkerhetskopi av SQLite-databasen (konsistent, også mens nettstedet kjører) og "
        "mediefilene til en mappe. For PostgreSQL: bruk pg_dump (se README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="Mappen sikkerhetskopien skrives til.")

    def handle(self, *args, target: Path, **options):
        if connection.vendor != "sqlite":
            raise CommandError("Databasen er ikke SQLite: ta sikkerhetskopi med pg_dump (se README).")
        target.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        with sqlite3.connect(target / "db.sqlite3") as copy:
            connection.connection.backup(copy)
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.is_dir():
                archive.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"Sikkerhetskopi skrevet til {target}"))
