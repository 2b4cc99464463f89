"""From the first draft to the office's recommendation."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..letters import revision_request_context
from ..models import (
    AgendaItem,
    Application,
    CostCategory,
    CostLine,
    Document,
    Fund,
    Motion,
    Recommendation,
    RevisionRequest,
)
from ..roles import OFFICE
from ..rules import completeness
from ..rules.steering import motion_problems
from ..rules.submission import starts_before_decision, submission_problems
from ..status import Status
from .core import audit, lock_application, require_fund_role, require_member, tell_applicant, transition
from .declarations import flag_ties
from .later_letters import letter_file
from .ledger import lock_fiscal_year

APPLICATION_FIELDS = [
    "title", "summary", "target_group", "neighbourhood", "start_date", "end_date",
    "own_funds", "own_work", "third_party_funds", "third_party_status", "requested_amount",
    "declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy",
]  # fmt: skip


SECTION_FIELDS = {
    "projekt": ["title", "summary", "target_group", "neighbourhood", "start_date", "end_date"],
    "kosten": [],
    "finanzierung": ["own_funds", "own_work", "third_party_funds", "third_party_status", "requested_amount"],
    "erklaerungen": ["declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy"],
}


def _set_cost_lines(application, cost_lines):
    application.cost_lines.all().delete()
    CostLine.objects.bulk_create(
        CostLine(application=application, description=line["description"], amount=line["amount"],
                 category=line.get("category") or CostCategory.OTHER)
        for line in cost_lines
    )  # fmt: skip


@transaction.atomic
def application_create(*, fund: Fund, organisation, actor, data: dict, cost_lines: list[dict]) -> Application:
    """Start a draft application to a fund for an organisation the actor belongs to."""
    require_member(organisation, actor)
    if not fund.accepts_applications:
        raise ValidationError(_("This fund does not accept applications at the moment."))
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
        after={"title": application.title, "fund": fund.slug},
    )
    return application


@transaction.atomic
def application_update(*, application: Application, actor, data: dict, cost_lines: list[dict]) -> Application:
    """Change a draft, or an application the office sent back for revision."""
    # Read again under the lock: a bound form changed the instance it was given.
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    require_member(application.organisation, actor)
    if application.status not in (Status.DRAFT, Status.REVISION):
        raise ValidationError(_("The application can no longer be changed."))
    before = {k: getattr(application, k) for k in APPLICATION_FIELDS}
    for key in APPLICATION_FIELDS:
        if key in data:
            setattr(application, key, data[key])
    application.version += 1
    application.save(update_fields=[*APPLICATION_FIELDS, "version"])
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


@transaction.atomic
def application_begin(*, fund: Fund, organisation, actor) -> Application:
    """Start an empty draft to fill in section by section. A draft begun and not yet written to is
    reused, so a start posted twice leaves one draft, not two."""
    require_member(organisation, actor)
    if not fund.accepts_applications:
        raise ValidationError(_("This fund does not accept applications at the moment."))
    untouched = Application.objects.select_for_update(no_key=True).filter(
        fund=fund, organisation=organisation, created_by=actor, status=Status.DRAFT, version=0, title=""
    )
    application = untouched.order_by("pk").first()
    if application is None:
        application = Application.objects.create(fund=fund, organisation=organisation, created_by=actor)
        audit(actor=actor, action="application_create", obj=application, application=application,
              after={"fund": fund.slug})  # fmt: skip
    return application


@transaction.atomic
def application_section_save(
    *, application: Application, actor, section: str, version: int, data: dict, cost_lines: list[dict] | None = None
) -> Application:
    """Save one section of a draft (or of an application sent back for revision). Refused when the
    draft changed since the form was read, so a second tab cannot silently overwrite the first."""
    application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
    require_member(application.organisation, actor)
    if application.status not in (Status.DRAFT, Status.REVISION):
        raise ValidationError(_("The application can no longer be changed."))
    if version != application.version:
        raise ValidationError(
            _(
                "This application was changed in the meantime, in another tab or by another member. Your entries "
                "on this page were not saved. Open the section again to see the saved state, then enter your "
                "changes once more."
            )  # fmt: skip
        )
    fields = SECTION_FIELDS[section]
    before = {key: getattr(application, key) for key in fields}
    for key in fields:
        if key in data:
            setattr(application, key, data[key])
    application.version += 1
    application.save(update_fields=[*fields, "version"])
    if "aims" in data:
        application.aims.set(data["aims"])
    if cost_lines is not None:
        before["cost_lines"] = [f"{line.description}: {line.amount}" for line in application.cost_lines.all()]
        _set_cost_lines(application, cost_lines)
    after = {key: getattr(application, key) for key in fields}
    if cost_lines is not None:
        after["cost_lines"] = [f"{line['description']}: {line['amount']}" for line in cost_lines]
    audit(actor=actor, action="application_update", obj=application, application=application, before=before,
          after={"section": section, **after})  # fmt: skip
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor) -> Application:
    """Withdraw an application before it is on a meeting's agenda; the file stays, marked withdrawn."""
    require_member(application.organisation, actor)
    if application.status == Status.ON_AGENDA:
        raise ValidationError(
            _("The application is already on the agenda of a meeting. Please ask the office to take it off.")
        )
    transition(application, "withdraw", actor=actor)
    return application


def _require_submittable(application):
    problems = submission_problems(selectors.draft_facts(application))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Submit a complete draft: give it its fund's reference number and its meeting."""
    require_member(application.organisation, actor)
    lock_application(application)  # the lock order: application, fiscal year, audit chain
    _require_submittable(application)
    now = timezone.now()
    today = timezone.localdate(now)
    fiscal_year = lock_fiscal_year(application.fund, today.year)
    fiscal_year.last_reference_number += 1
    fiscal_year.save(update_fields=["last_reference_number"])
    reference = f"{application.fund.reference_prefix}-{fiscal_year.year}-{fiscal_year.last_reference_number:04d}"
    meeting = selectors.next_meeting(application.fund, submitted_on=today)
    transition(application, "submit", actor=actor, reference=reference, submitted_at=now, meeting=meeting)
    if application.fund.receipt_letter:
        from ..tasks import receipt_letter_issue  # the task module imports the services

        receipt_letter_issue.delay_on_commit(application.pk)  # renders the PDF, then e-mails it
    else:
        tell_applicant(application, "application_received", key=f"received:{application.pk}",
                       meeting_date=meeting.date,
                       starts_before_meeting=starts_before_decision(application.start_date, meeting.date))  # fmt: skip
    return application


@transaction.atomic
def application_request_revision(
    *, application: Application, actor, message: str, deadline: dt.date, items=()
) -> RevisionRequest:
    """Send the application back to the applicant with what is missing: the checklist items to
    fix (rules.completeness), the office's words and the deadline for the answer."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office can ask for a revision."))
    if deadline < timezone.localdate():
        raise ValidationError(_("The deadline must not lie in the past."))
    transition(application, "request_revision", actor=actor)
    items = [key for key in items if key in completeness.LABELS]
    request = RevisionRequest.objects.create(
        application=application, message=message, deadline=deadline, requested_by=actor, items=items
    )
    audit(
        actor=actor,
        action="revision_request",
        obj=request,
        application=application,
        after={"message": message, "deadline": deadline, "items": ",".join(items)},
    )
    request.letter = letter_file(
        application=application, kind=Document.REVISION_REQUEST, actor=actor,
        context=revision_request_context(request, letter_date=timezone.localdate()),
    )  # fmt: skip
    request.save(update_fields=["letter"])
    tell_applicant(application, "revision_requested", key=f"revision:{request.pk}", document=request.letter,
                   message=message, deadline=deadline, items=completeness.labels_of(items))  # fmt: skip
    return request


@transaction.atomic
def application_resubmit(*, application: Application, actor) -> Application:
    """Hand the revised application back to the office."""
    require_member(application.organisation, actor)
    _require_submittable(application)
    application.revision_requests.filter(answered_at=None).update(answered_at=timezone.now())
    transition(application, "resubmit", actor=actor)
    return application


@transaction.atomic
def application_accept_complete(*, application: Application, actor, checklist=None) -> Application:
    """Record that the application is complete and goes to assessment (with the checklist
    confirmed, when the office worked through it). Completeness, not submission, meets a meeting's
    cut-off: the application now belongs to the first meeting whose cut-off lies on or after today."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office checks applications."))
    if checklist is not None and completeness.missing_items(checklist):
        raise ValidationError(_("An application is complete only when every item is in order."))
    now = timezone.now()
    meeting = selectors.next_meeting(application.fund, submitted_on=timezone.localdate(now))
    transition(application, "accept_complete", actor=actor, completed_at=now, meeting=meeting)
    if checklist is not None:
        audit(actor=actor, action="completeness_checklist", obj=application, application=application,
              after={"confirmed": ",".join(checklist)})  # fmt: skip
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
    """Record the office's recommendation and put the application on the agenda of the meeting whose
    cut-off it met when it became complete (files older than the completeness date count from submission)."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office recommends."))
    problems = motion_problems(motion, amount, requested=application.requested_amount)
    if problems:
        raise ValidationError(problems)
    ready_on = timezone.localdate(application.completed_at or application.submitted_at)
    return _recommend(
        application, actor, "recommend", ready_on=ready_on, motion=motion, financing_type=financing_type,
        conditions=conditions if motion == Recommendation.APPROVE else "", reasoning=reasoning,
        amount=amount if motion == Recommendation.APPROVE else 0,
    )  # fmt: skip


def _recommend(application, actor, step: str, *, ready_on: dt.date, **fields) -> Recommendation:
    """Record the recommendation, move the application by `step` onto the agenda of the next meeting
    whose cut-off `ready_on` met, and audit both."""
    recommendation = Recommendation.objects.create(application=application, author=actor, **fields)
    meeting = selectors.next_meeting(application.fund, submitted_on=ready_on)
    transition(application, step, actor=actor, meeting=meeting)
    put_on_agenda(application, meeting, recommendation)
    audit(
        actor=actor,
        action="recommendation_create",
        obj=recommendation,
        application=application,
        after={"motion": recommendation.motion, "amount": recommendation.amount, "meeting": meeting.date},
    )
    return recommendation


def put_on_agenda(application, meeting, recommendation, *, motion: dict | None = None, **referral) -> AgendaItem:
    """Add the application to a meeting's agenda, with the recommendation as the first motion; or
    an objection or change request about it (`referral`), with the office's proposal (`motion`)."""
    position = meeting.agenda_items.count() + 1
    item = AgendaItem.objects.create(
        meeting=meeting, application=application, recommendation=recommendation, position=position, **referral
    )
    if motion is None:
        motion = {"kind": recommendation.motion, "amount": recommendation.amount,
                  "financing_type": recommendation.financing_type, "conditions": recommendation.conditions}  # fmt: skip
    Motion.objects.create(agenda_item=item, **motion)
    flag_ties(item)
    return item


def _open_revision(application: Application) -> RevisionRequest:
    lock_application(application)
    revision = application.revision_requests.filter(answered_at=None).first()
    if application.status != Status.REVISION or revision is None:
        raise ValidationError(_("There is no open revision request."))
    return revision


@transaction.atomic
def revision_overdue(*, application: Application) -> RevisionRequest:
    """Record that the revision deadline passed without an answer: the office decides what follows."""
    revision = _open_revision(application)
    audit(actor=None, action="revision_overdue", obj=revision, application=application,
          after={"deadline": revision.deadline, "reminded_on": revision.reminded_on})  # fmt: skip
    return revision


@transaction.atomic
def revision_overdue_decide(
    *, application: Application, actor, outcome: str, deadline: dt.date | None = None, note: str = ""
):
    """The office's answer to an unanswered revision request: remind the applicant once (the deadline
    stays), extend the deadline (the applicant is told the new one), or recommend rejection, which
    takes the application out of the revision and onto the next meeting's agenda."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office can ask for a revision."))
    revision = _open_revision(application)
    today = timezone.localdate()
    if outcome == "reject":
        reasoning = _(
            "The applicant was asked on %(asked)s to complete the application by %(deadline)s and did not "
            "answer. The file stayed incomplete, so the office recommends rejecting the application."
        ) % {"asked": formats.date_format(timezone.localtime(revision.requested_at), "SHORT_DATE_FORMAT"),
             "deadline": formats.date_format(revision.deadline, "SHORT_DATE_FORMAT")}  # fmt: skip
        return _recommend(application, actor, "recommend_incomplete", ready_on=today, motion=Recommendation.REJECT,
                          reasoning="\n\n".join(filter(None, [reasoning, note.strip()])))  # fmt: skip
    if outcome == "extend":
        if deadline is None or deadline <= revision.deadline or deadline < today:
            raise ValidationError(_("The new deadline must lie after the old one and not in the past."))
        before, revision.deadline = revision.deadline, deadline
        revision.save(update_fields=["deadline"])
        audit(actor=actor, action="revision_extend", obj=revision, application=application,
              before={"deadline": before}, after={"deadline": deadline})  # fmt: skip
        key = f"revision-extended:{revision.pk}:{deadline.isoformat()}"
        # The deadline was set by letter, so its extension is a letter too (the earlier one stays filed).
        revision.letter = letter_file(
            application=application, kind=Document.REVISION_REQUEST, actor=actor,
            context=revision_request_context(revision, letter_date=today, extended_from=before),
        )  # fmt: skip
        revision.save(update_fields=["letter"])
    elif outcome == "remind":
        if revision.reminded_on is not None:
            raise ValidationError(
                _("The applicant has already been reminded. Extend the deadline or recommend rejection.")
            )
        revision.reminded_on = today
        revision.save(update_fields=["reminded_on"])
        audit(actor=actor, action="revision_remind", obj=revision, application=application,
              after={"deadline": revision.deadline})  # fmt: skip
        key = f"revision-reminder:{revision.pk}"
    else:
        raise ValidationError(_("Choose whether to remind the applicant, extend the deadline or recommend rejection."))
    tell_applicant(application, "revision_requested", key=key, message=revision.message, deadline=revision.deadline,
                   items=completeness.labels_of(revision.items),
                   document=revision.letter if outcome == "extend" else None)  # fmt: skip
    return revision
