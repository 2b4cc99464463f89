"""notify() is the single way to tell people things: it writes outbox rows in the
caller's transaction and queues their delivery once that transaction commits.
Delivery claims a row with a conditional update, so running it twice sends once."""

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

STALE_AFTER = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 8


class DeliveryDeferred(Exception):
    """A transient failure: the row stays pending and the task tries again later."""


def notify(event: str, *, emails: list[str], dedupe_key: str, application=None, document=None, context=None):
    """Queue `event` for each address once; a repeated call with the same key adds nothing."""
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
            _queue(notification.pk)
    return created


def _queue(notification_id: int) -> None:
    from .tasks import deliver_notification

    deliver_notification.delay_on_commit(notification_id)


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
    if notification.context.get("ics"):  # a meeting invitation carries its calendar entry
        message.attach("sitzung.ics", notification.context["ics"], "text/calendar")
    return message


def is_permanent(error: Exception) -> bool:
    """Whether the mail server refused for good (a 5xx answer): trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def notification_deliver(*, notification_id) -> bool:
    """Send one outbox row if nobody else has claimed it; True when this call sent it.

    A permanent refusal fails the row at once; a transient one leaves it pending and
    raises DeliveryDeferred, until MAX_ATTEMPTS have failed and the row is FAILED."""
    if not _claim(notification_id):
        return False
    notification = Notification.objects.select_related("application", "document").get(pk=notification_id)
    try:
        render_email(notification).send()
    except Exception as error:
        failed = is_permanent(error) or notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            status=Notification.FAILED if failed else Notification.PENDING, last_error=str(error)[:2000]
        )
        if failed:
            return False
        raise DeliveryDeferred(str(error)) from error
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def notifications_requeue_stale() -> list[int]:
    """Release rows whose worker died mid-send and return the ids still pending."""
    stale = timezone.now() - STALE_AFTER
    Notification.objects.filter(status=Notification.SENDING, claimed_at__lt=stale).update(status=Notification.PENDING)
    pending = Notification.objects.filter(status=Notification.PENDING, attempts__lt=MAX_ATTEMPTS, created__lt=stale)
    return list(pending.values_list("pk", flat=True))


@transaction.atomic
def notification_retry(*, notification: Notification) -> bool:
    """Send a failed row again from the start (after the address or the server was fixed)."""
    updated = Notification.objects.filter(pk=notification.pk, status=Notification.FAILED).update(
        status=Notification.PENDING, attempts=0, claimed_at=None
    )
    if updated:
        _queue(notification.pk)
    return bool(updated)
