"""notify() is the single way to tell people things: it writes outbox rows in the
caller's transaction and queues their delivery once that transaction commits."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

STALE_AFTER = dt.timedelta(minutes=15)


def notify(event: str, *, emails: list[str], dedupe_key: str, application=None, document=None, context=None):
    """Queue `event` for each address once; a repeated call with the same key adds nothing."""
    from .tasks import deliver_notification

    created = []
    for email in dict.fromkeys(emails):
        notification, is_new = Notification.objects.get_or_create(
            dedupe_key=f"{dedupe_key}:{email}",
            defaults={
                "email": email,
                "template": event,
                "application": application,
                "document": document,
                "context": context or {},
            },
        )
        if is_new:
            created.append(notification)
            deliver_notification.delay_on_commit(notification.pk)
    return created


def _claim(notification_id) -> bool:
    return (
        Notification.objects.filter(pk=notification_id, status=Notification.PENDING).update(
            status=Notification.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        == 1
    )


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """Build the German e-mail (text and HTML, letter attached) for an outbox row."""
    context = {
        **notification.context,
        "application": notification.application,
        "document": notification.document,
        "site_url": settings.SITE_URL,
    }
    base = f"email/{notification.template}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.email])
    message.attach_alternative(html, "text/html")
    if notification.document:
        with notification.document.file.open("rb") as pdf:
            message.attach(notification.document.filename, pdf.read(), "application/pdf")
    return message


def notification_deliver(*, notification_id) -> bool:
    """Send one outbox row if nobody else has claimed it; True when this call sent it."""
    if not _claim(notification_id):
        return False
    notification = Notification.objects.select_related("application", "document").get(pk=notification_id)
    try:
        render_email(notification).send()
    except Exception as error:
        Notification.objects.filter(pk=notification_id).update(status=Notification.PENDING, last_error=str(error))
        raise
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def notifications_requeue_stale() -> list[int]:
    """Release rows whose worker died mid-send and return the ids still pending."""
    Notification.objects.filter(status=Notification.SENDING, claimed_at__lt=timezone.now() - STALE_AFTER).update(
        status=Notification.PENDING
    )
    pending = Notification.objects.filter(
        status=Notification.PENDING, attempts__lt=10, created__lt=timezone.now() - STALE_AFTER
    )
    return list(pending.values_list("pk", flat=True))
