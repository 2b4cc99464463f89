"""Reads. Those taking a user carry object-level permissions: every page loads its
objects through them, so another organisation's or fund's object is simply not
found (404). The others gather the facts that rules and services work on."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    AgendaItem,
    Application,
    BankAccountChange,
    Decision,
    Document,
    FiscalYear,
    Fund,
    Meeting,
    Motion,
    Organisation,
)
from .roles import CHAIR, OFFICE, PRESIDING, STEERING, has_fund_role
from .rules import dates, submission
from .rules.money import quotes_required
from .rules.steering import BodyRules, Outcome, Tally, item_outcome, presiding_role, reasons_required, vote_result
from .rules.submission import DraftFacts
from .status import Status

RUNNING_GRANT = [Status.APPROVED, Status.PAID, Status.REPORTED]

# Scoped to a user ---------------------------------------------------------------


def _office_funds(user):
    return user.fund_roles.filter(role=OFFICE).values("fund")


def _steering_funds(user):
    return user.fund_roles.filter(role__in=STEERING).values("fund")


def open_funds() -> QuerySet[Fund]:
    return Fund.objects.filter(accepts_applications=True).order_by("name")


def organisations_of(user) -> QuerySet[Organisation]:
    return user.organisations.order_by("name")


def organisation_for_member(user, pk) -> Organisation:
    return get_object_or_404(organisations_of(user), pk=pk)


def applications_for_applicant(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation__members=user)
        .select_related("fund", "organisation", "meeting")
        .order_by("-created")
    )


def application_for_applicant(user, pk) -> Application:
    return get_object_or_404(applications_for_applicant(user).prefetch_related("cost_lines", "aims"), pk=pk)


def application_for_staff(user, pk) -> Application:
    """An application for the office of its fund, or for its steering group once on an agenda."""
    visible = Q(fund__in=_office_funds(user)) | Q(fund__in=_steering_funds(user), agenda_items__isnull=False)
    queryset = Application.objects.filter(visible).distinct().select_related("fund", "organisation", "meeting")
    return get_object_or_404(queryset.prefetch_related("cost_lines", "aims", "recommendations"), pk=pk)


def meetings_for_steering(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(fund__in=_steering_funds(user)).select_related("fund")


def meeting_calendar(user) -> QuerySet[Meeting]:
    """Upcoming meetings, and past ones that had items, with their item counts."""
    return (
        meetings_for_steering(user)
        .annotate(item_count=Count("agenda_items"))
        .filter(Q(date__gte=timezone.localdate()) | Q(item_count__gt=0))
        .order_by("date")
    )


def meeting_for_steering(user, pk) -> Meeting:
    return get_object_or_404(meetings_for_steering(user), pk=pk)


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


def agenda_item_for_steering(user, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__fund__in=_steering_funds(user)).select_related(
            "meeting__fund", "application", "recommendation"
        ),
        pk=pk,
    )


def document_for_user(user, pk) -> Document:
    visible = Q(application__organisation__members=user) | Q(application__fund__in=_office_funds(user))
    return get_object_or_404(Document.objects.filter(visible).distinct().select_related("application"), pk=pk)


def document_for_office(user, pk) -> Document:
    return get_object_or_404(
        Document.objects.filter(application__fund__in=_office_funds(user)).select_related(
            "application__fund", "decision"
        ),
        pk=pk,
    )


def bank_changes_for_office(user) -> QuerySet[BankAccountChange]:
    """Pending bank account changes of organisations with a running grant in the user's funds."""
    organisations = Application.objects.filter(fund__in=_office_funds(user), status__in=RUNNING_GRANT).values(
        "organisation"
    )
    return (
        BankAccountChange.objects.filter(status=BankAccountChange.Status.PENDING, organisation__in=organisations)
        .select_related("organisation", "requested_by")
        .order_by("requested_at")
    )


def pending_bank_change(organisation) -> BankAccountChange | None:
    return organisation.bank_changes.filter(status=BankAccountChange.Status.PENDING).first()


def bank_change_for_office(user, pk) -> BankAccountChange:
    return get_object_or_404(bank_changes_for_office(user), pk=pk)


def is_office(user, fund) -> bool:
    return has_fund_role(user, fund, OFFICE)


def can_vote(user, meeting) -> bool:
    return has_fund_role(user, meeting.fund, *STEERING, voting=True)


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


# Facts for the rules ------------------------------------------------------------


def draft_facts(application: Application) -> DraftFacts:
    lines = list(application.cost_lines.all())
    return DraftFacts(
        cost_lines=len(lines),
        total_cost=application.total_cost,
        financing_total=application.financing_total,
        requested_amount=application.requested_amount,
        start_date=application.start_date,
        end_date=application.end_date,
        aims=application.aims.count(),
        declarations=(
            application.declared_not_started,
            application.declared_no_double_funding,
            application.declared_truthful,
            application.declared_privacy,
        ),
    )


def submission_problems(application: Application) -> list[str]:
    return submission.submission_problems(draft_facts(application))


def application_notices(application: Application) -> list[str]:
    """The cap, the quotes needed and a start before the decision, for everyone who reads the file."""
    fund = application.fund
    total_cost = application.total_cost
    return submission.notices(
        requested=application.requested_amount,
        total_cost=total_cost,
        cap=fund.cap,
        special_majority=(fund.special_majority_numerator, fund.special_majority_denominator),
        quotes=quotes_required(total_cost, one_up_to=fund.one_quote_up_to, two_up_to=fund.two_quotes_up_to),
        start_date=application.start_date,
        meeting_date=application.meeting.date if application.meeting else None,
    )


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


def current_fiscal_year(fund: Fund) -> FiscalYear | None:
    """The fiscal year an approval made today is booked against."""
    return FiscalYear.objects.filter(fund=fund, year=timezone.localdate().year).first()


def latest_decision(application: Application) -> Decision | None:
    """The decision that ended the steering group's work on the application (not a deferral)."""
    return application.decisions.exclude(kind=Decision.DEFER).select_related("motion", "signed_by").first()


def documents_of(application: Application) -> QuerySet[Document]:
    """The application's letters with what marks a correction, in one query."""
    return application.documents.select_related("supersedes", "superseded_by")


def payable_from(application: Application, decision: Decision | None = None) -> dt.date | None:
    """The first day the grant may be paid: at once after a waiver, else the day after it became final."""
    decision = decision or latest_decision(application)
    if decision is None or decision.kind != Decision.APPROVE or decision.appeal_ends_on is None:
        return None
    if application.appeal_waived_at:
        return timezone.localdate(application.appeal_waived_at)
    return dates.payable_from(decision.appeal_ends_on)


def paid_total(application: Application):
    return application.payouts.aggregate(total=Sum("amount", default=0))["total"]


def has_running_grant(organisation: Organisation) -> bool:
    """Whether money may still be paid to the organisation: a grant approved and not yet closed."""
    return organisation.applications.filter(status__in=RUNNING_GRANT).exists()


def offices_to_tell(organisation: Organisation) -> list[str]:
    """The office addresses of the funds where the organisation has a running grant."""
    funds = Fund.objects.filter(applications__organisation=organisation, applications__status__in=RUNNING_GRANT)
    return sorted({email for email in funds.values_list("office_email", flat=True) if email})
