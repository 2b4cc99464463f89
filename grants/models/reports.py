"""The use-of-funds report (Verwendungsnachweis) and its check."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .money_fields import MONEY, NON_NEGATIVE, non_negative


class Report(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="report")
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
