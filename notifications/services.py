"""notify() is the single way to tell people things: it writes outbox rows in the
caller's transaction and queues their delivery once that transaction commits.
Delivery claims a row with a conditional update, so running it twice sends once.

A transient failure (4xx, no connection, a timeout) leaves the row pending and tries again with a
growing delay; a permanent refusal (5xx), or a row still failing after MAX_ATTEMPTS, is FAILED at
once, listed for the office and the office is told by e-mail. The periodic sweep queues again what
a lost message, a broker outage or a killed worker left waiting."""

import datetime as dt
import hashlib
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification
from .queueing import publish_on_commit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Notices that may wait for a daily digest if their recipient prefers it. Legal letters (decisions,
# corrections, reminders with a letter), invitations and the office's failure notices never wait.
ROUTINE = {
    "application_received", "revision_reminder", "report_upcoming", "report_due_today", "decision_final",
    "circular_started", "bank_change_requested", "bank_change_decided", "decision_deferred",
}  # fmt: skip
DIGEST = "digest"
ATTACHMENTS = "attachments"  # context key: ids of the documents sent with the row besides its letter
DELIVERY_FAILED = "delivery_failed"  # the office's notice of a failed row


class DeliveryDeferred(Exception):
    """A transient failure: the row stays pending and the task tries again after `countdown` seconds."""

    def __init__(self, message, countdown=60):
        super().__init__(message)
        self.countdown = countdown


def stale_after() -> dt.timedelta:
    """How long a claim may be held: longer than any send can last (the task's hard time limit)."""
    return dt.timedelta(seconds=settings.NOTIFICATION_STALE_AFTER)


def resend_after() -> dt.timedelta:
    """How long a pending row waits for its queued message before the sweep queues another."""
    return dt.timedelta(seconds=settings.NOTIFICATION_RESEND_AFTER)


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: doubling from NOTIFICATION_RETRY_BASE, at most NOTIFICATION_RETRY_CAP."""
    return min(settings.NOTIFICATION_RETRY_CAP, settings.NOTIFICATION_RETRY_BASE * 2 ** max(attempts - 1, 0))


def notify(event: str, *, emails: list[str], dedupe_key: str, application=None, document=None, attachments=(),
           context=None):  # fmt: skip
    """Queue `event` for each address once; a repeated call with the same key adds no row.
    `document` is the letter the e-mail is about; `attachments` are further documents sent with it.

    A repeated call queues a row again while it still waits for its first attempt: a worker killed
    between its commit and its publish left the row without a message, and the task's redelivery
    is what calls again. A second message is harmless, since delivery claims the row."""
    created = []
    if attachments:
        context = {**(context or {}), ATTACHMENTS: [attached.pk for attached in attachments]}
    waiting = digest_addresses(emails) if event in ROUTINE and document is None else set()
    for email in dict.fromkeys(emails):
        notification, is_new = Notification.objects.get_or_create(
            dedupe_key=f"{dedupe_key}:{email}",
            defaults={
                "email": email,
                "template": event,
                "application": application,
                "document": document,
                "context": context or {},
                "status": Notification.HELD if email in waiting else Notification.PENDING,
            },
        )
        if is_new:
            created.append(notification)
        if notification.status == Notification.PENDING and notification.next_attempt_at is None:
            _queue(notification.pk)
    return created


def digest_addresses(emails) -> set[str]:
    """Those of the addresses whose person takes routine notices once a day."""
    from .models import NotificationPreference

    return set(
        NotificationPreference.objects.filter(
            user__email__in=list(emails), routine=NotificationPreference.DAILY
        ).values_list("user__email", flat=True)
    )


def digests_send(*, today: dt.date) -> int:
    """One e-mail per address with every routine notice held for it before today; once a day."""
    held = Notification.objects.filter(status=Notification.HELD, created__date__lt=today).order_by("created")
    sent = 0
    for email in sorted(set(held.values_list("email", flat=True))):
        with transaction.atomic():
            rows = list(
                held.filter(email=email).select_for_update(no_key=True, of=("self",)).select_related("application")
            )
            if not rows:
                continue
            items = [{"subject": subject_of(row), "link": _link(row)} for row in rows]
            [digest] = notify(
                DIGEST, emails=[email], dedupe_key=f"digest:{today.isoformat()}", context={"items": items}
            ) or [None]
            if digest is None:  # already sent today: the rows wait for tomorrow's
                continue
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=Notification.SENT, digest=digest, sent_at=timezone.now()
            )
            sent += 1
    return sent


def _link(notification: Notification) -> str:
    if notification.application_id:
        return f"{settings.SITE_URL}/antraege/{notification.application_id}/"
    return f"{settings.SITE_URL}/"


def _queue(notification_id: int) -> None:
    from .tasks import deliver_notification

    publish_on_commit(deliver_notification, notification_id)


def _claim(notification_id, claimant: str) -> bool:
    """Take a pending row; a redelivery of the very message whose worker was killed mid-send
    (same task id, row still sending) takes it over, at the price of at most one duplicate."""
    takeable = Q(status=Notification.PENDING)
    if claimant:
        takeable |= Q(status=Notification.SENDING, claimed_by=claimant)
    return (
        Notification.objects.filter(takeable, pk=notification_id).update(
            status=Notification.SENDING, claimed_at=timezone.now(), claimed_by=claimant, attempts=F("attempts") + 1
        )
        == 1
    )


def message_id(notification: Notification) -> str:
    """The same Message-ID for every attempt of a row, so that a duplicate can be recognised."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "localhost"
    digest = hashlib.sha256(notification.dedupe_key.encode()).hexdigest()[:16]
    return f"<outbox.{notification.pk}.{digest}@{domain}>"


def _context(notification: Notification) -> dict:
    return {
        **notification.context,
        "application": notification.application,
        "document": notification.document,
        "site_url": settings.SITE_URL,
    }


def subject_of(notification: Notification) -> str:
    """The German subject line of an outbox row (for the delivery log)."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(render_to_string(f"email/{notification.template}_subject.txt", _context(notification)).split())


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """Build the German e-mail (text and HTML, letter attached) for an outbox row."""
    context = _context(notification)
    base = f"email/{notification.template}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [notification.email],
        headers={"Message-ID": message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    for document in documents_of(notification):
        with document.file.open("rb") as pdf:
            message.attach(document.filename, pdf.read(), "application/pdf")
    if notification.context.get("ics"):  # a meeting invitation carries its calendar entry
        message.attach("sitzung.ics", notification.context["ics"], "text/calendar")
    return message


def documents_of(notification: Notification) -> list:
    """The PDFs an outbox row sends: its letter first, then its further attachments."""
    further = notification.context.get(ATTACHMENTS, [])
    if further:
        from grants.models import Document

        further = list(Document.objects.filter(pk__in=further).order_by("pk"))
    return [notification.document, *further] if notification.document else further


def is_permanent(error: Exception) -> bool:
    """Whether the mail server refused for good (a 5xx answer): trying again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def notification_deliver(*, notification_id, claimant: str = "") -> bool:
    """Send one outbox row if nobody else has claimed it; True when this call sent it.

    A permanent refusal fails the row at once; a transient one leaves it pending and
    raises DeliveryDeferred, until MAX_ATTEMPTS have failed and the row is FAILED."""
    if not _claim(notification_id, claimant):
        return False
    notification = Notification.objects.select_related("application__fund", "document").get(pk=notification_id)
    try:
        render_email(notification).send()
    except Exception as error:
        if is_permanent(error) or notification.attempts >= MAX_ATTEMPTS:
            _fail(notification, str(error))
            return False
        delay = retry_delay(notification.attempts)
        Notification.objects.filter(pk=notification_id).update(
            status=Notification.PENDING, last_error=str(error)[:2000], claimed_by="",
            next_attempt_at=timezone.now() + dt.timedelta(seconds=delay),
        )  # fmt: skip
        raise DeliveryDeferred(str(error), countdown=delay) from error
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return True


def _fail(notification: Notification, error: str) -> None:
    """Mark the row FAILED (it shows on the office's failures page) and tell the fund's office."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.FAILED, last_error=error[:2000], next_attempt_at=None
    )
    logger.warning("e-mail %s (%s) failed for good: %s", notification.pk, notification.template, error[:200])
    if notification.template == DELIVERY_FAILED or notification.application is None:
        return  # never an endless chain of notices about notices
    from grants.roles import OFFICE

    fund = notification.application.fund
    people = fund.roles.filter(role=OFFICE, user__is_active=True).values_list("user__email", flat=True)
    notify(
        DELIVERY_FAILED,
        emails=[email for email in [fund.office_email, *people] if email],
        dedupe_key=f"delivery-failed:{notification.pk}:{notification.attempts}",
        application=notification.application,
        context={"failed_email": notification.email, "failed_template": notification.template,
                 "error": error[:300]},
    )  # fmt: skip


def notifications_requeue_stale() -> list[int]:
    """Release rows whose worker died mid-send (failing those out of attempts) and return the ids
    of pending rows whose queued message should have run by now."""
    now = timezone.now()
    dead = Notification.objects.filter(status=Notification.SENDING, claimed_at__lt=now - stale_after())
    for notification in dead.filter(attempts__gte=MAX_ATTEMPTS).select_related("application__fund"):
        _fail(notification, notification.last_error or "no answer from the mail server")
    dead.update(status=Notification.PENDING, claimed_by="")
    overdue = now - resend_after()
    pending = Notification.objects.filter(status=Notification.PENDING).filter(
        Q(next_attempt_at__isnull=True, created__lt=overdue) | Q(next_attempt_at__lt=overdue)
    )
    return list(pending.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def notification_retry(*, notification: Notification) -> bool:
    """Send a failed row again from the start (after the address or the server was fixed)."""
    updated = Notification.objects.filter(pk=notification.pk, status=Notification.FAILED).update(
        status=Notification.PENDING, attempts=0, claimed_at=None, claimed_by="", next_attempt_at=None
    )
    if updated:
        _queue(notification.pk)
    return bool(updated)
