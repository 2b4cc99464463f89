from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.celery import app
from operations.models import Heartbeat
from operations.services import heartbeat_record


class Command(BaseCommand):
    help = (
        "Run every job of the beat schedule once, in this process: for cron, where Celery beat is not "
        "used. Each job does only what is due, so running it every minute is safe."
    )

    def handle(self, *args, **options):
        app.loader.import_default_modules()  # registers the apps' tasks, as a worker does at start
        failed = []
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            try:
                result = app.tasks[entry["task"]]()
            except Exception as error:  # one failing job must not keep the others from running
                failed.append(name)
                self.stderr.write(f"{name}: {error!r}")
            else:
                self.stdout.write(f"{name}: {result}")
        heartbeat_record(kind=Heartbeat.BEAT, name="cron")  # the readiness check sees the schedule kept
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
