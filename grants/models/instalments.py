"""Instalments (Mittelabruf): the recipient asks for part of the grant, the office orders the
payment from the cash office (Auszahlungsanordnung) and records it paid."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .money import Payout
from .money_fields import MONEY, NON_NEGATIVE, non_negative
from .records import Document


class Instalment(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ORDERED = "ordered", _("payment ordered")
        PAID = "paid", _("paid")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    interim_report = models.TextField(_("interim report"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    order = models.OneToOneField(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payout = models.OneToOneField(Payout, on_delete=models.PROTECT, null=True, blank=True, related_name="instalment")

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            *non_negative("instalment", "amount"),
            models.UniqueConstraint(fields=["application", "number"], name="instalment_unique_number"),
        ]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
