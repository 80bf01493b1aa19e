from django.core.management.base import BaseCommand

from meetings.services import exempt_documents_release, exemptions_ended_reindex


class Command(BaseCommand):
    help = (
        "Gjør dokumenter offentlige når unntaket deres er over (offentlig fra-datoen er nådd), og "
        "tar innhold som ikke lenger er unntatt, inn i søket. Kjør daglig."
    )

    def handle(self, *args, **options):
        released = exempt_documents_release()
        self.stdout.write(f"{len(released)} dokument(er) gjort offentlige.")
        indexed = exemptions_ended_reindex()
        self.stdout.write(f"{indexed} sak(er) og side(r) med utløpt unntak indeksert på nytt.")
