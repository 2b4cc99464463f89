"""What each decision letter says: its template and the facts it is rendered from.
The legal text itself is German and lives in templates/letters/."""

import datetime as dt

from .models import Decision, Document
from .rules import dates

TEMPLATES = {Document.APPROVAL: "letters/approval.html", Document.REJECTION: "letters/rejection.html"}


def letter_kind(decision: Decision) -> str:
    return Document.APPROVAL if decision.kind == Decision.APPROVE else Document.REJECTION


def decision_letter_context(decision: Decision, *, letter_date: dt.date, corrects: Document | None = None) -> dict:
    application = decision.application
    fund = application.fund
    context = {
        "fund": fund,
        "organisation": application.organisation,
        "application": application,
        "decision": decision,
        "letter_date": letter_date,
        "corrects": corrects,
        "notification_days": fund.notification_days,
    }
    if decision.kind == Decision.APPROVE:
        context["report_due"] = dates.report_due(application.end_date, weeks=fund.report_weeks)
        context["payable_from"] = dates.payable_from(decision.appeal_ends_on)
    return context
