"""The initiatives that apply: clubs, schools, associations, informal groups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_iban


class Organisation(models.Model):
    LEGAL_FORMS = [
        ("ev", _("registered association (e.V.)")),
        ("ggmbh", _("non-profit company (gGmbH)")),
        ("school", _("school")),
        ("public", _("public body")),
        ("company", _("company")),
        ("informal", _("informal group without legal form")),
    ]
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LEGAL_FORMS)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Hamburg")
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    charitable = models.BooleanField(_("recognised as charitable"), default=False)
    # The confirmed account: payouts go here and nowhere else.
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organisations", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class BankAccountChange(models.Model):
    """A new bank account asked for while a grant is running; it applies once the office confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the office")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("replaced by a newer request")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="bank_changes")
    account_holder = models.CharField(_("account holder"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(status="pending"), name="bank_change_one_pending"
            ),
            # Four eyes: whoever asked for the change cannot confirm it.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")), name="bank_change_four_eyes"
            ),
        ]
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")


class OrganisationInvitation(models.Model):
    """An e-mail invitation to join an organisation; whoever signs in with that address may accept it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
