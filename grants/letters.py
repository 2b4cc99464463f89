"""What each document says: its template, its mandatory parts (DOMAIN.md) and the facts it is
rendered from. The legal text itself is German and lives in templates/letters/."""

import datetime as dt
from dataclasses import dataclass

from . import selectors
from .models import Decision, Document
from .rules import dates

LETTER = ("issuer", "reference", "date", "recipient", "signature")  # every letter to an applicant


@dataclass(frozen=True)
class DocumentType:
    template: str
    parts: tuple[str, ...]  # marked data-part in the template; a document missing one is refused


TYPES = {
    Document.APPROVAL: DocumentType(
        "letters/approval.html",
        LETTER
        + (
            "amount",
            "purpose",
            "financing",
            "period",
            "conditions",
            "ancillary_provisions",
            "payment",
            "report",
            "repayment",
            "remedy",
        ),
    ),  # fmt: skip
    Document.REJECTION: DocumentType("letters/rejection.html", LETTER + ("decision", "reasons", "remedy")),
}


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


TYPES[Document.RECEIPT] = DocumentType("letters/receipt.html", LETTER + ("received", "next_steps"))


def receipt_letter_context(application, *, letter_date: dt.date) -> dict:
    """The day the application arrived, its reference, and the meeting that will decide on it."""
    from .rules.submission import starts_before_decision

    meeting = application.meeting
    return {
        "fund": application.fund,
        "organisation": application.organisation,
        "application": application,
        "letter_date": letter_date,
        "meeting": meeting,
        "starts_before_meeting": bool(
            meeting and application.start_date and starts_before_decision(application.start_date, meeting.date)
        ),  # fmt: skip
    }


PAPER = ("issuer", "meeting", "signature")  # every paper of a meeting
TYPES[Document.AGENDA_PACK] = DocumentType("letters/agenda_pack.html", PAPER[:2] + ("items", "money"))
TYPES[Document.MINUTES] = DocumentType("letters/minutes.html", PAPER + ("attendance", "items"))


def agenda_pack_context(meeting, *, letter_date: dt.date) -> dict:
    """Each application's summary, costs, financing plan and the office's recommendation, and the
    fund's money; never bank data or private contact details."""
    return {
        "fund": meeting.fund,
        "meeting": meeting,
        "items": selectors.agenda_papers(meeting),
        "fiscal_year": selectors.current_fiscal_year(meeting.fund),
        "letter_date": letter_date,
    }


def minutes_context(meeting, *, letter_date: dt.date, corrects: Document | None = None, reason: str = "") -> dict:
    """Attendance, each item with its motions, vote counts, recusals by name and outcome, and the
    written procedures closed since the meeting before."""
    return {"fund": meeting.fund, "meeting": meeting, "letter_date": letter_date, "corrects": corrects,
            "correction_reason": reason, **selectors.minutes_facts(meeting)}  # fmt: skip
