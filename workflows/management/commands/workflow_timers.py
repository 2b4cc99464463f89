from django.core.management.base import BaseCommand

from workflows.tasks import fire_workflow_timers


class Command(BaseCommand):
    help = "Fire due workflow timers once (for cron, where Celery beat is not used)."

    def handle(self, *args, **options):
        self.stdout.write(str(fire_workflow_timers()))
