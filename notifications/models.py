from django.db import models
from django.utils.translation import gettext_lazy as _

from .context import ContextDecoder, ContextEncoder


class Notification(models.Model):
    """The outbox: one e-mail to one address, delivered at most once per dedupe key."""

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
    STATUSES = [(PENDING, _("pending")), (SENDING, _("sending")), (SENT, _("sent")), (FAILED, _("failed"))]

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
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["status", "claimed_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.template} → {self.email} ({self.get_status_display()})"
