"""Instalments (Mittelabruf): the recipient asks for part of the grant; the office orders the
payment from the cash office (Auszahlungsanordnung) and records it paid. Never more than the
grant in total; nothing while the decision is not final, an objection is open, or a condition
that blocks payout has not been recorded as met."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, Decision, Document, Instalment, Objection
from ..roles import OFFICE
from ..status import Status
from ..templatetags.money import format_euro
from .core import audit, lock_application, require_fund_role, require_member
from .later_letters import later_letter_issue

OPEN = [Instalment.Status.REQUESTED, Instalment.Status.ORDERED]


def payout_problem(application: Application, decision: Decision | None) -> str | None:
    """Why no money may be paid out today, or None."""
    if decision is None or decision.kind != Decision.APPROVE:
        return _("There is no grant to pay out.")
    if application.objections.filter(status=Objection.Status.OPEN).exists():
        return _("An objection is open: the decision is not final and nothing is paid out.")
    payable = selectors.payable_from(application, decision)
    if payable is None or payable > timezone.localdate():
        return _("The decision is not final yet; payment is possible from %(date)s.") % {
            "date": date_format(payable, "SHORT_DATE_FORMAT") if payable else "–"
        }
    if decision.conditions.strip() and decision.conditions_block_payout and not decision.conditions_met_at:
        return _("A condition of the grant blocks payout until the office has recorded it as met.")
    return None


def requested_total(application: Application) -> Decimal:
    """Money paid out plus money asked for and not yet paid."""
    open_ = application.instalments.filter(status__in=OPEN).aggregate(total=Sum("amount", default=0))["total"]
    return selectors.paid_total(application) + open_


@transaction.atomic
def instalment_request(*, application: Application, actor, amount: Decimal, interim_report: str = "") -> Instalment:
    """Ask for part (or the rest) of the grant to be paid out."""
    require_member(application.organisation, actor)
    lock_application(application)
    if application.status not in (Status.APPROVED, Status.PAID):
        raise ValidationError(_("Money can only be requested while the grant is running."))
    decision = selectors.latest_decision(application)
    problem = payout_problem(application, decision)
    if problem:
        raise ValidationError(problem)
    if application.instalments.filter(status__in=OPEN).exists():
        raise ValidationError(_("Your last request is still being processed. Please wait until it is paid."))
    left = decision.amount - requested_total(application)
    if amount <= 0 or amount > left:
        raise ValidationError(
            _("You can request more than 0 and at most the %(left)s of the grant not yet requested.")
            % {"left": format_euro(left)}
        )
    instalment = Instalment.objects.create(
        application=application, number=application.instalments.count() + 1, amount=amount,
        interim_report=interim_report.strip(), requested_by=actor, requested_at=timezone.now(),
    )  # fmt: skip
    audit(actor=actor, action="instalment_request", obj=instalment, application=application,
          after={"number": instalment.number, "amount": amount})  # fmt: skip
    return instalment


def open_instalment(application: Application) -> Instalment | None:
    return application.instalments.filter(status__in=OPEN).first()


@transaction.atomic
def payout_order_issue(*, instalment: Instalment, actor) -> Document:
    """Issue the payout order (Auszahlungsanordnung) for the cash office; safe to repeat."""
    application = instalment.application
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office orders payouts."))
    lock_application(application)
    instalment = Instalment.objects.select_for_update(no_key=True).get(pk=instalment.pk)
    if instalment.status != Instalment.Status.REQUESTED:
        return instalment.order
    decision = selectors.latest_decision(application)
    problem = payout_problem(application, decision)
    if problem:
        raise ValidationError(problem)
    organisation = application.organisation
    if not organisation.iban:
        raise ValidationError(_("The organisation has no confirmed bank account."))
    if selectors.pending_bank_change(organisation):
        raise ValidationError(_("A new bank account waits for confirmation; confirm or reject it first."))
    paid_before = selectors.paid_total(application)
    document = later_letter_issue(
        application=application, kind=Document.PAYOUT_ORDER, actor=actor, tell=False,
        instalment=instalment, paid_before=paid_before, left_after=decision.amount - paid_before - instalment.amount,
        account_holder=organisation.account_holder or organisation.name, iban=organisation.iban,
        payable_from=selectors.payable_from(application, decision), fiscal_year=decision.decided_at.year,
        ordered_by_name=actor.get_full_name() or actor.email,
    )  # fmt: skip
    instalment.status, instalment.order = Instalment.Status.ORDERED, document
    instalment.save(update_fields=["status", "order"])
    audit(actor=actor, action="payout_order_issue", obj=instalment, application=application,
          after={"number": instalment.number, "amount": instalment.amount, "document": document.pk})  # fmt: skip
    return document


@transaction.atomic
def instalment_pay(*, instalment: Instalment, actor, paid_on: dt.date):
    """Record that the cash office paid the ordered instalment on `paid_on`."""
    from .payouts import payout_record

    instalment = (
        Instalment.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application")
        .get(pk=instalment.pk)
    )
    if instalment.status != Instalment.Status.ORDERED:
        raise ValidationError(_("Only an ordered instalment can be recorded as paid."))
    payout = payout_record(application=instalment.application, actor=actor, amount=instalment.amount, paid_on=paid_on)
    instalment.status, instalment.payout = Instalment.Status.PAID, payout
    instalment.save(update_fields=["status", "payout"])
    return payout


@transaction.atomic
def conditions_met_record(*, application: Application, actor, note: str) -> Decision:
    """Record that the recipient has shown the conditions (Auflagen) of the grant to be met."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office records conditions as met."))
    if not note.strip():
        raise ValidationError(_("Say how the conditions were shown to be met."))
    decision = selectors.latest_decision(application)
    if decision is None or decision.kind != Decision.APPROVE or not decision.conditions.strip():
        raise ValidationError(_("This grant has no conditions."))
    decision = Decision.objects.select_for_update(no_key=True).get(pk=decision.pk)
    if decision.conditions_met_at is None:
        decision.conditions_met_at = timezone.now()
        decision.save(update_fields=["conditions_met_at"])
        audit(actor=actor, action="conditions_met", obj=decision, application=application,
              after={"conditions_met_at": decision.conditions_met_at, "note": note.strip()})  # fmt: skip
    return decision
