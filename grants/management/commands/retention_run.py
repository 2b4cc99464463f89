from django.core.management.base import BaseCommand

from grants import services


class Command(BaseCommand):
    help = "Archive and anonymise every file whose retention period has ended (also run daily by beat)."

    def handle(self, *args, **options):
        for path in services.retention_run():
            self.stdout.write(f"archived and anonymised: {path}")
