from django.core.management.base import BaseCommand

from config.pagecache import purge_path
from programme.queries import forget_site_structure


class Command(BaseCommand):
    help = (
        "Bygger alle bufrede sider og nettstedets bufrede struktur (menyer, adresser, tilganger) på nytt "
        "fra databasen. Kjør etter en gjenoppretting (pg_restore) eller en endring gjort rett i databasen."
    )

    def handle(self, *args, **options):
        forget_site_structure()
        purge_path("/", tree=True)
        self.stdout.write("Bufrede sider og nettstedets struktur bygges på nytt fra databasen.")
