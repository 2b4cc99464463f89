from celery import shared_task

from . import services


@shared_task(
    acks_late=True, autoretry_for=(services.DeliveryDeferred,), retry_backoff=True,
    max_retries=services.MAX_ATTEMPTS - 1,
)  # fmt: skip
def deliver_notification(notification_id):
    """Send one outbox row; safe to run twice."""
    return services.notification_deliver(notification_id=notification_id)


@shared_task
def requeue_pending_notifications():
    """Queue delivery again for rows left pending by a lost message or a dead worker."""
    for notification_id in services.notifications_requeue_stale():
        deliver_notification.delay(notification_id)
