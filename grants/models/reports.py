"""The use-of-funds report (Verwendungsnachweis) and its check."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .money_fields import MONEY, NON_NEGATIVE, non_negative
from .uploads import Attachment


class Report(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="report")
    # The fund's simple variant: the receipt list only (ReceiptLine), without narrative or plan lines.
    simple = models.BooleanField(_("simple report (receipt list only)"), default=False, db_default=False)
    narrative = models.TextField(_("narrative report"))
    actual_costs = models.DecimalField(_("actual total costs"), **MONEY, validators=NON_NEGATIVE)
    unused_amount = models.DecimalField(_("unused grant money"), **MONEY, default=0, validators=NON_NEGATIVE)
    receipts = models.TextField(_("receipt list (date, payee, purpose, amount)"))
    # {cost line id (str): actual amount (str)}: the numbers against the financing plan, per line.
    line_actuals = models.JSONField(_("actual costs per cost line"), default=dict, blank=True, db_default={})
    submitted_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        constraints = non_negative("report", "actual_costs", "unused_amount")


class ReceiptLine(models.Model):
    """One receipt of a simple report, with its scan or photo where one was uploaded."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="receipt_lines")
    date = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("receipt")
    )

    class Meta:
        ordering = ["date", "pk"]
        constraints = non_negative("receiptline", "amount")
        verbose_name = _("receipt")
        verbose_name_plural = _("receipt list")
