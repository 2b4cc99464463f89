"""Repayment claims (Rückforderung) and the base rate their interest is computed from."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .money_fields import MONEY, NON_NEGATIVE, non_negative
from .records import Document


class BaseRate(models.Model):
    """The Basiszinssatz (§ 247 BGB) from a day on; the Bundesbank announces it each half-year."""

    valid_from = models.DateField(_("valid from"), unique=True)
    rate = models.DecimalField(_("base rate (% a year)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base rate")
        verbose_name_plural = _("base rates")

    def __str__(self):
        return f"{self.valid_from:%d.%m.%Y}: {self.rate} %"


class RepaymentClaim(models.Model):
    """A claim to money back: heard, then decided (revocation), then paid."""

    class Reason(models.TextChoices):
        UNUSED = "unused", _("money not used")
        INELIGIBLE = "ineligible", _("money not used for the purpose")
        NO_REPORT = "no_report", _("no use-of-funds report")

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("claimed, hearing not yet sent")
        HEARING = "hearing", _("in hearing")
        DECIDED = "decided", _("decided, payment due")
        PAID = "paid", _("paid")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="repayment_claims")
    amount = models.DecimalField(_("amount claimed"), **MONEY, validators=NON_NEGATIVE)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    explanation = models.TextField(_("explanation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED)
    interest_points = models.DecimalField(
        _("interest: percentage points above the base rate"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    hearing_deadline = models.DateField(_("statement due by"), null=True, blank=True)
    hearing_letter = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, related_name="+")
    statement = models.TextField(_("the recipient's statement"), blank=True)
    due_on = models.DateField(_("payment due by"), null=True, blank=True)
    decision_letter = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, related_name="+")
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    interest = models.DecimalField(_("interest"), **MONEY, null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            *non_negative("repaymentclaim", "amount", "interest"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="repaymentclaim_amount_positive"),
        ]
        verbose_name = _("repayment claim")
        verbose_name_plural = _("repayment claims")

    @property
    def total_paid(self) -> Decimal:
        return self.amount + (self.interest or 0)
