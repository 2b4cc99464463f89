from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups
from operations.database_dumps import DatabaseToolFailed
from operations.version import code_version


class Command(BaseCommand):
    help = "Check an archive of `backup` against its manifest and restore it into an empty database and media folder."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            manifest = backups.backup_restore(archive=archive)
        except (backups.BackupRefused, DatabaseToolFailed) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {len(manifest['files'])} files of the backup made {manifest['created']}")
        if manifest["code_version"] != code_version():
            self.stdout.write(
                f"the backup was made by {manifest['code_version']}, this is {code_version()}: run manage.py migrate"
            )
