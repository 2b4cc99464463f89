"""Repayment claims: claimed after the report check, heard (Anhörung, § 28 VwVfG), decided
(Widerruf and Rückforderungsbescheid, §§ 49, 49a VwVfG) and open until the money is received.
Interest: the claim's points above the base rate of each day, from the payout to the payment."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.services import notify

from .. import selectors
from ..models import Application, BaseRate, Document, LedgerEntry, RepaymentClaim
from ..roles import OFFICE
from ..rules import interest as interest_rules
from ..templatetags.money import format_euro
from .core import audit, lock_application, require_fund_role, transition
from .later_letters import later_letter_issue
from .ledger import ledger_book, lock_fiscal_year


def _office(application, actor):
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office handles repayment claims."))


def _lock(claim: RepaymentClaim) -> RepaymentClaim:
    return (
        RepaymentClaim.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application__fund")
        .get(pk=claim.pk)
    )


def claim_interest(claim: RepaymentClaim, *, until: dt.date) -> Decimal:
    """The interest on the claim if it is paid on `until`, at the base rates recorded."""
    payouts = list(claim.application.payouts.values_list("amount", "paid_on"))
    portions = interest_rules.portions_of(claim.amount, payouts)
    rates = list(BaseRate.objects.values_list("valid_from", "rate"))
    try:
        return interest_rules.interest(portions, until=until, base_rates=rates, points=claim.interest_points)
    except ValueError as error:  # a day without a recorded base rate
        raise ValidationError(_("A base rate is missing for the interest period: add it in the admin.")) from error


def grant_year(application: Application, fund=None):
    """The fiscal year the grant was committed in (and its money returns to), locked."""
    decision = selectors.latest_decision(application)
    return lock_fiscal_year(application.fund, timezone.localdate(decision.decided_at).year)


def release_never_paid(application: Application) -> Decimal:
    """Release the part of the grant that was never paid out (once the use of the money is settled)."""
    decision = selectors.latest_decision(application)
    released = application.ledger.filter(kind=LedgerEntry.RELEASE).aggregate(total=Sum("amount", default=0))["total"]
    never_paid = decision.amount - selectors.paid_total(application) - released
    if never_paid > 0:
        ledger_book(fiscal_year=grant_year(application), application=application, kind=LedgerEntry.RELEASE,
                    amount=never_paid)  # fmt: skip
    return max(never_paid, Decimal("0.00"))


@transaction.atomic
def repayment_claim(*, application: Application, actor, amount: Decimal, reason: str, explanation: str):
    """Open a repayment claim (the file waits for it); the hearing comes next."""
    _office(application, actor)
    lock_application(application)
    if not explanation.strip():
        raise ValidationError(_("Explain why the money is claimed back."))
    claimed = application.repayment_claims.aggregate(total=Sum("amount", default=0))["total"]
    left = selectors.paid_total(application) - claimed
    if amount <= 0 or amount > left:
        raise ValidationError(
            _("The claim must be more than 0 and at most the %(left)s paid out and not yet claimed.")
            % {"left": format_euro(left)}
        )
    claim = RepaymentClaim.objects.create(
        application=application, amount=amount, reason=reason, explanation=explanation.strip(), created_by=actor
    )
    release_never_paid(application)  # locks the grant's year: before the audit chain (services.core.audit)
    transition(application, "claim_repayment", actor=actor)
    audit(actor=actor, action="repayment_claim", obj=claim, application=application,
          after={"amount": amount, "reason": reason})  # fmt: skip
    return claim


@transaction.atomic
def repayment_hearing(*, claim: RepaymentClaim, actor, deadline: dt.date) -> Document:
    """Send the hearing letter (Anhörung) with the deadline for a statement."""
    claim = _lock(claim)
    application = claim.application
    _office(application, actor)
    if claim.status != RepaymentClaim.Status.CLAIMED:
        raise ValidationError(_("The hearing has already been sent."))
    if deadline < timezone.localdate() + dt.timedelta(days=14):
        raise ValidationError(_("Give the recipient at least two weeks to answer."))
    claim.hearing_deadline = deadline
    claim.hearing_letter = later_letter_issue(
        application=application, kind=Document.HEARING, actor=actor, claim=claim,
        paid=selectors.paid_total(application),
    )  # fmt: skip
    claim.status = RepaymentClaim.Status.HEARING
    claim.save(update_fields=["hearing_deadline", "hearing_letter", "status"])
    audit(actor=actor, action="repayment_hearing", obj=claim, application=application,
          after={"deadline": deadline, "document": claim.hearing_letter_id})  # fmt: skip
    return claim.hearing_letter


@transaction.atomic
def repayment_decide(*, claim: RepaymentClaim, actor, due_on: dt.date, statement: str = "") -> Document:
    """Revoke the grant in the claimed amount and demand repayment with interest by `due_on`;
    possible once the recipient has answered or the hearing deadline has passed."""
    claim = _lock(claim)
    application = claim.application
    _office(application, actor)
    today = timezone.localdate()
    if claim.status != RepaymentClaim.Status.HEARING:
        raise ValidationError(_("The recipient must be heard before the repayment is decided."))
    if not statement.strip() and today <= claim.hearing_deadline:
        raise ValidationError(_("The recipient may still answer until %(date)s.") % {
            "date": date_format(claim.hearing_deadline, "SHORT_DATE_FORMAT")})  # fmt: skip
    if due_on <= today:
        raise ValidationError(_("The payment must be due after today."))
    claim.statement, claim.due_on = statement.strip(), due_on
    year = grant_year(application)  # before the letter's audit takes the chain (services.core.audit)
    interest_until_due = claim_interest(claim, until=due_on)
    claim.decision_letter = later_letter_issue(
        application=application, kind=Document.REVOCATION, actor=actor, claim=claim,
        remaining_grant=selectors.paid_total(application) - claim.amount,
        base_rate=BaseRate.objects.filter(valid_from__lte=today).values_list("rate", flat=True).first(),
        interest_until_due=interest_until_due, total_until_due=claim.amount + interest_until_due,
        hearing_date=timezone.localdate(claim.hearing_letter.created),
    )  # fmt: skip
    claim.status = RepaymentClaim.Status.DECIDED
    claim.save(update_fields=["statement", "due_on", "decision_letter", "status"])
    ledger_book(fiscal_year=year, application=application, kind=LedgerEntry.CLAIM, amount=claim.amount)
    audit(actor=actor, action="repayment_decide", obj=claim, application=application,
          after={"amount": claim.amount, "due_on": due_on, "document": claim.decision_letter_id})  # fmt: skip
    return claim.decision_letter


@transaction.atomic
def repayment_receive(*, claim: RepaymentClaim, actor, paid_on: dt.date) -> RepaymentClaim:
    """Record the repayment received on `paid_on` with its interest; the money returns to the
    budget of the grant's year and the file closes."""
    claim = _lock(claim)
    application = claim.application
    _office(application, actor)
    if claim.status != RepaymentClaim.Status.DECIDED:
        raise ValidationError(_("Only a decided claim can be paid."))
    if paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot lie in the future."))
    claim.paid_on, claim.interest = paid_on, claim_interest(claim, until=paid_on)
    claim.status = RepaymentClaim.Status.PAID
    claim.save(update_fields=["paid_on", "interest", "status"])
    year = grant_year(application)
    ledger_book(fiscal_year=year, application=application, kind=LedgerEntry.REPAYMENT, amount=claim.total_paid)
    ledger_book(fiscal_year=year, application=application, kind=LedgerEntry.RELEASE, amount=claim.amount)
    transition(application, "repayment_receive", actor=actor, closed_at=timezone.now())
    audit(actor=actor, action="repayment_receive", obj=claim, application=application,
          after={"paid_on": paid_on, "amount": claim.amount, "interest": claim.interest})  # fmt: skip
    return claim


def repayment_overdue_tell(*, claim: RepaymentClaim) -> RepaymentClaim:
    """E-mail the fund's office once that the claim was not paid by its due date."""
    fund = claim.application.fund
    if fund.office_email:
        notify(
            "repayment_overdue", emails=[fund.office_email], dedupe_key=f"claim:{claim.pk}:overdue:{claim.due_on}",
            application=claim.application, context={"amount": claim.amount, "due_on": claim.due_on},
        )  # fmt: skip
    return claim
