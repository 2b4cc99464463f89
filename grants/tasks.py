from celery import shared_task

from . import services


@shared_task
def retention_run():
    """Archive and anonymise the files whose retention period has ended (beat, daily)."""
    return [str(path) for path in services.retention_run()]
