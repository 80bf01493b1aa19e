import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Oppretter en administrator med et tilfeldig passord hvis ingen finnes, og skriver passordet én gang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(f"Logg inn på {url} med administratorkontoen som allerede finnes.")
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator opprettet. Logg inn på {url}\n"
                f"  brukernavn: {username}\n"
                f"  passord:    {password}\n"
                "Passordet vises bare denne ene gangen; bytt det etter første innlogging."
            )
        )
