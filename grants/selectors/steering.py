"""What the steering group's pages and services read: the agenda as a member sees it,
the motion before the body and its votes, who presides, what closing a vote would do."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Fund, Meeting, Motion
from ..roles import CHAIR, PRESIDING
from ..rules.steering import BodyRules, Outcome, Tally, item_outcome, presiding_role, reasons_required, vote_result
from .files import current_fiscal_year


def agenda_for_meeting(meeting) -> QuerySet[AgendaItem]:
    """The agenda with what a member sees: recommendation, motions, votes, conflicts; never bank data."""
    return (
        meeting.agenda_items.select_related(
            "application__organisation", "recommendation", "decision__signed_by", "decision__motion"
        )
        .prefetch_related(
            Prefetch("motions", queryset=Motion.objects.select_related("defer_to").prefetch_related("votes")),
            "conflicts__member",
        )
        .order_by("position")
    )


def presiding_roles(user, fund) -> set[str]:
    return set(fund.roles.filter(user=user, role__in=PRESIDING).values_list("role", flat=True))


def _chairs(fund) -> set[int]:
    return set(fund.roles.filter(role=CHAIR).values_list("user_id", flat=True))


def presiding_role_on(agenda_item, user) -> str | None:
    """The role in which the user presides over the item (chair, or deputy for a recused chair), if any."""
    recused = {conflict.member_id for conflict in agenda_item.conflicts.all()}
    return presiding_role(
        presiding_roles(user, agenda_item.meeting.fund),
        recused=user.pk in recused,
        chair_recused=bool(_chairs(agenda_item.meeting.fund) & recused),
    )


def agenda_for_member(meeting, user) -> list[AgendaItem]:
    """The agenda as one member sees it: the motion before the body, its votes so far,
    the member's own vote and recusal, and whether the member presides over the item."""
    held = presiding_roles(user, meeting.fund)
    chairs = _chairs(meeting.fund)
    items = list(agenda_for_meeting(meeting))
    for item in items:
        recused = {conflict.member_id for conflict in item.conflicts.all()}
        item.open_motion = open_motion(item)
        item.past_motions = [motion for motion in item.motions.all() if motion.result != Motion.Result.OPEN]
        item.i_am_recused = user.pk in recused
        item.presiding = presiding_role(held, recused=item.i_am_recused, chair_recused=bool(chairs & recused))
        item.counts = item.my_vote = None
        if item.open_motion:
            item.counts = motion_tally(item.open_motion, recused=len(recused))
            item.my_vote = next((v.choice for v in item.open_motion.votes.all() if v.member_id == user.pk), None)
    return items


@dataclass(frozen=True)
class VotePreview:
    """What closing the vote now would do, for the confirmation page."""

    motion: Motion | None
    tally: Tally | None = None
    outcome: Outcome | None = None
    result: str = ""
    reasons_required: bool = False
    suggested_reasons: str = ""
    available: Decimal | None = None


def vote_close_preview(agenda_item, user) -> VotePreview:
    motion = open_motion(agenda_item)
    if motion is None:
        return VotePreview(motion=None)
    fund = agenda_item.meeting.fund
    rules = BodyRules.of(fund)
    tally = motion_tally(motion, recused=agenda_item.conflicts.count(), presiding_member=user)
    year = current_fiscal_year(fund)
    available = year.available if year else Decimal("0.00")
    outcome, result = item_outcome(
        motion.kind, motion.amount, vote_result(motion.kind, motion.amount, tally, rules), rules=rules,
        available=available,
    )  # fmt: skip
    recommendation = agenda_item.recommendation
    # The office's reasoning is offered only where the body follows it, never for the opposite outcome.
    follows = outcome.value == recommendation.motion and not motion.amended
    return VotePreview(
        motion=motion,
        tally=tally,
        outcome=outcome,
        result=result,
        reasons_required=reasons_required(outcome, motion.amount, agenda_item.application.requested_amount),
        suggested_reasons=recommendation.reasoning if follows else "",
        available=available,
    )


def motion_initial(agenda_item, params) -> dict:
    """The motion form's starting values: the motion now before the body, or what a link suggests
    (?kind=approve&amount=1200.00, ?kind=defer&target=next_year, ?kind=reject)."""
    current = open_motion(agenda_item) or agenda_item.recommendation
    initial = {
        "kind": getattr(current, "kind", None) or current.motion,
        "amount": current.amount,
        "financing_type": current.financing_type,
        "conditions": current.conditions,
    }
    initial.update({key: params[key] for key in ("kind", "amount") if key in params})
    targets = defer_targets(agenda_item)
    if targets:
        initial["defer_to"] = (targets[-1] if params.get("target") == "next_year" else targets[0]).pk
    return initial


def next_meeting(fund: Fund, *, submitted_on: dt.date, after: dt.date | None = None) -> Meeting:
    """The first meeting whose cut-off the application met, on or after a day."""
    after = after or timezone.localdate()
    meeting = Meeting.objects.filter(fund=fund, cutoff__gte=submitted_on, date__gte=after).order_by("date").first()
    if meeting is None:
        raise ValidationError(_("No meeting is scheduled yet. Please ask the office to plan the meetings."))
    return meeting


def defer_targets(agenda_item) -> list[Meeting]:
    """Where an item can be deferred to: the next meeting, and the first one of the next fiscal year."""
    meeting = agenda_item.meeting
    later = Meeting.objects.filter(fund_id=meeting.fund_id, date__gt=meeting.date).order_by("date")
    targets = [later.first(), later.filter(date__year__gt=meeting.date.year).first()]
    return list(dict.fromkeys(target for target in targets if target is not None))


def open_motion(agenda_item) -> Motion | None:
    """The motion now before the body (uses the page's prefetch where there is one)."""
    return next((motion for motion in agenda_item.motions.all() if motion.result == Motion.Result.OPEN), None)


def motion_tally(motion: Motion, *, recused: int, presiding_member=None) -> Tally:
    """Count the votes on a motion (uses the page's prefetch where there is one)."""
    choices = [vote.choice for vote in motion.votes.all()]
    chair_vote = next(
        (v.choice for v in motion.votes.all() if presiding_member and v.member_id == presiding_member.pk), None
    )
    return Tally(
        yes=choices.count("yes"),
        no=choices.count("no"),
        abstain=choices.count("abstain"),
        recused=recused,
        chair_vote=chair_vote,
    )
