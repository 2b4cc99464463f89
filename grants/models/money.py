"""Money after the decision: the append-only ledger of a fiscal year and the payouts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .funds import FiscalYear
from .money_fields import MONEY, NON_NEGATIVE, non_negative


class LedgerEntry(models.Model):
    """Append-only money movements of a fiscal year; available = budget - commits + releases."""

    COMMIT, RELEASE, PAYOUT, REPAYMENT, REVERSAL = "commit", "release", "payout", "repayment", "reversal"
    CLAIM = "claim"  # a repayment claimed by decision; its receipt is a REPAYMENT
    KINDS = [
        (COMMIT, _("commitment")),
        (RELEASE, _("release")),
        (PAYOUT, _("payout")),
        (CLAIM, _("repayment claim")),
        (REPAYMENT, _("repayment")),
        (REVERSAL, _("reversal")),
    ]
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="ledger")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=KINDS)
    amount = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    # The year's available money right after this entry, written under the year's row lock:
    # the ledger page shows a running balance without summing the year's entries.
    available_after = models.DecimalField(**MONEY, null=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        indexes = [
            models.Index(fields=["fiscal_year", "kind"]),
            models.Index(fields=["fiscal_year", "-id"], name="ledgerentry_year_newest"),
        ]
        constraints = non_negative("ledgerentry", "amount")


class Payout(models.Model):
    """An instalment paid to the account that was confirmed at the time of payment."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    account_holder = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34)

    class Meta:
        ordering = ["paid_on"]
        constraints = [
            *non_negative("payout", "amount"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
        ]
