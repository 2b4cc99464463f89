"""The variable texts of a fund's letters, edited by a fund admin without code; the legal skeleton
(structure, mandatory parts, dates) stays in templates/letters/."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .funds import Fund

GREETING = "Sehr geehrte Damen und Herren,"
CLOSING = "Mit freundlichen Grüßen"


class LetterTexts(models.Model):
    fund = models.OneToOneField(Fund, on_delete=models.CASCADE, related_name="letter_texts", verbose_name=_("fund"))
    greeting = models.CharField(_("greeting"), max_length=200, default=GREETING)
    closing = models.CharField(_("closing"), max_length=200, default=CLOSING)
    rules = models.TextField(
        _("the fund's rules"),
        blank=True,
        help_text=_("Printed in every grant decision under the ancillary provisions."),
    )
    remedy = models.TextField(
        _("remedy notice"),
        blank=True,
        help_text=_(
            "Where and how to object. Empty: the standard text naming the issuing body and its objection "
            "address. The dates of notification and of the end of the appeal period are always added."
        ),
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("letter texts")
        verbose_name_plural = _("letter texts")

    def __str__(self):
        return str(self.fund)
