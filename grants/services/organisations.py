"""Organisations and their bank account. While a grant is running, a new account
is held until the office confirms it (four eyes), and payouts keep going to the
confirmed one."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import selectors
from ..models import BankAccountChange, Fund, Organisation, OrganisationInvitation
from .core import audit, require_member

ORGANISATION_FIELDS = [
    "name",
    "legal_form",
    "street",
    "postcode",
    "city",
    "contact_name",
    "email",
    "phone",
    "charitable",
]
BANK_FIELDS = ["account_holder", "iban"]


def _informal_group_problems(data: dict) -> dict:
    """A group without legal form has no account of its own: a named contact person holds it."""
    if data.get("legal_form") != "informal":
        return {}
    problems = {}
    if not data.get("iban"):
        problems["iban"] = _("A group without legal form needs the bank account of its contact person.")
    holder, contact = (data.get("account_holder") or "").strip(), (data.get("contact_name") or "").strip()
    if not holder:
        problems["account_holder"] = _("Enter the name of the account holder.")
    elif holder.casefold() != contact.casefold():
        problems["account_holder"] = _(
            "For a group without legal form the contact person holds the account: enter the same name as contact "
            "person and account holder."
        )
    return problems


@transaction.atomic
def organisation_create(*, actor, data: dict) -> Organisation:
    """Create an organisation (or an informal group) with the actor as its first member."""
    problems = _informal_group_problems(data)
    if problems:
        raise ValidationError(problems)
    organisation = Organisation(**{field: data[field] for field in ORGANISATION_FIELDS + BANK_FIELDS if field in data})
    organisation.full_clean()
    organisation.save()
    organisation.members.add(actor)
    audit(actor=actor, action="organisation_create", obj=organisation,
          after={field: getattr(organisation, field) for field in ORGANISATION_FIELDS + BANK_FIELDS})  # fmt: skip
    return organisation


@transaction.atomic
def member_invite(*, organisation: Organisation, actor, email: str) -> OrganisationInvitation:
    """Invite someone by e-mail to act for the organisation too."""
    require_member(organisation, actor)
    email = email.strip().lower()
    if organisation.members.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = OrganisationInvitation.objects.filter(organisation=organisation, email=email, accepted_at=None).first()
    if invitation is None:
        invitation = OrganisationInvitation.objects.create(
            organisation=organisation, email=email, token=secrets.token_urlsafe(32), invited_by=actor
        )
        audit(actor=actor, action="member_invite", obj=invitation, after={"email": email})
    notify(
        "organisation_invitation",
        emails=[email],
        dedupe_key=f"invitation:{invitation.pk}",
        context={
            "organisation": organisation.name,
            "invited_by": str(actor),
            "link": f"{settings.SITE_URL}/einladung/{invitation.token}/",
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, actor) -> Organisation:
    """Join the organisation: only the invited address may accept, and only once."""
    invitation = OrganisationInvitation.objects.select_for_update(no_key=True).get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if actor.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Sign in with that address to accept it.")
        )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    invitation.organisation.members.add(actor)
    audit(actor=actor, action="member_join", obj=invitation.organisation, after={"email": actor.email})
    return invitation.organisation


@transaction.atomic
def organisation_leave(*, organisation: Organisation, actor) -> None:
    """Stop acting for the organisation; the last member cannot leave it without anyone."""
    organisation = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    require_member(organisation, actor)
    if organisation.members.count() == 1:
        raise ValidationError(
            _("You are the last member. Invite someone else first, or ask the office to close the organisation.")
        )
    organisation.members.remove(actor)
    audit(actor=actor, action="member_leave", obj=organisation, before={"email": actor.email})


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict) -> Organisation:
    """Change an organisation's details as one of its members; see the module on bank data."""
    require_member(organisation, actor)
    # Read again under the lock: a bound form changed the instance it was given.
    organisation = Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    problems = _informal_group_problems({**{f: getattr(organisation, f) for f in ORGANISATION_FIELDS + BANK_FIELDS},
                                         **data})  # fmt: skip
    if problems:
        raise ValidationError(problems)
    fields = ORGANISATION_FIELDS + BANK_FIELDS
    before = {field: getattr(organisation, field) for field in fields}
    new_bank = {field: data.get(field, before[field]) for field in BANK_FIELDS}
    bank_changed = any(new_bank[field] != before[field] for field in BANK_FIELDS)
    held = bank_changed and selectors.has_running_grant(organisation)
    for field in ORGANISATION_FIELDS + ([] if held else BANK_FIELDS):
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()
    organisation.save(update_fields=fields)
    audit(actor=actor, action="organisation_update", obj=organisation, before=before,
          after={field: getattr(organisation, field) for field in fields})  # fmt: skip
    if held:
        _bank_change_request(organisation, actor=actor, **new_bank)
    return organisation


def _bank_change_request(organisation: Organisation, *, actor, account_holder: str, iban: str) -> BankAccountChange:
    """Hold a new account for the office's confirmation; an older pending request is replaced."""
    BankAccountChange.objects.filter(organisation=organisation, status=BankAccountChange.Status.PENDING).update(
        status=BankAccountChange.Status.WITHDRAWN, decided_at=timezone.now()
    )
    change = BankAccountChange(organisation=organisation, account_holder=account_holder, iban=iban, requested_by=actor)
    change.full_clean()
    change.save()
    audit(actor=actor, action="bank_change_request", obj=change, before={"iban": organisation.iban},
          after={"iban": iban, "account_holder": account_holder})  # fmt: skip
    notify(
        "bank_change_requested",
        emails=selectors.offices_to_tell(organisation),
        dedupe_key=f"bank-change:{change.pk}",
        context={"organisation": organisation.name},
    )
    return change


def _decide(change: BankAccountChange, *, actor, confirmed: bool) -> BankAccountChange:
    change = (
        BankAccountChange.objects.select_for_update(no_key=True, of=("self", "organisation"))
        .select_related("organisation")
        .get(pk=change.pk)
    )
    if change.status != BankAccountChange.Status.PENDING:
        raise ValidationError(_("This change has already been dealt with."))
    if not any(selectors.is_office(actor, fund) for fund in _funds(change.organisation)):
        raise ValidationError(_("Only the office of a fund paying this organisation can decide on its bank account."))
    if change.requested_by_id == actor.pk:
        raise ValidationError(_("You asked for this change yourself: a colleague must confirm it."))
    change.status = BankAccountChange.Status.CONFIRMED if confirmed else BankAccountChange.Status.REJECTED
    change.decided_by, change.decided_at = actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    return change


def _funds(organisation):
    return Fund.objects.filter(applications__organisation=organisation).distinct()


@transaction.atomic
def bank_change_confirm(*, change: BankAccountChange, actor) -> BankAccountChange:
    """Confirm a held bank account as office: from now on payouts go there."""
    change = _decide(change, actor=actor, confirmed=True)
    organisation = Organisation.objects.select_for_update(no_key=True).get(pk=change.organisation_id)
    before = {field: getattr(organisation, field) for field in BANK_FIELDS}
    organisation.account_holder, organisation.iban = change.account_holder, change.iban
    organisation.save(update_fields=BANK_FIELDS)
    audit(actor=actor, action="bank_change_confirm", obj=organisation, before=before,
          after={"account_holder": change.account_holder, "iban": change.iban})  # fmt: skip
    notify("bank_change_decided", emails=[organisation.email], dedupe_key=f"bank-change-decided:{change.pk}",
           context={"confirmed": True})  # fmt: skip
    return change


@transaction.atomic
def bank_change_reject(*, change: BankAccountChange, actor) -> BankAccountChange:
    """Refuse a held bank account as office; the confirmed account stays."""
    change = _decide(change, actor=actor, confirmed=False)
    audit(actor=actor, action="bank_change_reject", obj=change, after={"iban": change.iban})
    notify("bank_change_decided", emails=[change.organisation.email],
           dedupe_key=f"bank-change-decided:{change.pk}", context={"confirmed": False})  # fmt: skip
    return change
