"""What the steering group's pages and services read: the agenda as a member sees it,
the motion before the body and its votes, who presides, what closing a vote would do."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    AgendaItem,
    CircularBallot,
    CircularProcedure,
    ConflictDeclaration,
    ConflictFlag,
    Decision,
    Document,
    Fund,
    Meeting,
    MemberTie,
    Motion,
    Organisation,
)
from ..roles import CHAIR, PRESIDING, STEERING, fund_roles_held
from ..rules.steering import BodyRules, Outcome, Tally, item_outcome, presiding_role, reasons_required, vote_result
from .files import current_fiscal_year


def agenda_for_meeting(meeting) -> QuerySet[AgendaItem]:
    """The agenda with what a member sees: recommendation, motions, votes, conflicts; never bank data.

    The related rows come as plain lists (`to_attr`): a prefetch into the related managers would
    build a queryset per item and relation: a quarter of the agenda's cost."""
    motions = Motion.objects.select_related("defer_to").prefetch_related(Prefetch("votes", to_attr="vote_list"))
    return (
        meeting.agenda_items.select_related(
            "application__organisation",
            "recommendation",
            "decision__signed_by",
            "decision__motion",
            "objection",
            "change_request",
        )
        .prefetch_related(
            Prefetch("motions", queryset=motions, to_attr="motion_list"),
            Prefetch(
                "conflicts", queryset=ConflictDeclaration.objects.only("agenda_item", "member"), to_attr="conflict_list"
            ),
            Prefetch("conflict_flags", queryset=ConflictFlag.objects.select_related("member", "tie"), to_attr="flags"),
            Prefetch(
                "circular_procedures",
                queryset=CircularProcedure.objects.filter(result="open"),
                to_attr="open_circulars",
            ),
        )
        .order_by("position")
    )


def presiding_roles(user, fund) -> set[str]:
    return fund_roles_held(user, fund, PRESIDING)


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
    """The agenda as one member sees it: the motion before the body, its votes so far, the
    member's own vote, recusal and flags from standing declarations, whether the member may
    vote now, and whether the member presides over the item."""
    held = presiding_roles(user, meeting.fund)
    chairs = _chairs(meeting.fund)
    voters = meeting_voters(meeting)
    in_session = meeting.status == Meeting.Status.OPEN
    items = list(agenda_for_meeting(meeting))
    for item in items:
        recused = {conflict.member_id for conflict in item.conflict_list}
        item.open_motion = next((motion for motion in item.motion_list if motion.result == Motion.Result.OPEN), None)
        item.past_motions = [motion for motion in item.motion_list if motion.result != Motion.Result.OPEN]
        item.i_am_recused = user.pk in recused
        item.presiding = presiding_role(held, recused=item.i_am_recused, chair_recused=bool(chairs & recused))
        item.my_flag = next((flag for flag in item.flags if flag.member_id == user.pk), None)
        item.circular = item.open_circulars[0] if item.open_circulars else None
        item.counts = item.my_vote = None
        item.may_vote = (
            in_session and item.opened_at and not item.closed_at and user.pk in voters and not item.i_am_recused
        )
        if item.open_motion:
            votes = item.open_motion.vote_list
            item.counts = motion_tally(item.open_motion, recused=recused, voters=voters, votes=votes)
            item.my_vote = next((vote.choice for vote in votes if vote.member_id == user.pk), None)
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
    recused = set(agenda_item.conflicts.values_list("member_id", flat=True))
    tally = motion_tally(motion, recused=recused, voters=meeting_voters(agenda_item.meeting), presiding_member=user)
    year = current_fiscal_year(fund)
    available = year.available if year else Decimal("0.00")
    outcome, result = item_outcome(
        motion.kind, motion.amount, vote_result(motion.kind, motion.amount, tally, rules), rules=rules,
        available=available,
    )  # fmt: skip
    recommendation = agenda_item.recommendation
    # The office's reasoning is offered only where the body follows it, never for the opposite outcome.
    follows = outcome.value == recommendation.motion and not motion.amended and not agenda_item.is_referral
    return VotePreview(
        motion=motion,
        tally=tally,
        outcome=outcome,
        result=result,
        reasons_required=reasons_required(
            outcome, motion.amount, agenda_item.application.requested_amount, referral=agenda_item.is_referral
        ),
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
    """The first meeting still to be held whose cut-off the application met, on or after a day."""
    after = after or timezone.localdate()
    meetings = Meeting.objects.filter(fund=fund, cutoff__gte=submitted_on, date__gte=after).exclude(
        status=Meeting.Status.CLOSED
    )
    meeting = meetings.order_by("date").first()
    if meeting is None:
        raise ValidationError(_("No meeting is scheduled yet. Please ask the office to plan the meetings."))
    return meeting


def move_targets(meeting) -> list[Meeting]:
    """The planned meetings still to come that the office can move an item of `meeting` to."""
    if meeting.status != Meeting.Status.PLANNED:
        return []
    later = Meeting.objects.filter(fund_id=meeting.fund_id, status=Meeting.Status.PLANNED,
                                   date__gte=timezone.localdate()).exclude(pk=meeting.pk)  # fmt: skip
    return list(later.order_by("date")[:12])


def meetings_ahead(fund) -> QuerySet[Meeting]:
    """The fund's planned meetings still to come, for putting an objection or a change on the agenda."""
    return Meeting.objects.filter(fund=fund, status=Meeting.Status.PLANNED, date__gte=timezone.localdate()).order_by(
        "date"
    )


def defer_targets(agenda_item) -> list[Meeting]:
    """Where an item can be deferred to: the next meeting, and the first one of the next fiscal year."""
    meeting = agenda_item.meeting
    later = Meeting.objects.filter(fund_id=meeting.fund_id, date__gt=meeting.date).order_by("date")
    targets = [later.first(), later.filter(date__year__gt=meeting.date.year).first()]
    return list(dict.fromkeys(target for target in targets if target is not None))


def open_motion(agenda_item) -> Motion | None:
    """The motion now before the body (uses the page's prefetch where there is one)."""
    return next((motion for motion in agenda_item.motions.all() if motion.result == Motion.Result.OPEN), None)


def meeting_voters(meeting) -> set[int]:
    """Who votes in a meeting: the members with a voting right who are present, and the deputies
    present who stand in for an absent one (uses the page's prefetch where there is one)."""
    with_vote = {role.user_id for role in meeting.fund.roles.all() if role.role in STEERING and role.has_vote}
    return {
        attendance.member_id
        for attendance in meeting.attendance.all()
        if attendance.member_id in with_vote or attendance.stands_in_for_id in with_vote
    }


def motion_tally(
    motion: Motion, *, recused: set[int], voters: set[int] = frozenset(), presiding_member=None, votes=None
) -> Tally:
    """Count the votes on a motion (`votes` if the caller has read them, else the page's prefetch
    where there is one). Present are the voters of the meeting who are not recused."""
    votes = list(motion.votes.all()) if votes is None else votes
    choices = [vote.choice for vote in votes]
    chair_vote = next((v.choice for v in votes if presiding_member and v.member_id == presiding_member.pk), None)
    return Tally(
        yes=choices.count("yes"),
        no=choices.count("no"),
        abstain=choices.count("abstain"),
        recused=len(recused),
        present=len(set(voters) - set(recused)),
        chair_vote=chair_vote,
    )


def circulars_due() -> list:
    """Written procedures still running after their deadline, or after every member answered (the
    last answer closes the procedure at once; this finds one whose close did not go through)."""
    unanswered = CircularBallot.objects.filter(procedure=OuterRef("pk"), choice="")
    return list(
        CircularProcedure.objects.filter(result="open").filter(Q(deadline__lte=timezone.now()) | ~Exists(unanswered))
    )


def circulars_to_remind() -> list:
    """Written procedures whose reminder is due: their deadline is near, and nobody was reminded of
    this deadline yet (never, or only of a deadline the chair has moved since)."""
    soon = timezone.now() + dt.timedelta(hours=settings.CIRCULAR_REMINDER_HOURS)
    not_reminded = Q(reminded_for=None) | ~Q(reminded_for=F("deadline"))
    return list(CircularProcedure.objects.filter(not_reminded, result="open", deadline__lte=soon))


def agenda_papers(meeting) -> list:
    """The agenda for the meeting papers: each item with its application, costs and recommendation,
    and for an objection or a change request what it asks and the office's proposal."""
    return list(
        meeting.agenda_items.select_related(
            "application__organisation", "recommendation", "objection__decision", "change_request"
        )
        .prefetch_related("application__cost_lines", "application__aims", "motions")
        .order_by("position")
    )


def minutes_facts(meeting) -> dict:
    """What the minutes record: who attended (and for whom), every item with its motions, votes,
    recusals by name and outcome, and the written procedures closed since the last meeting."""
    attendance = list(meeting.attendance.select_related("member", "stands_in_for"))
    present = {row.member_id for row in attendance}
    body = list(meeting.fund.roles.filter(role__in=STEERING).select_related("user").order_by("user__last_name"))
    absent = [role for role in body if role.user_id not in present and role.has_vote]
    items = list(
        meeting.agenda_items.select_related(
            "application__organisation", "decision", "decision__signed_by", "objection", "change_request"
        )
        .prefetch_related("motions", "conflicts__member")
        .order_by("position")
    )
    previous = Meeting.objects.filter(fund=meeting.fund, date__lt=meeting.date).order_by("-date").first()
    circulars = CircularProcedure.objects.filter(
        agenda_item__meeting__fund=meeting.fund,
        closed_at__isnull=False,
        closed_at__date__gt=previous.date if previous else dt.date.min,
        closed_at__date__lte=meeting.date,
    ).select_related("agenda_item__application", "motion")
    return {"attendance": attendance, "absent": absent, "items": items, "circulars": list(circulars)}


def meetings_to_invite(today: dt.date) -> list:
    """Planned meetings within their fund's invitation period that have items and no invitation yet."""
    candidates = (
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED, invited_at=None, date__gte=today, agenda_items__isnull=False
        )
        .select_related("fund")
        .distinct()
    )
    return [meeting for meeting in candidates if (meeting.date - today).days <= meeting.fund.invitation_days]


def ballots_of(user) -> QuerySet:
    """A member's written-procedure ballots, the open ones first."""
    return (
        CircularBallot.objects.filter(member=user)
        .select_related("procedure__agenda_item__application__organisation", "procedure__motion")
        .order_by("-procedure__result", "-procedure__started_at")
    )


def ties_of(user) -> QuerySet:
    return MemberTie.objects.filter(member=user).select_related("fund", "organisation").order_by("organisation__name")


def open_flags_of(user) -> QuerySet:
    return ConflictFlag.objects.filter(member=user, status="open", agenda_item__closed_at=None).select_related(
        "agenda_item__application", "agenda_item__meeting", "tie"
    )


def tie_candidates(user) -> QuerySet:
    """Organisations a member may declare a tie to: those applying to the member's funds."""
    funds = user.fund_roles.filter(role__in=STEERING).values("fund")
    return Organisation.objects.filter(applications__fund__in=funds).distinct().order_by("name")


def letter_progress(meeting) -> dict:
    """How far the decision letters of a meeting are: decided, filed, e-mailed, failed (counts only)."""
    from notifications.models import Notification

    letters = Document.objects.filter(decision__agenda_item__meeting=meeting, supersedes=None,
                                      kind__in=[Document.APPROVAL, Document.REJECTION])  # fmt: skip
    mails = Notification.objects.filter(document__in=letters, template="decision_letter")
    total = Decision.objects.filter(agenda_item__meeting=meeting).count()
    sent = mails.filter(status=Notification.SENT).values("document").distinct().count()
    return {
        "total": total,
        "filed": letters.count(),
        "sent": sent,
        "failed": mails.filter(status=Notification.FAILED).count(),
        "done": sent >= total,
        "percent": round(100 * sent / total) if total else 100,
    }
