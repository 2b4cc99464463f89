"""What the deadline sweeps look at: reports not yet in, revision requests not yet answered, grants
whose appeal period has just ended. Every deadline is computed from the data, so a moved date counts."""

import datetime as dt

from ..models import Application, Decision, RevisionRequest
from ..status import Status

FINAL_NOTICE_WINDOW = dt.timedelta(days=30)  # older decisions became final before the sweep existed


def reports_outstanding(today: dt.date, *, earliest_offset: int) -> list[Application]:
    """Paid-out grants without a report whose first reminder is due by `today`."""
    return list(
        Application.objects.filter(status=Status.PAID, report_due__isnull=False, report__isnull=True)
        .filter(report_due__lte=today - dt.timedelta(days=earliest_offset))
        .select_related("fund", "organisation")
        .order_by("pk")
    )


def revisions_open(today: dt.date, *, earliest_offset: int) -> list[RevisionRequest]:
    """Revision requests still unanswered whose first notice is due by `today`."""
    return list(
        RevisionRequest.objects.filter(
            answered_at=None,
            application__status=Status.REVISION,
            deadline__lte=today - dt.timedelta(days=earliest_offset),
        )
        .select_related("application__fund", "application__organisation")
        .order_by("pk")
    )


# After its one reminder, the applicant has this long to answer before the file is the office's again.
REMINDER_ANSWER_DAYS = 7


def revisions_for_office(today: dt.date) -> list[RevisionRequest]:
    """Unanswered revision requests whose deadline has passed (and, after the office's reminder, the
    week that followed it): the office decides what follows."""
    return list(
        RevisionRequest.objects.filter(answered_at=None, application__status=Status.REVISION, deadline__lt=today)
        .exclude(reminded_on__gte=today - dt.timedelta(days=REMINDER_ANSWER_DAYS))
        .select_related("application")
        .order_by("pk")
    )


def grants_become_final(today: dt.date) -> list[Decision]:
    """Grants whose appeal period ended (without a waiver) within the last 30 days, not yet paid out."""
    return list(
        Decision.objects.filter(
            kind=Decision.APPROVE,
            appeal_ends_on__lt=today,
            appeal_ends_on__gte=today - FINAL_NOTICE_WINDOW,
            application__status=Status.APPROVED,
            application__appeal_waived_at=None,
        )
        .select_related("application__fund", "application__organisation")
        .order_by("pk")
    )
