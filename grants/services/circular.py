"""The written procedure (Umlaufverfahren) for urgent cases between meetings: the chair starts it
on an item's motion with a deadline; every member with a vote gets a ballot in their inbox and
an e-mail; any objection sends the item to the meeting; adoption needs a majority of all voting
members. It ends when everyone has answered or at the deadline."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from ..models import CircularBallot, CircularProcedure, Meeting, Motion, MotionKind
from ..roles import STEERING
from ..rules.steering import BodyRules, Outcome, circular_result, item_outcome, reasons_required
from .core import audit, lock_application
from .ledger import lock_fiscal_year
from .steering import VoteClosed, close_motion, lock_open_item, lock_open_motion, presiding_as, record_decision


@transaction.atomic
def circular_start(*, agenda_item, actor, deadline: dt.datetime, reasons: str = "") -> CircularProcedure:
    """Put the item's motion to a written vote as chair, answers due by the deadline."""
    item = lock_open_item(agenda_item)
    presiding_as(item, actor)
    if item.meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("A written procedure takes place between meetings, not during one."))
    if item.is_referral:
        raise ValidationError(_("Objections and change requests are decided in the meeting."))
    if item.circular_procedures.filter(result=CircularProcedure.Result.OPEN).exists():
        raise ValidationError(_("A written procedure is already running on this item."))
    motion = lock_open_motion(item)
    if motion.kind == MotionKind.DEFER:
        raise ValidationError(_("A deferral is not put to a written vote."))
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline must lie in the future."))
    outcome = Outcome(motion.kind)
    if reasons_required(outcome, motion.amount, item.application.requested_amount) and not reasons.strip():
        raise ValidationError(_("Enter the reasons the letter states if the motion is adopted."))
    procedure = CircularProcedure.objects.create(
        agenda_item=item, motion=motion, started_by=actor, deadline=deadline, reasons=reasons.strip()
    )
    recused = set(item.conflicts.values_list("member_id", flat=True))
    voters = item.meeting.fund.roles.filter(role__in=STEERING, has_vote=True).exclude(user_id__in=recused)
    context = {"deadline": deadline, "title": item.application.title}
    for member_id in sorted(set(voters.values_list("user_id", flat=True))):
        ballot = CircularBallot.objects.create(procedure=procedure, member_id=member_id)
        notify("circular_started", emails=[ballot.member.email], dedupe_key=f"circular:{ballot.pk}",
               application=item.application, context=context)  # fmt: skip
    audit(actor=actor, action="circular_start", obj=procedure, application=item.application,
          after={"deadline": deadline, "motion": motion.pk})  # fmt: skip
    return procedure


@transaction.atomic
def circular_ballot_cast(*, ballot: CircularBallot, member, choice: str) -> CircularBallot:
    """Answer one's ballot: yes, no, abstain, or object to the written procedure."""
    ballot = (
        CircularBallot.objects.select_for_update(no_key=True, of=("self", "procedure", "procedure__agenda_item"))
        .select_related("procedure__agenda_item")
        .get(pk=ballot.pk)
    )
    if ballot.member_id != member.pk:
        raise ValidationError(_("This is not your ballot."))
    procedure = ballot.procedure
    if procedure.result != CircularProcedure.Result.OPEN or procedure.deadline <= timezone.now():
        raise ValidationError(_("The written procedure has ended."))
    if choice not in dict(CircularBallot.CHOICES):
        raise ValidationError(_("Unknown vote."))
    ballot.choice, ballot.cast_at = choice, timezone.now()
    ballot.save(update_fields=["choice", "cast_at"])
    audit(actor=member, action="circular_ballot_cast", obj=ballot, application=procedure.agenda_item.application,
          after={"choice": choice})  # fmt: skip
    return ballot


def circular_complete(procedure: CircularProcedure) -> bool:
    """Whether the procedure can end now: everyone answered, or the deadline passed."""
    if procedure.result != CircularProcedure.Result.OPEN:
        return False
    return procedure.deadline <= timezone.now() or not procedure.ballots.filter(choice="").exists()


@transaction.atomic
def circular_close(*, procedure: CircularProcedure) -> VoteClosed:
    """End the written procedure and record what follows: the body's decision when adopted
    (in the chair's name), otherwise the item stays for the meeting. Safe to run twice."""
    procedure = CircularProcedure.objects.select_for_update(no_key=True).get(pk=procedure.pk)
    item = lock_open_item(procedure.agenda_item)
    motion = lock_open_motion(item)
    if procedure.result != CircularProcedure.Result.OPEN or motion.pk != procedure.motion_id:
        return VoteClosed(motion=motion, decision=None)
    lock_application(item.application)
    rules = BodyRules.of(item.meeting.fund)
    ballots = list(procedure.ballots.all())
    counts = Counter(ballot.choice for ballot in ballots if ballot.choice)
    result = circular_result(counts, voters=len(ballots), kind=motion.kind, amount=motion.amount, rules=rules)
    now = timezone.now()
    procedure.result, procedure.closed_at = result, now
    procedure.save(update_fields=["result", "closed_at"])
    adopted = result == CircularProcedure.Result.ADOPTED
    # The fiscal year before the audit chain: the lock order of every service (services.core.audit).
    fiscal_year = (
        lock_fiscal_year(item.meeting.fund, timezone.localdate(now).year)
        if adopted and motion.kind == MotionKind.APPROVE
        else None
    )
    audit(actor=None, action="circular_close", obj=procedure, application=item.application,
          after={"result": result, **counts})  # fmt: skip
    if not adopted:
        return VoteClosed(motion=motion, decision=None)  # the meeting decides
    outcome, motion_result = item_outcome(
        motion.kind, motion.amount, Motion.Result.ADOPTED, rules=rules,
        available=fiscal_year.available if fiscal_year else Decimal("0.00"),
    )  # fmt: skip
    tally = {"yes": counts["yes"], "no": counts["no"], "abstain": counts["abstain"], "recused": item.conflicts.count()}
    close_motion(motion, motion_result, actor=procedure.started_by, now=now, counts=tally)
    if outcome == Outcome.OPEN:  # adopted, but the money is no longer there: the meeting decides
        return VoteClosed(motion=motion, decision=None)
    decision = record_decision(item, motion, outcome, actor=procedure.started_by, role="chair",
                               reasons=procedure.reasons, now=now, fiscal_year=fiscal_year)  # fmt: skip
    return VoteClosed(motion=motion, decision=decision)


@transaction.atomic
def circular_deadline_move(*, procedure: CircularProcedure, actor, deadline: dt.datetime) -> CircularProcedure:
    """Move the deadline of a running written procedure as chair; the members who have not
    answered are reminded again before the new deadline (circular_remind)."""
    procedure = (
        CircularProcedure.objects.select_for_update(no_key=True, of=("self", "agenda_item"))
        .select_related("agenda_item")
        .get(pk=procedure.pk)
    )
    presiding_as(procedure.agenda_item, actor)
    if procedure.result != CircularProcedure.Result.OPEN:
        raise ValidationError(_("The written procedure has ended."))
    if deadline <= timezone.now():
        raise ValidationError(_("The deadline must lie in the future."))
    before, procedure.deadline = procedure.deadline, deadline
    procedure.save(update_fields=["deadline"])
    audit(actor=actor, action="circular_deadline_move", obj=procedure, application=procedure.agenda_item.application,
          before={"deadline": before}, after={"deadline": deadline})  # fmt: skip
    return procedure


@transaction.atomic
def circular_remind(*, procedure: CircularProcedure) -> int:
    """Remind the members who have not answered, once per deadline, when the reminder moment
    before it has come; the number reminded. Safe to run twice."""
    procedure = CircularProcedure.objects.select_for_update(no_key=True).get(pk=procedure.pk)
    now = timezone.now()
    if (
        procedure.result != CircularProcedure.Result.OPEN
        or procedure.reminded_for == procedure.deadline
        or not procedure.deadline - reminder_due_before() <= now < procedure.deadline
    ):
        return 0
    silent = procedure.ballots.filter(choice="").select_related("member")
    deadline = procedure.deadline
    for ballot in silent:
        notify("circular_reminder", emails=[ballot.member.email],
               dedupe_key=f"circular-reminder:{ballot.pk}:{deadline.isoformat()}",
               application=procedure.agenda_item.application,
               context={"deadline": deadline, "title": procedure.agenda_item.application.title})  # fmt: skip
    procedure.reminded_at, procedure.reminded_for = now, deadline
    procedure.save(update_fields=["reminded_at", "reminded_for"])
    audit(actor=None, action="circular_remind", obj=procedure, application=procedure.agenda_item.application,
          after={"deadline": deadline, "reminded": len(silent)})  # fmt: skip
    return len(silent)


def reminder_due_before() -> dt.timedelta:
    return dt.timedelta(hours=settings.CIRCULAR_REMINDER_HOURS)
