from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from grants.archive import personal_data_archive


class Command(BaseCommand):
    help = "Write everything stored about a person (Art. 15 DSGVO) to a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("path", type=Path)

    def handle(self, *args, email, path, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the address {email}.")
        path.write_bytes(personal_data_archive(user))
        self.stdout.write(f"written: {path}")
