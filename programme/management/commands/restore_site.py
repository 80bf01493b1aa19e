import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Gjenoppretter SQLite-databasen og mediefilene fra en sikkerhetskopi laget med backup_site."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Mappen med db.sqlite3 og media.tar.gz.")
        parser.add_argument("--yes", action="store_true", help="Ikke spør før dagens data overskrives.")

    def handle(self, *args, source: Path, yes: bool, **options):
        if connection.vendor != "sqlite":
            raise CommandError("Databasen er ikke SQLite: gjenopprett med pg_restore (se README).")
        database = source / "db.sqlite3"
        if not database.is_file():
            raise CommandError(f"Fant ingen sikkerhetskopi i {source} (mangler db.sqlite3).")
        if (
            not yes
            and input("Dagens database og mediefiler overskrives. Skriv «ja» for å fortsette: ") != "ja"
        ):
            raise CommandError("Avbrutt; ingenting er endret.")
        connection.ensure_connection()
        with sqlite3.connect(database) as backup:
            backup.backup(connection.connection)
        archive_path = source / "media.tar.gz"
        if archive_path.is_file():
            media = Path(settings.MEDIA_ROOT)
            with tempfile.TemporaryDirectory() as unpacked, tarfile.open(archive_path) as archive:
                archive.extractall(unpacked, filter="data")
                if media.exists():
                    shutil.rmtree(media)
                restored = Path(unpacked) / "media"
                if restored.is_dir():
                    shutil.copytree(restored, media)
                else:
                    media.mkdir(parents=True)
        # The caches hold pages and the site's structure made from the database before the restore.
        call_command("purge_caches", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Gjenopprettet fra {source}. Bygg søkeindeksen på nytt: manage.py update_index"
            )
        )
