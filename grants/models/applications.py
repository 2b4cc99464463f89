"""An application, its cost plan, the office's revision requests and its recommendation."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..status import Status
from .funds import Aim, Fund, Meeting
from .money_fields import MONEY, NON_NEGATIVE, non_negative
from .organisations import Organisation


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # A draft starts empty and is filled in section by section (grants.rules.sections).
    title = models.CharField(_("project title"), max_length=200, blank=True, default="")
    summary = models.TextField(_("what is the project about?"), blank=True, default="")
    aims = models.ManyToManyField(Aim, verbose_name=_("aims of the fund"), blank=True)
    target_group = models.CharField(_("target group"), max_length=200, blank=True, default="")
    neighbourhood = models.CharField(_("neighbourhood and place"), max_length=200, blank=True, default="")
    start_date = models.DateField(_("project start"), null=True, blank=True)
    end_date = models.DateField(_("project end"), null=True, blank=True)
    own_funds = models.DecimalField(_("own funds"), **MONEY, default=0, validators=NON_NEGATIVE)
    own_work = models.DecimalField(_("own work in kind"), **MONEY, default=0, validators=NON_NEGATIVE)
    third_party_funds = models.DecimalField(_("third-party funds"), **MONEY, default=0, validators=NON_NEGATIVE)
    third_party_status = models.CharField(_("third-party funders and status"), max_length=300, blank=True)
    requested_amount = models.DecimalField(_("requested amount"), **MONEY, default=0, validators=NON_NEGATIVE)
    declared_not_started = models.BooleanField(_("the project has not started yet"), default=False)
    declared_no_double_funding = models.BooleanField(_("no double funding"), default=False)
    declared_truthful = models.BooleanField(_("the information is true and complete"), default=False)
    declared_privacy = models.BooleanField(_("privacy notice read"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the office's completeness check accepted it: this, not the submission, meets a meeting's cut-off.
    completed_at = models.DateTimeField(_("complete"), null=True, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    appeal_waived_at = models.DateTimeField(_("appeal waived"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("personal data deleted"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Raised by every save of the draft: a save based on an older version is refused (two tabs).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["fund", "status"]), models.Index(fields=["organisation", "-created"])]
        constraints = non_negative("application", "own_funds", "own_work", "third_party_funds", "requested_amount")
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        reference = self.reference or gettext("Draft")
        return f"{reference}: {self.title}"

    @property
    def total_cost(self) -> Decimal:
        return sum((line.amount for line in self.cost_lines.all()), Decimal("0.00"))

    @property
    def financing_total(self) -> Decimal:
        return self.own_funds + self.own_work + self.third_party_funds + self.requested_amount


class CostCategory(models.TextChoices):
    FEES = "fees", _("fees and honoraria")
    MATERIAL = "material", _("material and equipment")
    RENT = "rent", _("rent for rooms and technology")
    PUBLICITY = "publicity", _("publicity and printing")
    CATERING = "catering", _("food and drink")
    OTHER = "other", _("other costs")


class CostLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cost_lines")
    category = models.CharField(_("category"), max_length=10, choices=CostCategory.choices, default=CostCategory.OTHER)
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["pk"]
        constraints = non_negative("costline", "amount")
        verbose_name = _("cost line")
        verbose_name_plural = _("cost plan")


class RevisionRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revision_requests")
    message = models.TextField(_("what is missing"))
    # Keys of grants.rules.completeness.CHECKLIST that the applicant must fix.
    items = models.JSONField(_("checklist items to fix"), default=list, blank=True)
    deadline = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The office's one reminder after the deadline passed (the deadline itself stays).
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)
    letter = models.OneToOneField("grants.Document", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["deadline"], condition=models.Q(answered_at=None), name="revision_open_due")]

    @property
    def item_labels(self) -> list[str]:
        from ..rules.completeness import labels_of

        return labels_of(self.items)


class FinancingType(models.TextChoices):
    FIXED = "fixed", _("fixed sum (Festbetrag)")
    GAP = "gap", _("gap financing (Fehlbedarf)")
    SHARE = "share", _("share of costs (Anteil)")


class MotionKind(models.TextChoices):
    """What the office can recommend and what the steering group can vote on."""

    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")
    DEFER = "defer", _("defer")


class Recommendation(models.Model):
    """The office's Votum: it proposes, the steering group decides."""

    APPROVE, REJECT = MotionKind.APPROVE, MotionKind.REJECT
    MOTIONS = [(APPROVE, _("approve")), (REJECT, _("reject"))]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    motion = models.CharField(_("recommendation"), max_length=10, choices=MOTIONS)
    amount = models.DecimalField(_("proposed amount"), **MONEY, default=0, validators=NON_NEGATIVE)
    financing_type = models.CharField(
        _("financing type"), max_length=10, choices=FinancingType.choices, default=FinancingType.GAP
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reasoning = models.TextField(_("reasoning"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = non_negative("recommendation", "amount")


class InternalNote(models.Model):
    """A note of the office on a file: for the office only, never shown to the applicant or the
    steering group."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
