"""After the decision: change requests (Änderungsantrag) and objections (Widerspruch). An
approved change or a remedied objection issues an amendment letter (Änderungsbescheid) and
moves the dates that depend on it; an upheld objection a Widerspruchsbescheid. Objections and
referred changes are decided by the steering group in its meeting (services.referrals)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, ChangeRequest, Decision, Document, FinancingType, LedgerEntry, Objection
from ..roles import CHAIR, OFFICE
from ..rules import changes as change_rules
from ..rules import dates
from ..rules.money import financing_plan
from ..status import Status
from ..templatetags.money import format_euro
from .core import audit, lock_application, require_fund_role, require_member, transition
from .later_letters import later_letter_issue
from .ledger import booking_year, ledger_book, lock_fiscal_year

RUNNING = (Status.APPROVED, Status.PAID)
APPROVE, REFUSE, REFER = "approve", "refuse", "refer"


def _office(application, actor):
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office decides on this."))


def _day(value: dt.date) -> str:
    return date_format(value, "d.m.Y")


def _planned(application) -> dict[int, Decimal]:
    return {line.pk: line.amount for line in application.cost_lines.all()}


@transaction.atomic
def change_request(*, application: Application, actor, reason: str, new_end_date: dt.date | None = None,
                   line_amounts: dict | None = None) -> ChangeRequest:  # fmt: skip
    """Ask to extend the grant period (before it ends) or to move money between cost lines."""
    require_member(application.organisation, actor)
    lock_application(application)
    if application.status not in RUNNING:
        raise ValidationError(_("A change can only be requested while the grant is running."))
    if application.change_requests.filter(status__in=[ChangeRequest.Status.OPEN, ChangeRequest.Status.REFERRED]):
        raise ValidationError(_("Your last change request has not been decided yet."))
    if not reason.strip():
        raise ValidationError(_("Say why the change is needed."))
    lines = {int(key): Decimal(value) for key, value in (line_amounts or {}).items()}
    planned = _planned(application)
    lines = {line: amount for line, amount in lines.items() if planned.get(line) != amount}
    if not new_end_date and not lines:
        raise ValidationError(_("Ask for a new end date or new amounts per cost line."))
    if new_end_date:
        if timezone.localdate() > application.end_date:
            raise ValidationError(_("The grant period has ended; it can only be extended before its end."))
        if new_end_date <= application.end_date:
            raise ValidationError(_("The new end must lie after the current end of the grant period."))
    if set(lines) - set(planned) or any(amount < 0 for amount in lines.values()):
        raise ValidationError(_("Only the cost lines of the application can change, and none below zero."))
    if sum({**planned, **lines}.values()) != sum(planned.values()):
        raise ValidationError(_("Money can only be moved between cost lines; the total must stay the same."))
    change = ChangeRequest.objects.create(
        application=application, new_end_date=new_end_date, reason=reason.strip(), requested_by=actor,
        requested_at=timezone.now(), line_amounts={str(line): str(amount) for line, amount in lines.items()},
    )  # fmt: skip
    audit(actor=actor, action="change_request", obj=change, application=application,
          after={"new_end_date": new_end_date, "lines": change.line_amounts})  # fmt: skip
    return change


def office_may_decide(change: ChangeRequest) -> bool:
    application = change.application
    fund = application.fund
    new = {int(key): Decimal(value) for key, value in change.line_amounts.items()}
    return change_rules.within_office_powers(
        end_date=application.end_date, new_end_date=change.new_end_date,
        shift=change_rules.shifted(_planned(application), new), grant=selectors.latest_decision(application).amount,
        extend_months=fund.office_may_extend_months, shift_percent=fund.office_may_shift_percent,
    )  # fmt: skip


def _require_vote(vote, **referral) -> None:
    """The steering group decides a referral by closing the vote on its agenda item in a meeting."""
    item = vote.agenda_item if vote is not None else None
    if item is None or any(getattr(item, f"{name}_id") != value.pk for name, value in referral.items()):
        raise ValidationError(_("The steering group decides this by a vote in its meeting."))


@transaction.atomic
def change_decide(*, change: ChangeRequest, actor, outcome: str, note: str, vote=None) -> ChangeRequest:
    """Decide a change request: the office approves or refuses what the fund's rules let it
    decide and refers the rest to the steering group, which decides by a vote (`vote`, the
    motion closed in its meeting; services.referrals)."""
    change = (
        ChangeRequest.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application__fund")
        .get(pk=change.pk)
    )
    application = change.application
    if change.status not in (ChangeRequest.Status.OPEN, ChangeRequest.Status.REFERRED):
        raise ValidationError(_("This change request has already been decided."))
    referred = change.status == ChangeRequest.Status.REFERRED
    if referred:
        _require_vote(vote, change_request=change)
    else:
        _office(application, actor)
    lock_application(application)
    if outcome == REFER:
        if referred:
            raise ValidationError(_("The steering group has the request already."))
        change.status = ChangeRequest.Status.REFERRED
    elif outcome == APPROVE and not referred and not office_may_decide(change):
        raise ValidationError(_("The fund's rules do not let the office approve this change: refer it."))
    elif not note.strip():
        raise ValidationError(_("Give the reasons for the decision."))
    if outcome != REFER:
        change.status = ChangeRequest.Status.APPROVED if outcome == APPROVE else ChangeRequest.Status.REFUSED
        change.decided_at, change.decided_by = timezone.now(), actor
    change.decision_note = note.strip()
    if change.status == ChangeRequest.Status.APPROVED:
        change.letter = _change_apply(change, actor)
    elif change.status == ChangeRequest.Status.REFUSED:
        change.letter = _change_refuse(change, actor)
    change.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "letter"])
    audit(actor=actor, action="change_decide", obj=change, application=application,
          after={"outcome": outcome, "note": note.strip()})  # fmt: skip
    return change


def _change_apply(change: ChangeRequest, actor) -> Document:
    """Move the grant period and the dates that hang on it, set the new line amounts, and issue
    the amendment letter."""
    application = change.application
    described = []
    if change.new_end_date:
        described.append(_("The grant period now ends on %(new)s instead of %(old)s.") % {
            "new": _day(change.new_end_date), "old": _day(application.end_date)})  # fmt: skip
        application.end_date = change.new_end_date
        fields = ["end_date"]
        if application.report_due:
            application.report_due = dates.report_due(application.end_date, weeks=application.fund.report_weeks)
            fields.append("report_due")
        application.save(update_fields=fields)
    for line, new_amount in change.line_changes():
        described.append(_line_change(line, new_amount))
        line.amount = new_amount
        line.save(update_fields=["amount"])
    return later_letter_issue(
        application=application, kind=Document.AMENDMENT, actor=actor, changes=described,
        occasion=_occasion(change), reasons=change.decision_note or change.reason,
        report_due=dates.report_due(application.end_date, weeks=application.fund.report_weeks),
    )  # fmt: skip


def _change_refuse(change: ChangeRequest, actor) -> Document:
    """Issue the refusal (a decision like any other, with its remedy notice): the grant stays as it is."""
    requested = [_line_change(line, new_amount) for line, new_amount in change.line_changes()]
    if change.new_end_date:
        requested.insert(0, _("The grant period to end on %(new)s instead of %(old)s.") % {
            "new": _day(change.new_end_date), "old": _day(change.application.end_date)})  # fmt: skip
    return later_letter_issue(
        application=change.application, kind=Document.CHANGE_REFUSAL, actor=actor,
        requested=requested, occasion=_occasion(change), reasons=change.decision_note,
    )  # fmt: skip


def _occasion(change: ChangeRequest) -> str:
    return _("On your change request of %(date)s:") % {"date": _day(timezone.localdate(change.requested_at))}


def _line_change(line, new_amount: Decimal) -> str:
    return _("Cost line “%(line)s”: %(new)s instead of %(old)s.") % {
        "line": line.description, "new": format_euro(new_amount), "old": format_euro(line.amount)}  # fmt: skip


@transaction.atomic
def objection_record(*, application: Application, actor, received_on: dt.date, grounds: str) -> Objection:
    """Record an objection received by post or in person, checked against the appeal period."""
    _office(application, actor)
    lock_application(application)
    decision = selectors.latest_decision(application)
    if decision is None or decision.appeal_ends_on is None:
        raise ValidationError(_("There is no decision letter to object to."))
    if received_on > timezone.localdate():
        raise ValidationError(_("The date received cannot lie in the future."))
    if application.objections.filter(status=Objection.Status.OPEN).exists():
        raise ValidationError(_("An objection is already open."))
    in_time = received_on <= decision.appeal_ends_on and not application.appeal_waived_at
    objection = Objection.objects.create(
        application=application, decision=decision, received_on=received_on, in_time=in_time,
        grounds=grounds.strip(), recorded_by=actor,
    )  # fmt: skip
    audit(actor=actor, action="objection_record", obj=objection, application=application,
          after={"received_on": received_on, "in_time": in_time})  # fmt: skip
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, actor, remedy: bool, reasons: str, vote, presided_as: str = CHAIR,
                     new_amount: Decimal | None = None, new_conditions: str | None = None,
                     financing_type: str | None = None) -> Objection:  # fmt: skip
    """Carry out the steering group's decision, taken by the vote `vote` in its meeting: remedy
    (Abhilfe: an amendment letter with the new amount or conditions, or for a rejection a grant
    after all) or uphold the decision (Widerspruchsbescheid)."""
    objection = (
        Objection.objects.select_for_update(no_key=True, of=("self", "application", "decision"))
        .select_related("application__fund", "decision")
        .get(pk=objection.pk)
    )
    application = objection.application
    _require_vote(vote, objection=objection)
    lock_application(application)
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has already been decided."))
    if not reasons.strip():
        raise ValidationError(_("Give the reasons of the steering group."))
    objection.reasons, objection.decided_at = reasons.strip(), timezone.now()
    if remedy:
        if not objection.in_time:
            raise ValidationError(_("A late objection cannot be remedied here; uphold the decision."))
        if objection.decision.kind == Decision.REJECT:
            # The grant letter goes out the normal way (the process queues it) and names the remedy.
            objection.remedy_decision = _grant_on_objection(
                objection, actor, vote, presided_as=presided_as, amount=new_amount, conditions=new_conditions or "",
                financing_type=financing_type,
            )  # fmt: skip
        else:
            objection.letter = _remedy(objection, actor, new_amount, new_conditions)
        objection.status = Objection.Status.REMEDIED
        objection.new_amount, objection.new_conditions = new_amount, new_conditions or ""
    else:
        objection.status = Objection.Status.UPHELD
        objection.letter = later_letter_issue(
            application=application, kind=Document.OBJECTION_DECISION, actor=actor, objection=objection
        )
    objection.save(update_fields=["status", "reasons", "decided_at", "letter", "new_amount", "new_conditions",
                                  "remedy_decision"])  # fmt: skip
    audit(actor=actor, action="objection_decide", obj=objection, application=application,
          after={"status": objection.status, "new_amount": new_amount})  # fmt: skip
    return objection


def _grant_on_objection(objection: Objection, actor, vote, *, presided_as, amount, conditions: str,
                        financing_type) -> Decision:  # fmt: skip
    """Grant a rejected application after all: the financing plan, the commitment under the
    fiscal year's row lock (never beyond the money left) and the move to approved."""
    application = objection.application
    if not amount or amount <= 0:
        raise ValidationError(_("A remedy of a rejection grants an amount: enter it."))
    if amount > application.requested_amount:
        raise ValidationError(_("The grant cannot exceed the amount applied for."))
    recommendation = application.recommendations.first()
    financing_type = financing_type or (recommendation.financing_type if recommendation else FinancingType.GAP)
    now = timezone.now()
    plan = financing_plan(
        financing_type, total_costs=application.total_cost, own_funds=application.own_funds,
        own_work=application.own_work, third_party_funds=application.third_party_funds, amount=amount,
    )  # fmt: skip
    decision = Decision(
        application=application, kind=Decision.APPROVE, reasons=objection.reasons, conditions=conditions.strip(),
        decided_at=now, signed_by=actor, presided_as=presided_as, agenda_item=vote.agenda_item, motion=vote,
        **plan.decision_fields(),
    )  # fmt: skip
    year = lock_fiscal_year(application.fund, booking_year(timezone.localdate(now)))
    ledger_book(fiscal_year=year, application=application, kind=LedgerEntry.COMMIT, amount=plan.grant)
    decision.save()
    transition(application, "remedy", actor=actor)
    audit(actor=actor, action="decision_record", obj=decision, application=application,
          after={"kind": decision.kind, "amount": decision.amount, "objection": objection.pk})  # fmt: skip
    return decision


def _remedy(objection: Objection, actor, new_amount, new_conditions) -> Document:
    decision = Decision.objects.select_for_update(no_key=True).get(pk=objection.decision_id)
    application = objection.application
    described, fields = [], []
    if new_amount is not None and new_amount != decision.amount:
        if new_amount > application.requested_amount:
            raise ValidationError(_("The grant cannot exceed the amount applied for."))
        year = lock_fiscal_year(application.fund, timezone.localdate(decision.decided_at).year)
        difference = new_amount - decision.amount
        kind = LedgerEntry.COMMIT if difference > 0 else LedgerEntry.RELEASE
        ledger_book(fiscal_year=year, application=application, kind=kind, amount=abs(difference))
        plan = financing_plan(
            decision.financing_type, total_costs=application.total_cost, own_funds=application.own_funds,
            own_work=application.own_work, third_party_funds=application.third_party_funds, amount=new_amount,
        )  # fmt: skip
        described.append(_("The grant is %(new)s instead of %(old)s.") % {
            "new": format_euro(plan.grant), "old": format_euro(decision.amount)})  # fmt: skip
        for field, value in plan.decision_fields().items():
            setattr(decision, field, value)
            fields.append(field)
    if new_conditions is not None and new_conditions.strip() != decision.conditions.strip():
        described.append(_("The conditions now read: %(conditions)s") % {
            "conditions": new_conditions.strip() or _("none")})  # fmt: skip
        decision.conditions = new_conditions.strip()
        fields.append("conditions")
    if not described:
        raise ValidationError(_("Say what the remedy changes: the amount or the conditions."))
    decision.save(update_fields=fields)
    return later_letter_issue(
        application=application, kind=Document.AMENDMENT, actor=actor, changes=described,
        occasion=_("Your objection of %(date)s is remedied.") % {"date": _day(objection.received_on)},
        reasons=objection.reasons, report_due=application.report_due,
    )  # fmt: skip
