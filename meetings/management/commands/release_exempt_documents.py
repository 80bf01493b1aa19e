from django.core.management.base import BaseCommand

from meetings.services import exempt_documents_release


class Command(BaseCommand):
    help = (
        "Gjør dokumenter offentlige når unntaket deres er over (offentlig fra-datoen er nådd). Kjør daglig."
    )

    def handle(self, *args, **options):
        released = exempt_documents_release()
        self.stdout.write(f"{len(released)} dokument(er) gjort offentlige.")
