from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import ContextDecoder, ContextEncoder


class Notification(models.Model):
    """The outbox: one e-mail to one address, delivered at most once per dedupe key."""

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    HELD = "held"  # a routine notice waiting for its recipient's daily digest
    STATUSES = [(PENDING, _("pending")), (SENDING, _("sending")), (SENT, _("sent")), (FAILED, _("failed")),
                (HELD, _("held for the daily digest"))]  # fmt: skip

    email = models.EmailField()
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict, blank=True, encoder=ContextEncoder, decoder=ContextDecoder)
    application = models.ForeignKey(
        "grants.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    document = models.ForeignKey("grants.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id that holds the claim: its own redelivery after a killed worker may take it over.
    claimed_by = models.CharField(max_length=64, blank=True)
    # When a deferred row is due for its next attempt; the sweep queues it again after that.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # The digest e-mail a held notice went out in.
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "claimed_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.template} → {self.email} ({self.get_status_display()})"


class NotificationPreference(models.Model):
    """Whether a person gets routine notices at once or in one e-mail a day; legal letters never wait."""

    IMMEDIATE, DAILY = "immediate", "daily"
    CHOICES = [(IMMEDIATE, _("immediately, one e-mail each")), (DAILY, _("once a day, in one e-mail"))]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    routine = models.CharField(_("routine notices"), max_length=10, choices=CHOICES, default=IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
