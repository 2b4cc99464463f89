"""After the decision: a recipient's request to change it (Änderungsantrag) and an objection
to it (Widerspruch)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .money_fields import MONEY, NON_NEGATIVE
from .records import Document
from .steering import Decision


class ChangeRequest(models.Model):
    """A new end of the grant period and/or money moved between cost lines (total unchanged)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REFERRED = "referred", _("referred to the steering group")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="change_requests")
    new_end_date = models.DateField(_("new end of the grant period"), null=True, blank=True)
    # {cost line id (str): new amount (str)}; the lines' total must stay the same.
    line_amounts = models.JSONField(_("new amounts per cost line"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decision_note = models.TextField(_("decision note"), blank=True)
    letter = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def line_changes(self) -> list:
        """Each cost line the request changes, with its new amount: [(line, amount)]."""
        lines = {line.pk: line for line in self.application.cost_lines.all()}
        return [(lines[int(key)], Decimal(value)) for key, value in self.line_amounts.items()]


class Objection(models.Model):
    """An objection received by post or in person; the steering group remedies or upholds."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REMEDIED = "remedied", _("remedied")
        UPHELD = "upheld", _("decision upheld")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("received on"))
    in_time = models.BooleanField(_("received within the appeal period"))
    grounds = models.TextField(_("grounds"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    new_amount = models.DecimalField(_("amount after the remedy"), **MONEY, null=True, blank=True,
                                     validators=NON_NEGATIVE)  # fmt: skip
    new_conditions = models.TextField(_("conditions after the remedy"), blank=True)
    letter = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, related_name="+")
    # A remedied objection to a rejection: the grant the steering group decided after all.
    remedy_decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="remedied_objection"
    )

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
