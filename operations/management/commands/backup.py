from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations import backups
from operations.database_dumps import DatabaseToolFailed


class Command(BaseCommand):
    help = "Write one archive of the database, the media store and a manifest of SHA-256 sums."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=None, help="default: BACKUP_DIR")
        parser.add_argument("--prune", action="store_true", help="then delete archives past BACKUP_KEEP_*")

    def handle(self, *args, output_dir, prune, **options):
        directory = output_dir or settings.BACKUP_DIR
        try:
            archive = backups.backup_create(directory=directory)
        except DatabaseToolFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
        if prune:
            for deleted in backups.backups_prune(directory=directory, today=timezone.localdate()):
                self.stdout.write(f"deleted {deleted}")
