"""The facts of a file that the rules and services work on: what stops a submission,
the notices to show, the decision, its letters, when the grant is payable."""

import datetime as dt

from django.db.models import QuerySet, Sum
from django.utils import timezone

from .. import audit_chain
from ..models import (
    Application,
    Attachment,
    AuditChain,
    AuditEvent,
    BankAccountChange,
    Decision,
    Document,
    FiscalYear,
    Fund,
    Organisation,
)
from ..rules import dates, submission
from ..rules.money import quotes_required
from ..rules.submission import DraftFacts
from ..status import Status

RUNNING_GRANT = [Status.APPROVED, Status.PAID, Status.REPORTED]


def draft_facts(application: Application) -> DraftFacts:
    lines = list(application.cost_lines.all())
    fund, total_cost = application.fund, application.total_cost
    return DraftFacts(
        cost_lines=len(lines),
        total_cost=total_cost,
        financing_total=application.financing_total,
        requested_amount=application.requested_amount,
        start_date=application.start_date,
        end_date=application.end_date,
        aims=application.aims.count(),
        project_complete=all(
            (application.title, application.summary, application.target_group, application.neighbourhood)
        ),
        declarations=(
            application.declared_not_started,
            application.declared_no_double_funding,
            application.declared_truthful,
            application.declared_privacy,
        ),
        quotes=application.attachments.filter(kind=Attachment.Kind.QUOTE).count(),
        quotes_required=quotes_required(total_cost, one_up_to=fund.one_quote_up_to, two_up_to=fund.two_quotes_up_to),
        quotes_at_submission=fund.quotes_at_submission,
    )


def quotes_problem(application: Application) -> str | None:
    """Too few quotes uploaded where the fund wants them with the application, in plain words."""
    if application.status not in (Status.DRAFT, Status.REVISION):
        return None
    return submission.quotes_problem(draft_facts(application))


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


def current_fiscal_year(fund: Fund) -> FiscalYear | None:
    """The fiscal year an approval made today is booked against."""
    return FiscalYear.objects.filter(fund=fund, year=timezone.localdate().year).order_by("pk").first()


def latest_decision(application: Application) -> Decision | None:
    """The decision that ended the steering group's work on the application (not a deferral)."""
    return application.decisions.exclude(kind=Decision.DEFER).select_related("motion", "signed_by").first()


def documents_of(application: Application) -> QuerySet[Document]:
    """The application's letters with what marks a correction, in one query."""
    return application.documents.select_related("supersedes", "superseded_by")


def attachments_of(application: Application) -> QuerySet[Attachment]:
    """The application's uploads with who uploaded them, in one query however many there are."""
    return application.attachments.select_related("uploaded_by")


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


def pending_bank_change(organisation) -> BankAccountChange | None:
    return organisation.bank_changes.filter(status=BankAccountChange.Status.PENDING).first()


def audit_chains_broken() -> dict[str, int]:
    """Each hash chain of the audit trail whose links do not hold, with the first broken event."""
    broken = {}
    for chain in AuditChain.objects.order_by("key"):
        fund_id = None if chain.key == "installation" else int(chain.key.split(":")[1])
        events = AuditEvent.objects.filter(fund_id=fund_id).order_by("pk").iterator()
        event_id = audit_chain.first_broken_link(events)
        if event_id is None and chain.last_hash != _last_hash(fund_id):
            event_id = 0  # the newest events were removed
        if event_id is not None:
            broken[chain.key] = event_id
    return broken


def _last_hash(fund_id) -> str:
    last = AuditEvent.objects.filter(fund_id=fund_id).order_by("-pk").values_list("hash", flat=True).first()
    return last or audit_chain.GENESIS


def due_for_retention(today: dt.date) -> list[Application]:
    """Files whose retention period has ended and whose personal data is still there:
    drafts never submitted, rejected files and closed files, each by its fund's period."""
    due = []
    for fund in Fund.objects.all():

        def before(years):
            return timezone.make_aware(dt.datetime.combine(dates.add_months(today, -12 * years), dt.time.min))

        files = fund.applications.filter(anonymised_at=None)
        due += files.filter(status=Status.DRAFT, created__lt=before(fund.retention_draft_years))
        due += files.filter(status=Status.CLOSED, closed_at__lt=before(fund.retention_closed_years))
        due += files.filter(
            status=Status.REJECTED,
            decisions__kind=Decision.REJECT,
            decisions__decided_at__lt=before(fund.retention_rejected_years),
        )
    return due


def yearly_statistics(fund: Fund) -> list[dict]:
    """Per year of submission: applications, approvals and the money granted (personal data not needed)."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    return list(
        fund.applications.exclude(submitted_at=None)
        .annotate(year=ExtractYear("submitted_at"))
        .values("year")
        .annotate(
            applications=Count("pk", distinct=True),
            approved=Count("pk", filter=Q(decisions__kind=Decision.APPROVE), distinct=True),
            granted=Sum("decisions__amount", filter=Q(decisions__kind=Decision.APPROVE), default=0),
        )
        .order_by("year")
    )


def delivery_log(application) -> list:
    """Every e-mail about the application (to the applicant, the body or the office), newest first,
    each with the subject it was (or will be) sent with."""
    from notifications.models import Notification
    from notifications.services import subject_of

    rows = list(Notification.objects.filter(application=application).select_related("document").order_by("-created"))
    for row in rows:
        row.subject = subject_of(row)
    return rows
