"""The applicant's timeline: each step of the file with the day it happened or, for the steps
still ahead, the day it is expected, computed from the fund's calendar and rules. Nothing is
stored: when the meeting moves, the expected days move with it."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Application, Decision, Document
from ..rules import dates
from ..status import Status

# The office sends the decision letter within a week of the meeting.
LETTER_AFTER_MEETING = dt.timedelta(days=7)


@dataclass(frozen=True)
class Step:
    label: str
    day: dt.date | None
    done: bool


def applicant_timeline(application: Application) -> list[Step]:
    if application.submitted_at is None:
        return []
    fund = application.fund
    steps = [Step(_("Application received"), timezone.localdate(application.submitted_at), True)]
    if application.status == Status.WITHDRAWN:
        return steps
    decision = application.decisions.order_by("-decided_at").first()
    meeting = application.meeting
    if decision:
        steps.append(Step(_("Meeting that decides"), timezone.localdate(decision.decided_at), True))
    elif meeting:
        steps.append(Step(_("Meeting that decides"), meeting.date, False))
    else:
        return steps
    letter = application.documents.filter(kind__in=[Document.APPROVAL, Document.REJECTION]).order_by("created").first()
    letter_day = timezone.localdate(letter.created) if letter else (meeting.date + LETTER_AFTER_MEETING)
    steps.append(Step(_("Decision letter"), letter_day, bool(letter)))
    if decision and decision.kind != Decision.APPROVE:
        return steps
    if application.appeal_waived_at:
        final, final_done = timezone.localdate(application.appeal_waived_at), True
        payable = final
    else:
        notified = decision.notified_on if decision and decision.notified_on else (
            dates.deemed_notified(letter_day, days=fund.notification_days))  # fmt: skip
        final = (
            decision.appeal_ends_on
            if decision and decision.appeal_ends_on
            else dates.appeal_period_end(notified, months=fund.appeal_months, state=fund.state)
        )
        final_done = final < timezone.localdate()
        payable = dates.payable_from(final)
    steps.append(Step(_("Decision becomes final"), final, final_done))
    paid = application.status in (Status.PAID, Status.REPORTED, Status.CLOSED)
    steps.append(Step(_("Earliest payout"), payable, paid))
    if application.end_date:
        due = application.report_due or dates.report_due(application.end_date, weeks=fund.report_weeks)
        steps.append(Step(_("Use-of-funds report due"), due, application.status in (Status.REPORTED, Status.CLOSED)))
    return steps
