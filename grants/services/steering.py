"""The steering group decides: votes in a meeting in session, conflicts of interest, the motions
the chair puts, and closing a vote with what follows from it (grants/rules/steering.py). The
written procedure (circular.py) and the close of a meeting end in the same decision path."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import (
    AgendaItem,
    CircularBallot,
    ConflictDeclaration,
    ConflictFlag,
    Decision,
    FinancingType,
    Meeting,
    Motion,
    MotionKind,
    Vote,
)
from ..roles import CHAIR, DEPUTY_CHAIR, OFFICE, STEERING, has_fund_role
from ..rules.money import financing_plan
from ..rules.steering import (
    BodyRules,
    Outcome,
    is_amended,
    item_outcome,
    motion_problems,
    reasons_required,
    vote_result,
)
from .applications import put_on_agenda
from .core import audit, lock_application, tell_applicant, transition
from .ledger import ledger_book, lock_fiscal_year
from .referrals import referral_decided, remedy_money


@dataclass(frozen=True)
class VoteClosed:
    """What closing a vote did: the motion with its result, and the decision if the item ended."""

    motion: Motion
    decision: Decision | None


def lock_open_item(agenda_item: AgendaItem) -> AgendaItem:
    item = (
        AgendaItem.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("meeting__fund", "recommendation", "application")
        .get(pk=agenda_item.pk)
    )
    if item.closed_at is not None:
        raise ValidationError(_("The steering group has already decided on this item."))
    return item


def lock_open_motion(item: AgendaItem, *, required=True) -> Motion | None:
    motion = Motion.objects.select_for_update(no_key=True).filter(agenda_item=item, result=Motion.Result.OPEN).first()
    if motion is None and required:
        raise ValidationError(_("No motion is before the steering group on this item."))
    return motion


def presiding_as(item: AgendaItem, actor) -> str:
    """The role in which the actor presides over the item, or a German refusal."""
    role = selectors.presiding_role_on(item, actor)
    if role is None:
        raise ValidationError(
            _("Only the chair, or the deputy chair when the chair has declared a conflict, can do this.")
        )
    return role


def _require_in_session(item: AgendaItem) -> None:
    if item.meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Votes are taken only while the meeting is in session."))
    if item.opened_at is None:
        raise ValidationError(_("The chair has not called this item yet."))


def _require_voter(item: AgendaItem, member) -> None:
    if member.pk not in selectors.meeting_voters(item.meeting):
        if not has_fund_role(member, item.meeting.fund, *STEERING, voting=True):
            raise ValidationError(_("You have no voting right in this body."))
        raise ValidationError(_("Only members present in the meeting vote. Ask the chair to record your attendance."))
    if item.conflicts.filter(member=member).exists():
        raise ValidationError(_("You declared a conflict of interest and may not vote on this item."))


@transaction.atomic
def vote_cast(*, agenda_item: AgendaItem, member, choice: str, recorded_by=None) -> Vote:
    """Cast or change a member's vote on the motion before the body (the office may record it for them)."""
    item = lock_open_item(agenda_item)
    _require_in_session(item)
    _require_voter(item, member)
    if choice not in dict(Vote.CHOICES):
        raise ValidationError(_("Unknown vote."))
    motion = lock_open_motion(item)
    vote, _created = Vote.objects.update_or_create(
        motion=motion, member=member, defaults={"choice": choice, "recorded_by": recorded_by}
    )
    audit(actor=recorded_by or member, action="vote_cast", obj=vote, application=item.application,
          after={"choice": choice, "member": member.pk})  # fmt: skip
    return vote


@transaction.atomic
def votes_record(*, agenda_item: AgendaItem, actor, votes: dict) -> list[Vote]:
    """Record the votes of the room as the office: a choice for each member present."""
    if not has_fund_role(actor, agenda_item.meeting.fund, OFFICE):
        raise ValidationError(_("Only the office records the votes of the room."))
    return [vote_cast(agenda_item=agenda_item, member=member, choice=choice, recorded_by=actor)
            for member, choice in votes.items()]  # fmt: skip


@transaction.atomic
def conflict_declare(*, agenda_item: AgendaItem, member, reason: str) -> ConflictDeclaration:
    """Record a member's conflict of interest; a vote they cast on the open motion is withdrawn."""
    item = lock_open_item(agenda_item)
    if not has_fund_role(member, item.meeting.fund, *STEERING):
        raise ValidationError(_("You are not a member of this body."))
    Vote.objects.filter(motion__agenda_item=item, motion__result=Motion.Result.OPEN, member=member).delete()
    CircularBallot.objects.filter(procedure__agenda_item=item, procedure__result="open", member=member).delete()
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        agenda_item=item, member=member, defaults={"reason": reason}
    )
    ConflictFlag.objects.filter(agenda_item=item, member=member).update(
        status=ConflictFlag.Status.CONFIRMED, decided_at=timezone.now()
    )
    audit(actor=member, action="conflict_declare", obj=declaration, application=item.application,
          after={"reason": reason})  # fmt: skip
    return declaration


def close_motion(motion: Motion, result: str, *, actor, now, counts: dict) -> None:
    """Freeze a motion with its result and vote counts (yes, no, abstain, recused)."""
    motion.result = result
    motion.votes_yes, motion.votes_no = counts.get("yes", 0), counts.get("no", 0)
    motion.votes_abstain, motion.recused = counts.get("abstain", 0), counts.get("recused", 0)
    motion.closed_at, motion.closed_by = now, actor
    motion.save(update_fields=["result", "votes_yes", "votes_no", "votes_abstain", "recused", "closed_at", "closed_by"])


def _counts(tally) -> dict:
    return {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain, "recused": tally.recused}


@transaction.atomic
def motion_put(
    *,
    agenda_item: AgendaItem,
    actor,
    kind: str,
    amount: Decimal = Decimal("0.00"),
    financing_type: str = FinancingType.GAP,
    conditions: str = "",
    defer_to: Meeting | None = None,
) -> Motion:
    """Put a motion to the vote as presiding member: an amended or reduced approval, a
    rejection or a deferral. A motion still open is withdrawn, and its votes with it."""
    item = lock_open_item(agenda_item)
    presiding_as(item, actor)
    if item.circular_procedures.filter(result="open").exists():
        raise ValidationError(_("A written procedure is running on this item; wait for its result."))
    if defer_to is not None and (defer_to.fund_id != item.meeting.fund_id or defer_to.date <= item.meeting.date):
        raise ValidationError(_("An item can only be deferred to a later meeting of the same body."))
    problems = motion_problems(kind, amount, requested=item.application.requested_amount, defer_to=defer_to,
                               needs_amount=item.change_request_id is None)  # fmt: skip
    if problems:
        raise ValidationError(problems)
    if kind != MotionKind.APPROVE or item.change_request_id:
        amount, conditions = Decimal("0.00"), ""
    previous = lock_open_motion(item, required=False)
    if previous is not None:
        tally = selectors.motion_tally(previous, recused=set(item.conflicts.values_list("member_id", flat=True)))
        close_motion(previous, Motion.Result.WITHDRAWN, actor=actor, now=timezone.now(), counts=_counts(tally))
    values = {"kind": kind, "amount": amount, "financing_type": financing_type, "conditions": conditions}
    motion = Motion.objects.create(
        agenda_item=item,
        defer_to=defer_to if kind == MotionKind.DEFER else None,
        amended=is_amended(values, item.recommendation),
        put_by=actor,
        **values,
    )
    audit(actor=actor, action="motion_put", obj=motion, application=item.application,
          after={**values, "amended": motion.amended, "defer_to": defer_to and defer_to.date})  # fmt: skip
    return motion


@transaction.atomic
def vote_close(*, agenda_item: AgendaItem, actor, reasons: str = "") -> VoteClosed:
    """Close the vote on the open motion as presiding member and record what follows.

    Precondition: the meeting is in session and the item called, with an open motion. An
    approval books its commitment under the fiscal year's row lock, so two approvals cannot
    spend the same money; one that finds too little left leaves the item open for the chair."""
    item = lock_open_item(agenda_item)
    role = presiding_as(item, actor)
    _require_in_session(item)
    application = lock_application(item.application)
    motion = lock_open_motion(item)
    rules = BodyRules.of(item.meeting.fund)
    recused = set(item.conflicts.values_list("member_id", flat=True))
    tally = selectors.motion_tally(
        motion, recused=recused, voters=selectors.meeting_voters(item.meeting), presiding_member=actor
    )
    now = timezone.now()
    fiscal_year, granted = None, Decimal("0.00")
    if motion.kind == MotionKind.APPROVE and item.objection_id:
        fiscal_year, granted = remedy_money(item)
    elif motion.kind == MotionKind.APPROVE and not item.change_request_id:
        fiscal_year = lock_fiscal_year(item.meeting.fund, timezone.localdate(now).year)
    outcome, result = item_outcome(
        motion.kind,
        motion.amount,
        vote_result(motion.kind, motion.amount, tally, rules),
        rules=rules,
        available=fiscal_year.available + granted if fiscal_year else Decimal("0.00"),
    )
    required = reasons_required(outcome, motion.amount, application.requested_amount, referral=item.is_referral)
    if required and not reasons.strip():
        raise ValidationError(_("Enter the steering group's reasons: the letter states them."))
    close_motion(motion, result, actor=actor, now=now, counts=_counts(tally))
    audit(actor=actor, action="vote_close", obj=motion, application=application,
          after={"result": result, "present": tally.present, **_counts(tally)})  # fmt: skip
    decision = None
    if outcome != Outcome.OPEN and item.is_referral:
        referral_decided(item, motion, outcome, actor=actor, role=role, reasons=reasons, now=now)
    elif outcome != Outcome.OPEN:
        decision = record_decision(item, motion, outcome, actor=actor, role=role, reasons=reasons,
                                   now=now, fiscal_year=fiscal_year)  # fmt: skip
    return VoteClosed(motion=motion, decision=decision)


def record_decision(item, motion, outcome: Outcome, *, actor, role, reasons, now, fiscal_year) -> Decision:
    """Record the body's decision on an item and carry it out: commit the money and approve,
    reject, or defer to the meeting named. Preconditions: the item and fiscal year are locked."""
    application = item.application
    decision = Decision(
        application=application,
        agenda_item=item,
        motion=motion,
        kind=outcome.value,
        reasons=reasons.strip(),
        decided_at=now,
        signed_by=actor,
        presided_as=role,
    )
    if outcome == Outcome.APPROVE:
        _approve(decision, motion, fiscal_year, actor=actor)
    elif outcome == Outcome.REJECT:
        transition(application, "reject", actor=actor)
    else:
        _defer(decision, item, motion, actor=actor)
    decision.save()
    item.closed_at = now
    item.save(update_fields=["closed_at"])
    audit(actor=actor, action="decision_record", obj=decision, application=application,
          after={"kind": decision.kind, "amount": decision.amount, "presided_as": role})  # fmt: skip
    if decision.kind == Decision.DEFER:
        tell_applicant(
            application,
            "decision_deferred",
            key=f"deferred:{decision.pk}",
            meeting_date=application.meeting.date,
            reason=decision.reasons,
        )
    return decision


def defer_undecided(item: AgendaItem, *, actor) -> Decision | None:
    """Send an item the body did not decide before the meeting closed to the next meeting."""
    item = lock_open_item(item)
    lock_application(item.application)
    motion = lock_open_motion(item)
    now = timezone.now()
    close_motion(motion, Motion.Result.NOT_DEALT_WITH, actor=actor, now=now, counts={})
    role = CHAIR if CHAIR in selectors.presiding_roles(actor, item.meeting.fund) else DEPUTY_CHAIR
    if item.is_referral:
        return referral_decided(item, motion, Outcome.DEFER, actor=actor, role=role, reasons="", now=now)
    return record_decision(item, motion, Outcome.DEFER, actor=actor, role=role, reasons="", now=now,
                           fiscal_year=None)  # fmt: skip


def _approve(decision: Decision, motion: Motion, fiscal_year, *, actor) -> None:
    application = decision.application
    plan = financing_plan(
        motion.financing_type,
        total_costs=application.total_cost,
        own_funds=application.own_funds,
        own_work=application.own_work,
        third_party_funds=application.third_party_funds,
        amount=motion.amount,
    )
    for field, value in plan.decision_fields().items():
        setattr(decision, field, value)
    decision.conditions = motion.conditions
    ledger_book(fiscal_year=fiscal_year, application=application, kind="commit", amount=plan.grant)
    transition(application, "approve", actor=actor)


DEFER_REASONS = {
    Motion.Result.NO_QUORUM: gettext_lazy("The quorum was not reached."),
    Motion.Result.NOT_DEALT_WITH: gettext_lazy("The meeting closed before the item was dealt with."),
}


def _defer(decision: Decision, item: AgendaItem, motion: Motion, *, actor) -> None:
    reason = DEFER_REASONS.get(motion.result, _("The steering group deferred its decision."))
    decision.reasons = "\n\n".join(filter(None, [str(reason), decision.reasons]))
    target = motion.defer_to or selectors.next_meeting(
        item.meeting.fund, submitted_on=item.meeting.date, after=item.meeting.date + dt.timedelta(days=1)
    )
    transition(decision.application, "defer", actor=actor, meeting=target)
    put_on_agenda(decision.application, target, item.recommendation)
