from celery import shared_task
from django.conf import settings

from . import services
from .queueing import publish


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None,
    soft_time_limit=settings.NOTIFICATION_TASK_SOFT_TIME_LIMIT, time_limit=settings.NOTIFICATION_TASK_TIME_LIMIT,
)  # fmt: skip
def deliver_notification(self, notification_id):
    """Send one outbox row; safe to run twice. The row counts the attempts, not Celery."""
    try:
        return services.notification_deliver(notification_id=notification_id, claimant=self.request.id or "")
    except services.DeliveryDeferred as deferred:
        raise self.retry(countdown=deferred.countdown, exc=deferred) from deferred


@shared_task
def requeue_pending_notifications():
    """Queue delivery again for rows left pending by a lost message or a dead worker."""
    ids = services.notifications_requeue_stale()
    for notification_id in ids:
        publish(deliver_notification, notification_id)
    return len(ids)


@shared_task
def send_digests():
    """The daily digests of routine notices held before today (beat, hourly; once a day per address)."""
    from django.utils import timezone

    return services.digests_send(today=timezone.localdate())
