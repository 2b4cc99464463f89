"""Every write to the grants domain. Each service runs in a transaction and
records an audit event; a refused step raises ValidationError with a German
message and changes nothing."""

import calendar
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from .models import (
    AgendaItem,
    Application,
    AuditEvent,
    ConflictDeclaration,
    CostLine,
    Decision,
    Document,
    FiscalYear,
    Fund,
    LedgerEntry,
    Meeting,
    Organisation,
    Payout,
    Recommendation,
    Report,
    RevisionRequest,
    Vote,
)
from .roles import CHAIR, MEMBER, has_fund_role
from .status import TRANSITIONS, Status
from .templatetags.money import format_euro

APPLICATION_FIELDS = [
    "title", "summary", "target_group", "neighbourhood", "start_date", "end_date",
    "own_funds", "own_work", "third_party_funds", "third_party_status", "requested_amount",
    "declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy",
]  # fmt: skip


def audit(*, actor, action, obj, application=None, before=None, after=None):
    """Record who did what to which object, with the values before and after."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        application=application,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def _jsonable(values):
    return {
        key: value if isinstance(value, (str, int, bool, type(None))) else str(value) for key, value in values.items()
    }


def _lock(application: Application) -> Application:
    """Lock the application's row and reload it, so checks see the committed state."""
    Application.objects.select_for_update().filter(pk=application.pk).exists()
    application.refresh_from_db()
    return application


def _transition(application, name, *, actor, **changes):
    """Move the application along TRANSITIONS[name], saving `changes` with it."""
    transition = TRANSITIONS[name]
    _lock(application)
    if application.status not in transition.sources:
        raise ValidationError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    before = {"status": application.status, **{k: getattr(application, k) for k in changes}}
    application.status = transition.target
    for field, value in changes.items():
        setattr(application, field, value)
    application.save(update_fields=["status", *changes])
    audit(
        actor=actor,
        action=name,
        obj=application,
        application=application,
        before=before,
        after={"status": application.status, **changes},
    )


def _require_member(organisation: Organisation, actor):
    if not organisation.members.filter(pk=actor.pk).exists():
        raise ValidationError(_("You do not act for this organisation."))


def _tell_applicant(application, event, *, key, **context):
    """E-mail the organisation's contact address once per key (through the outbox)."""
    notify(event, emails=[application.organisation.email], dedupe_key=key, application=application, context=context)


ORGANISATION_FIELDS = [
    "name", "legal_form", "street", "postcode", "city", "contact_name", "email", "phone",
    "charitable", "account_holder", "iban",
]  # fmt: skip


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict) -> Organisation:
    """Change an organisation's address, contact or bank account as one of its members."""
    _require_member(organisation, actor)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    organisation.refresh_from_db()  # a bound ModelForm has already changed the instance in memory
    before = {field: getattr(organisation, field) for field in ORGANISATION_FIELDS}
    for field in ORGANISATION_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()
    organisation.save(update_fields=ORGANISATION_FIELDS)
    audit(actor=actor, action="organisation_update", obj=organisation, before=before,
          after={field: getattr(organisation, field) for field in ORGANISATION_FIELDS})  # fmt: skip
    return organisation


# Meetings -------------------------------------------------------------------


def meeting_date_in_month(fund: Fund, year: int, month: int) -> dt.date:
    """The fund's meeting day in a month, e.g. the 3rd Wednesday."""
    days = [week[fund.meeting_weekday] for week in calendar.monthcalendar(year, month) if week[fund.meeting_weekday]]
    return dt.date(year, month, days[min(fund.meeting_week_of_month, len(days)) - 1])


@transaction.atomic
def meetings_schedule(*, fund: Fund, year: int, actor=None) -> list[Meeting]:
    """Create the fund's monthly meetings of a year (existing dates are kept)."""
    meetings = []
    for month in range(1, 13):
        date = meeting_date_in_month(fund, year, month)
        meeting, created = Meeting.objects.get_or_create(
            fund=fund, date=date, defaults={"cutoff": dt.date(year, month, min(fund.cutoff_day, 28))}
        )
        if created:
            audit(actor=actor, action="meeting_schedule", obj=meeting, after={"date": date})
        meetings.append(meeting)
    return meetings


def next_meeting(fund: Fund, *, submitted_on: dt.date, after: dt.date | None = None) -> Meeting:
    """The first meeting whose cut-off the application met, on or after a day."""
    after = after or timezone.localdate()
    meeting = Meeting.objects.filter(fund=fund, cutoff__gte=submitted_on, date__gte=after).order_by("date").first()
    if meeting is None:
        raise ValidationError(_("No meeting is scheduled yet. Please ask the office to plan the meetings."))
    return meeting


# Applications ---------------------------------------------------------------


def _set_cost_lines(application, cost_lines):
    application.cost_lines.all().delete()
    CostLine.objects.bulk_create(
        CostLine(application=application, description=line["description"], amount=line["amount"]) for line in cost_lines
    )


@transaction.atomic
def application_create(*, fund: Fund, organisation, actor, data: dict, cost_lines: list[dict]) -> Application:
    """Start a draft application for an organisation the actor belongs to."""
    _require_member(organisation, actor)
    application = Application.objects.create(
        fund=fund, organisation=organisation, created_by=actor, **{k: data[k] for k in APPLICATION_FIELDS if k in data}
    )
    application.aims.set(data.get("aims", []))
    _set_cost_lines(application, cost_lines)
    audit(
        actor=actor,
        action="application_create",
        obj=application,
        application=application,
        after={"title": application.title},
    )
    return application


@transaction.atomic
def application_update(*, application: Application, actor, data: dict, cost_lines: list[dict]) -> Application:
    """Change a draft, or an application the office sent back for revision."""
    _lock(application)  # reload: a bound ModelForm has already changed the instance in memory
    if application.status not in (Status.DRAFT, Status.REVISION):
        raise ValidationError(_("The application can no longer be changed."))
    before = {k: getattr(application, k) for k in APPLICATION_FIELDS}
    for key in APPLICATION_FIELDS:
        if key in data:
            setattr(application, key, data[key])
    application.save(update_fields=APPLICATION_FIELDS)
    if "aims" in data:
        application.aims.set(data["aims"])
    _set_cost_lines(application, cost_lines)
    audit(
        actor=actor,
        action="application_update",
        obj=application,
        application=application,
        before=before,
        after={k: getattr(application, k) for k in APPLICATION_FIELDS},
    )
    return application


def application_problems(application: Application) -> list[str]:
    """What stops the application from being submitted, in the applicant's words."""
    problems = []
    if not application.cost_lines.exists():
        problems.append(_("Add at least one line to the cost plan."))
    if application.requested_amount <= 0:
        problems.append(_("Enter the amount you request."))
    if application.cost_lines.exists() and application.financing_total != application.total_cost:
        problems.append(
            _("The financing plan (%(financing)s) must cover exactly the total costs (%(total)s).")
            % {"financing": format_euro(application.financing_total), "total": format_euro(application.total_cost)}
        )
    if application.end_date < application.start_date:
        problems.append(_("The project cannot end before it starts."))
    if not application.aims.exists():
        problems.append(_("Choose at least one aim of the fund."))
    declarations = [
        application.declared_not_started, application.declared_no_double_funding,
        application.declared_truthful, application.declared_privacy,
    ]  # fmt: skip
    if not all(declarations):
        problems.append(_("Confirm all declarations."))
    return problems


def _lock_fiscal_year(fund: Fund, year: int) -> FiscalYear:
    fiscal_year = FiscalYear.objects.select_for_update().filter(fund=fund, year=year).first()
    if fiscal_year is None:
        raise ValidationError(_("There is no budget for %(year)s yet. Please ask the office.") % {"year": year})
    return fiscal_year


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Submit a complete draft: give it a reference number and its meeting."""
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    fiscal_year = _lock_fiscal_year(application.fund, timezone.localdate(now).year)
    fiscal_year.last_reference_number += 1
    fiscal_year.save(update_fields=["last_reference_number"])
    reference = f"{application.fund.reference_prefix}-{fiscal_year.year}-{fiscal_year.last_reference_number:04d}"
    meeting = next_meeting(application.fund, submitted_on=timezone.localdate(now))
    _transition(application, "submit", actor=actor, reference=reference, submitted_at=now, meeting=meeting)
    _tell_applicant(
        application,
        "application_received",
        key=f"received:{application.pk}",
        meeting_date=meeting.date.strftime("%d.%m.%Y"),
        starts_before_meeting=application.start_date <= meeting.date,
    )
    return application


@transaction.atomic
def application_request_revision(
    *, application: Application, actor, message: str, deadline: dt.date
) -> RevisionRequest:
    """Send the application back to the applicant with what is missing."""
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline must not lie in the past."))
    _transition(application, "request_revision", actor=actor)
    request = RevisionRequest.objects.create(
        application=application, message=message, deadline=deadline, requested_by=actor
    )
    audit(
        actor=actor,
        action="revision_request",
        obj=request,
        application=application,
        after={"message": message, "deadline": deadline},
    )
    _tell_applicant(
        application,
        "revision_requested",
        key=f"revision:{request.pk}",
        message=message,
        deadline=deadline.strftime("%d.%m.%Y"),
    )
    return request


@transaction.atomic
def application_resubmit(*, application: Application, actor) -> Application:
    """Hand the revised application back to the office."""
    problems = application_problems(application)
    if problems:
        raise ValidationError(problems)
    application.revision_requests.filter(answered_at=None).update(answered_at=timezone.now())
    _transition(application, "resubmit", actor=actor)
    return application


@transaction.atomic
def application_accept_complete(*, application: Application, actor) -> Application:
    """Record that the application is complete and goes to assessment."""
    _transition(application, "accept_complete", actor=actor)
    return application


@transaction.atomic
def recommendation_create(
    *,
    application: Application,
    actor,
    motion: str,
    amount: Decimal,
    financing_type: str,
    conditions: str,
    reasoning: str,
) -> Recommendation:
    """Record the office's recommendation and put the application on the agenda."""
    if motion == Recommendation.APPROVE and amount <= 0:
        raise ValidationError(_("A recommendation to approve needs an amount."))
    if motion == Recommendation.APPROVE and amount > application.requested_amount:
        raise ValidationError(_("The proposed amount must not exceed the requested amount."))
    recommendation = Recommendation.objects.create(
        application=application,
        motion=motion,
        financing_type=financing_type,
        conditions=conditions,
        reasoning=reasoning,
        author=actor,
        amount=amount if motion == Recommendation.APPROVE else 0,
    )
    meeting = next_meeting(application.fund, submitted_on=timezone.localdate(application.submitted_at))
    _transition(application, "recommend", actor=actor, meeting=meeting)
    _put_on_agenda(application, meeting, recommendation)
    audit(
        actor=actor,
        action="recommendation_create",
        obj=recommendation,
        application=application,
        after={"motion": motion, "amount": amount, "meeting": meeting.date},
    )
    return recommendation


def _put_on_agenda(application, meeting, recommendation):
    position = meeting.agenda_items.count() + 1
    return AgendaItem.objects.create(
        meeting=meeting, application=application, recommendation=recommendation, position=position
    )


# Steering group -------------------------------------------------------------


def _require_open(agenda_item: AgendaItem):
    if agenda_item.closed_at is not None:
        raise ValidationError(_("The vote on this item is closed."))


@transaction.atomic
def vote_cast(*, agenda_item: AgendaItem, member, choice: str) -> Vote:
    """Cast or change a member's vote on an open agenda item."""
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    _require_open(agenda_item)
    if not has_fund_role(member, agenda_item.meeting.fund, MEMBER, CHAIR, voting=True):
        raise ValidationError(_("You have no voting right in this body."))
    if agenda_item.conflicts.filter(member=member).exists():
        raise ValidationError(_("You declared a conflict of interest and may not vote on this item."))
    if choice not in dict(Vote.CHOICES):
        raise ValidationError(_("Unknown vote."))
    vote, _created = Vote.objects.update_or_create(agenda_item=agenda_item, member=member, defaults={"choice": choice})
    audit(actor=member, action="vote_cast", obj=vote, application=agenda_item.application, after={"choice": choice})
    return vote


@transaction.atomic
def conflict_declare(*, agenda_item: AgendaItem, member, reason: str) -> ConflictDeclaration:
    """Record a member's conflict of interest; any vote they cast is withdrawn."""
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    _require_open(agenda_item)
    if not has_fund_role(member, agenda_item.meeting.fund, MEMBER, CHAIR):
        raise ValidationError(_("You are not a member of this body."))
    Vote.objects.filter(agenda_item=agenda_item, member=member).delete()
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        agenda_item=agenda_item, member=member, defaults={"reason": reason}
    )
    audit(
        actor=member,
        action="conflict_declare",
        obj=declaration,
        application=agenda_item.application,
        after={"reason": reason},
    )
    return declaration


def tally(agenda_item: AgendaItem) -> dict:
    """Count the votes of members entitled to vote; recused members do not count."""
    counts = {choice: 0 for choice, _label in Vote.CHOICES}
    for vote in agenda_item.votes.all():  # uses the page's prefetch where there is one
        counts[vote.choice] += 1
    return {**counts, "present": sum(counts.values()), "recused": len(agenda_item.conflicts.all())}


def outcome(agenda_item: AgendaItem, counts: dict) -> str:
    """Apply quorum and majority rules to the votes: approve, reject or defer."""
    fund = agenda_item.meeting.fund
    recommendation = agenda_item.recommendation
    if counts["present"] < fund.quorum:
        return Decision.DEFER
    cast = counts["yes"] + counts["no"]
    adopted = counts["yes"] > counts["no"]  # a tie rejects the motion
    if recommendation.motion == Recommendation.APPROVE and recommendation.amount > fund.cap:
        adopted = (
            cast > 0 and counts["yes"] * fund.special_majority_denominator >= cast * fund.special_majority_numerator
        )
    if recommendation.motion == Recommendation.REJECT:
        return Decision.REJECT if adopted else Decision.DEFER
    return Decision.APPROVE if adopted else Decision.REJECT


def fiscal_year_available(fiscal_year: FiscalYear) -> Decimal:
    """Money still free in a fiscal year: budget - commitments + releases."""
    sums = fiscal_year.ledger.aggregate(
        committed=Sum("amount", filter=Q(kind=LedgerEntry.COMMIT), default=Decimal(0)),
        released=Sum("amount", filter=Q(kind__in=[LedgerEntry.RELEASE, LedgerEntry.REVERSAL]), default=Decimal(0)),
    )
    return fiscal_year.budget - sums["committed"] + sums["released"]


@transaction.atomic
def agenda_item_close(*, agenda_item: AgendaItem, actor) -> Decision:
    """Close the vote on an item as chair and record the steering group's decision.

    Precondition: the item is open. An approval books a commitment against the
    fiscal year under a row lock, so two approvals cannot spend the same money."""
    agenda_item = (
        AgendaItem.objects.select_for_update().select_related("meeting__fund", "recommendation").get(pk=agenda_item.pk)
    )
    _require_open(agenda_item)
    fund = agenda_item.meeting.fund
    if not has_fund_role(actor, fund, CHAIR):
        raise ValidationError(_("Only the chair can close a vote."))
    application = _lock(agenda_item.application)
    recommendation = agenda_item.recommendation
    counts = tally(agenda_item)
    kind = outcome(agenda_item, counts)
    now = timezone.now()
    decision = Decision(
        application=application,
        agenda_item=agenda_item,
        kind=kind,
        financing_type=recommendation.financing_type,
        votes_yes=counts["yes"],
        votes_no=counts["no"],
        votes_abstain=counts["abstain"],
        recused=counts["recused"],
        decided_at=now,
        signed_by=actor,
    )
    if kind == Decision.APPROVE:
        decision.amount = recommendation.amount
        decision.conditions = recommendation.conditions
        _commit_budget(application, recommendation.amount, year=timezone.localdate(now).year)
        _transition(application, "approve", actor=actor)
    elif kind == Decision.REJECT:
        decision.reasons = recommendation.reasoning
        _transition(application, "reject", actor=actor)
    else:
        decision.reasons = (
            _("The quorum was not reached.") if counts["present"] < fund.quorum else _("The motion was not adopted.")
        )
        following = next_meeting(
            fund, submitted_on=agenda_item.meeting.date, after=agenda_item.meeting.date + dt.timedelta(days=1)
        )
        _transition(application, "defer", actor=actor, meeting=following)
        _put_on_agenda(application, following, recommendation)
    decision.save()
    if kind == Decision.DEFER:
        _tell_applicant(
            application,
            "decision_deferred",
            key=f"deferred:{decision.pk}",
            meeting_date=application.meeting.date.strftime("%d.%m.%Y"),
            reason=decision.reasons,
        )
    agenda_item.closed_at = now
    agenda_item.save(update_fields=["closed_at"])
    audit(
        actor=actor,
        action="decision_record",
        obj=decision,
        application=application,
        after={"kind": kind, "amount": decision.amount, **counts},
    )
    return decision


def _commit_budget(application, amount, *, year):
    fiscal_year = _lock_fiscal_year(application.fund, year)
    available = fiscal_year_available(fiscal_year)
    if amount > available:
        raise ValidationError(
            _("Only %(available)s are left in the %(year)s budget; %(amount)s cannot be approved.")
            % {"available": format_euro(available), "year": year, "amount": format_euro(amount)}
        )
    LedgerEntry.objects.create(fiscal_year=fiscal_year, application=application, kind=LedgerEntry.COMMIT, amount=amount)


# After the decision -----------------------------------------------------------


def report_due_on(application: Application) -> dt.date:
    """The use-of-funds report is due a configured number of weeks after the project ends."""
    return application.end_date + dt.timedelta(weeks=application.fund.report_weeks)


def latest_decision(application: Application) -> Decision | None:
    return application.decisions.exclude(kind=Decision.DEFER).first()


def decision_final_on(application: Application) -> dt.date | None:
    """The day the grant decision becomes final: at once on a waiver, else after the appeal period."""
    letter = application.documents.filter(kind=Document.APPROVAL).first()
    if letter is None:
        return None
    if application.appeal_waived_at:
        return timezone.localdate(application.appeal_waived_at)
    return timezone.localdate(letter.created) + dt.timedelta(days=application.fund.appeal_period_days)


@transaction.atomic
def appeal_waive(*, application: Application, actor) -> Application:
    """Record the recipient's waiver of appeal, which makes the grant payable at once."""
    _lock(application)
    if application.status != Status.APPROVED or not application.documents.filter(kind=Document.APPROVAL).exists():
        raise ValidationError(_("A waiver is only possible once the grant decision has been sent."))
    _require_member(application.organisation, actor)
    if application.appeal_waived_at:
        return application
    application.appeal_waived_at = timezone.now()
    application.save(update_fields=["appeal_waived_at"])
    audit(
        actor=actor,
        action="appeal_waive",
        obj=application,
        application=application,
        after={"appeal_waived_at": application.appeal_waived_at},
    )
    return application


@transaction.atomic
def payout_record(*, application: Application, actor, amount: Decimal, paid_on: dt.date) -> Payout:
    """Record the payment of the granted money once the decision is final."""
    decision = latest_decision(application)
    final_on = decision_final_on(application)
    if final_on is None or final_on > timezone.localdate():
        raise ValidationError(
            _("The decision is not final yet; payment is possible from %(date)s.")
            % {"date": final_on.strftime("%d.%m.%Y") if final_on else "–"}
        )
    if amount <= 0 or amount > decision.amount:
        raise ValidationError(
            _("The payout must be more than 0 and at most the granted %(amount)s.")
            % {"amount": format_euro(decision.amount)}
        )
    payout = Payout.objects.create(application=application, amount=amount, paid_on=paid_on, paid_by=actor)
    fiscal_year = application.ledger.filter(kind=LedgerEntry.COMMIT).latest("created").fiscal_year
    LedgerEntry.objects.create(fiscal_year=fiscal_year, application=application, kind=LedgerEntry.PAYOUT, amount=amount)
    _transition(application, "pay", actor=actor, report_due=report_due_on(application))
    audit(actor=actor, action="payout_record", obj=payout, application=application, after={"amount": amount})
    return payout


@transaction.atomic
def report_submit(
    *, application: Application, actor, narrative: str, actual_costs: Decimal, unused_amount: Decimal, receipts: str
) -> Report:
    """File (or re-file after a query) the use-of-funds report."""
    paid = application.payouts.aggregate(total=Sum("amount", default=Decimal(0)))["total"]
    if unused_amount > paid:
        raise ValidationError(_("The unused amount cannot exceed the %(paid)s paid out.") % {"paid": format_euro(paid)})
    report, _created = Report.objects.update_or_create(
        application=application,
        defaults={
            "narrative": narrative,
            "actual_costs": actual_costs,
            "unused_amount": unused_amount,
            "receipts": receipts,
            "submitted_at": timezone.now(),
            "reviewed_at": None,
        },
    )
    _transition(application, "report", actor=actor)
    audit(
        actor=actor,
        action="report_submit",
        obj=report,
        application=application,
        after={"actual_costs": actual_costs, "unused_amount": unused_amount},
    )
    return report


@transaction.atomic
def report_review(*, application: Application, actor, accepted: bool, note: str) -> Report:
    """Check the report: accept it and close the file, or send it back with a note."""
    if not accepted and not note.strip():
        raise ValidationError(_("Say what the applicant must add to the report."))
    report = application.report
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["reviewed_at", "review_note"])
    audit(
        actor=actor,
        action="report_review",
        obj=report,
        application=application,
        after={"accepted": accepted, "note": note},
    )
    if accepted:
        _transition(application, "close", actor=actor, closed_at=report.reviewed_at)
    else:
        _transition(application, "request_report_changes", actor=actor)
    return report
