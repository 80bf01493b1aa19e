from django.core.management.base import BaseCommand, CommandError

from config import generation
from programme.queries import purge_all_caches


class Command(BaseCommand):
    help = (
        "Bygger alle bufrede sider og nettstedets bufrede struktur (menyer, adresser, tilganger) på nytt "
        "fra databasen. Kjør etter en gjenoppretting (pg_restore) eller en endring gjort rett i databasen."
    )

    def handle(self, *args, **options):
        purge_all_caches()
        if generation.writes_lost():
            raise CommandError("Bufferen (Redis) kunne ikke nås. Kjør kommandoen igjen når den er oppe.")
        self.stdout.write("Bufrede sider og nettstedets struktur bygges på nytt fra databasen.")
