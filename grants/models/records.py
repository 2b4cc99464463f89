"""What the fund keeps for the record: generated letters and the audit trail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .steering import Decision


class Document(models.Model):
    """A generated letter, never regenerated: a correction is a new document that supersedes it."""

    APPROVAL, REJECTION, AGENDA_PACK, MINUTES = "approval", "rejection", "agenda_pack", "minutes"
    REPORT_REMINDER, FINAL_REMINDER = "report_reminder", "final_reminder"
    PAYOUT_ORDER, HEARING, REVOCATION = "payout_order", "hearing", "revocation"
    AMENDMENT, CHANGE_REFUSAL, OBJECTION_DECISION = "amendment", "change_refusal", "objection_decision"
    RECEIPT, REVISION_REQUEST, INVITATION = "receipt", "revision_request", "invitation"
    KINDS = [
        (RECEIPT, _("confirmation of receipt")),
        (REVISION_REQUEST, _("request for revision")),
        (INVITATION, _("invitation to the meeting")),
        (APPROVAL, _("grant decision")),
        (REJECTION, _("rejection")),
        (AGENDA_PACK, _("meeting papers")),
        (MINUTES, _("minutes")),
        (REPORT_REMINDER, _("report reminder")),
        (FINAL_REMINDER, _("final reminder")),
        (PAYOUT_ORDER, _("payout order")),
        (HEARING, _("hearing before a repayment claim")),
        (REVOCATION, _("revocation and repayment decision")),
        (AMENDMENT, _("amendment decision")),
        (CHANGE_REFUSAL, _("refusal of the change request")),
        (OBJECTION_DECISION, _("decision on the objection")),
    ]
    # A letter belongs to an application and its decision; meeting papers and minutes to a meeting.
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    meeting = models.ForeignKey(
        "grants.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    file = models.FileField(upload_to="letters/%Y/")
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            # One original letter per decision; corrections chain from it through `supersedes`.
            models.UniqueConstraint(
                fields=["decision", "kind"],
                condition=models.Q(supersedes=None, decision__isnull=False),
                name="document_one_original",
            ),
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(kind="receipt"), name="document_one_receipt"
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=models.Q(supersedes=None, meeting__isnull=False),
                name="document_one_original_per_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(application__isnull=False) | models.Q(meeting__isnull=False),
                name="document_belongs_somewhere",
            ),
        ]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def filename(self):
        about = self.application.reference if self.application_id else self.meeting.date.isoformat()
        return f"{self.get_kind_display()} {about}.pdf".replace("/", "-")

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")


class AuditEvent(models.Model):
    """Append-only record of every write: who, when, what, before and after. Each event is a link
    of its fund's hash chain (grants.audit_chain); on PostgreSQL a trigger refuses UPDATE and DELETE."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=60)
    fund = models.ForeignKey("grants.Fund", on_delete=models.PROTECT, null=True, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, related_name="audit_events")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["fund", "id"])]


class AuditChain(models.Model):
    """The newest link of each hash chain, locked while an event is appended to it."""

    key = models.CharField(max_length=40, unique=True)
    last_hash = models.CharField(max_length=64)
