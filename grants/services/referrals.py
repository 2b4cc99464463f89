"""Objections and referred change requests before the steering group: the office puts them on
a meeting's agenda with its proposal as the first motion; the body votes on them like on an
application (grants/rules/steering.py), and closing the vote calls objection_decide or
change_decide. A motion to approve means remedy (or approve the change), one to reject means
uphold the decision (or refuse the change)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import AgendaItem, ChangeRequest, Decision, FinancingType, Meeting, MotionKind, Objection
from ..roles import OFFICE
from ..rules.steering import Outcome
from .applications import put_on_agenda
from .changes import APPROVE, REFUSE, change_decide, objection_decide
from .core import audit, lock_application, require_fund_role
from .ledger import booking_year, lock_fiscal_year


@transaction.atomic
def objection_schedule(*, objection: Objection, actor, meeting: Meeting, remedy: bool,
                       amount: Decimal | None = None, conditions: str = "") -> AgendaItem:  # fmt: skip
    """Put an open objection on a meeting's agenda, with the office's proposal as the first motion."""
    objection = (
        Objection.objects.select_for_update(no_key=True, of=("self", "decision", "application"))
        .select_related("decision", "application")
        .get(pk=objection.pk)
    )
    if objection.status != Objection.Status.OPEN:
        raise ValidationError(_("This objection has already been decided."))
    decision = objection.decision
    motion = {"kind": MotionKind.REJECT, "amount": Decimal("0.00"), "conditions": "",
              "financing_type": decision.financing_type or FinancingType.GAP}  # fmt: skip
    if remedy:
        if not objection.in_time:
            raise ValidationError(_("A late objection cannot be remedied; propose to uphold the decision."))
        if decision.kind == Decision.REJECT and not amount:
            raise ValidationError(_("A remedy of a rejection grants an amount: enter it."))
        motion.update(kind=MotionKind.APPROVE, amount=amount or decision.amount,
                      conditions=conditions.strip() or decision.conditions)  # fmt: skip
    return _schedule(objection.application, meeting, actor, motion, objection=objection)


@transaction.atomic
def change_schedule(*, change: ChangeRequest, actor, meeting: Meeting, approve: bool) -> AgendaItem:
    """Put a change request the office referred on a meeting's agenda, with its proposal as the first motion."""
    change = (
        ChangeRequest.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application")
        .get(pk=change.pk)
    )
    if change.status != ChangeRequest.Status.REFERRED:
        raise ValidationError(_("Only a change request referred to the steering group goes on its agenda."))
    motion = {"kind": MotionKind.APPROVE if approve else MotionKind.REJECT, "amount": Decimal("0.00")}
    return _schedule(change.application, meeting, actor, motion, change_request=change)


def _schedule(application, meeting: Meeting, actor, motion: dict, **referral) -> AgendaItem:
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office arranges the agenda."))
    lock_application(application)
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if meeting.fund_id != application.fund_id or meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Choose a meeting of the fund that is still to come."))
    if meeting.date < timezone.localdate():
        raise ValidationError(_("Choose a meeting of the fund that is still to come."))
    if AgendaItem.objects.filter(closed_at=None, **referral).exists():
        raise ValidationError(_("This is on a meeting's agenda already."))
    item = put_on_agenda(application, meeting, application.recommendations.first(), motion=motion, **referral)
    subject = {key: value.pk for key, value in referral.items()}
    audit(actor=actor, action="referral_schedule", obj=item, application=application,
          after={"meeting": meeting.date, **subject, "motion": motion})  # fmt: skip
    return item


def remedy_money(item: AgendaItem):
    """For a motion to remedy an objection: the fiscal year the money is booked in (locked) and
    the amount already granted, which the remedy only tops up. Precondition: in a transaction."""
    decision = item.objection.decision
    if decision.kind == Decision.REJECT:
        return lock_fiscal_year(item.meeting.fund, booking_year(timezone.localdate())), Decimal("0.00")
    return lock_fiscal_year(item.meeting.fund, timezone.localdate(decision.decided_at).year), decision.amount


def referral_decided(item: AgendaItem, motion, outcome: Outcome, *, actor, role: str, reasons: str, now) -> None:
    """Carry out what the body decided on a referral and close the item: remedy or uphold the
    objection, approve or refuse the change, or carry it to the meeting the body deferred it to.
    Preconditions: the item, its open motion and the application are locked."""
    approve = outcome == Outcome.APPROVE
    if outcome == Outcome.DEFER:
        target = motion.defer_to or selectors.next_meeting(
            item.meeting.fund, submitted_on=item.meeting.date, after=item.meeting.date + dt.timedelta(days=1)
        )
        referral = {"objection": item.objection} if item.objection_id else {"change_request": item.change_request}
        put_on_agenda(item.application, target, item.recommendation, motion={
            "kind": motion.kind, "amount": motion.amount, "financing_type": motion.financing_type,
            "conditions": motion.conditions}, **referral)  # fmt: skip
        item.outcome = AgendaItem.Outcome.DEFERRED
    elif item.objection_id:
        objection_decide(
            objection=item.objection, actor=actor, remedy=approve, reasons=reasons, vote=motion, presided_as=role,
            new_amount=motion.amount if approve else None, new_conditions=motion.conditions if approve else None,
            financing_type=motion.financing_type,
        )  # fmt: skip
        item.outcome = AgendaItem.Outcome.REMEDIED if approve else AgendaItem.Outcome.UPHELD
    else:
        change_decide(change=item.change_request, actor=actor, outcome=APPROVE if approve else REFUSE, note=reasons,
                      vote=motion)  # fmt: skip
        item.outcome = AgendaItem.Outcome.APPROVED if approve else AgendaItem.Outcome.REFUSED
    item.closed_at = now
    item.save(update_fields=["closed_at", "outcome"])
