"""What each document says: its template, its mandatory parts (DOMAIN.md) and the facts it is
rendered from. The legal text itself is German and lives in templates/letters/."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.utils.translation import gettext as _

from . import selectors
from .calendar import meeting_place, meeting_start
from .models import Decision, Document, LetterTexts
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


TYPES[Document.RECEIPT] = DocumentType("letters/receipt.html", LETTER + ("received", "meeting", "next_steps"))


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


TYPES[Document.REVISION_REQUEST] = DocumentType(
    "letters/revision_request.html", LETTER + ("items", "deadline", "consequences")
)


def revision_request_context(revision, *, letter_date: dt.date, extended_from: dt.date | None = None) -> dict:
    """What the applicant must fix (the checklist items and the office's words), by when, and
    what follows when no answer comes; for an extension, also the deadline it replaces."""
    application = revision.application
    return {
        "fund": application.fund,
        "organisation": application.organisation,
        "application": application,
        "revision": revision,
        "letter_date": letter_date,
        "meeting": application.meeting,
        "extended_from": extended_from,
    }


PAPER = ("issuer", "meeting", "signature")  # every paper of a meeting
TYPES[Document.AGENDA_PACK] = DocumentType("letters/agenda_pack.html", PAPER[:2] + ("items", "money"))
TYPES[Document.MINUTES] = DocumentType("letters/minutes.html", PAPER + ("attendance", "items"))


TYPES[Document.INVITATION] = DocumentType(
    "letters/invitation.html", ("issuer", "recipient", "date", "meeting", "place", "agenda", "signature")
)


def invitation_context(meeting, *, letter_date: dt.date) -> dict:
    """The meeting's day, time and place, and its agenda: the applications, objections and change
    requests in their order."""
    items = list(meeting.agenda_items.select_related("application__organisation").order_by("position"))
    return {
        "fund": meeting.fund,
        "meeting": meeting,
        "starts_at": meeting_start(meeting),
        "place": meeting_place(meeting),
        "items": items,
        "agenda": [f"{n}. {_agenda_topic(item)}" for n, item in enumerate(items, 1)],
        "letter_date": letter_date,
    }


def _agenda_topic(item) -> str:
    names = {"reference": item.application.reference, "title": item.application.title}
    if item.objection_id:
        return _("Objection to %(reference)s: %(title)s") % names
    if item.change_request_id:
        return _("Change request on %(reference)s: %(title)s") % names
    return "{reference}: {title}".format(**names)


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


# Reminders of the use-of-funds report: 7 days after it fell due, and a final one 14 days after.
TYPES[Document.REPORT_REMINDER] = DocumentType("letters/report_reminder.html", LETTER + ("report_due", "request"))
TYPES[Document.FINAL_REMINDER] = DocumentType(
    "letters/final_reminder.html", LETTER + ("report_due", "request", "deadline", "consequences")
)


def report_reminder_context(application, *, letter_date: dt.date, answer_by: dt.date | None = None) -> dict:
    """The grant's decision and the report's due date; a final reminder also sets a last date."""
    return later_letter_context(
        application, letter_date=letter_date, report_due=application.report_due, answer_by=answer_by
    )


# Letters after the decision (instalments, repayment, changes, objections).
TYPES[Document.PAYOUT_ORDER] = DocumentType(
    "letters/payout_order.html",
    ("issuer", "recipient", "reference", "date", "amount", "payee", "account", "purpose", "grant", "signature"),
)
TYPES[Document.HEARING] = DocumentType("letters/hearing.html", LETTER + ("claim", "reasons", "deadline"))
TYPES[Document.REVOCATION] = DocumentType(
    "letters/revocation.html", LETTER + ("revocation", "amount", "interest", "due_date", "reasons", "remedy")
)
TYPES[Document.AMENDMENT] = DocumentType(
    "letters/amendment.html", LETTER + ("changes", "unchanged", "reasons", "remedy")
)
TYPES[Document.CHANGE_REFUSAL] = DocumentType(
    "letters/change_refusal.html", LETTER + ("request", "decision", "reasons", "remedy")
)
TYPES[Document.OBJECTION_DECISION] = DocumentType(
    "letters/objection_decision.html", LETTER + ("decision", "reasons", "remedy")
)


def later_letter_context(application, *, letter_date: dt.date, **facts) -> dict:
    """What every letter after the decision states: the parties, the decision it refers to, and
    when it counts as notified and its own legal remedy period ends."""
    fund = application.fund
    notified_on = dates.deemed_notified(letter_date, days=fund.notification_days)
    return {
        "fund": fund,
        "organisation": application.organisation,
        "application": application,
        "decision": selectors.latest_decision(application),
        "letter_date": letter_date,
        "notified_on": notified_on,
        "remedy_ends_on": dates.appeal_period_end(notified_on, months=fund.appeal_months, state=fund.state),
        **facts,
    }


# The office's recommendation paper (Beschlussvorlage) for the steering group: rendered on request.
RECOMMENDATION_PAPER = "recommendation_paper"
TYPES[RECOMMENDATION_PAPER] = DocumentType(
    "letters/recommendation_paper.html",
    ("issuer", "meeting", "reference", "applicant", "project", "financing", "recommendation", "reasoning", "money",
     "signature"),
)  # fmt: skip


def recommendation_paper_context(application, recommendation, *, letter_date: dt.date) -> dict:
    """The application, the office's recommendation and the fund's money; no bank data, no contact details."""
    item = application.agenda_items.filter(recommendation=recommendation).select_related("meeting").first()
    return {
        "fund": application.fund,
        "application": application,
        "recommendation": recommendation,
        "meeting": item.meeting if item else application.meeting,
        "fiscal_year": selectors.current_fiscal_year(application.fund),
        "letter_date": letter_date,
    }


def texts_for(fund) -> LetterTexts:
    """The fund's letter texts, or the standard ones while its admin has not edited them."""
    return LetterTexts.objects.filter(fund=fund).first() or LetterTexts(fund=fund)


def sample_approval_context(fund, texts: LetterTexts, *, letter_date: dt.date) -> dict:
    """A grant decision to an invented club, for the admin's preview of the letter texts."""
    today = letter_date
    aims = SimpleNamespace(all=list(fund.aims.all()[:2]) if fund.pk else [])
    application = SimpleNamespace(
        reference=f"{fund.reference_prefix}-{today.year}-0000", title="Mitternachtsfußball (Beispiel)",
        submitted_at=today - dt.timedelta(days=40), summary="Freitags Fußball von 22 bis 24 Uhr.", aims=aims,
        requested_amount=Decimal("2400.00"), total_cost=Decimal("3000.00"), start_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=120),
    )  # fmt: skip
    decision = SimpleNamespace(
        decided_at=today - dt.timedelta(days=3), amount=Decimal("2400.00"), reasons="", financing_type="gap",
        eligible_costs=Decimal("3000.00"), share=Decimal("80.00"), own_funds=Decimal("600.00"), own_work=Decimal(0),
        third_party_funds=Decimal(0), uncovered=Decimal(0), conditions="",
        notified_on=dates.deemed_notified(today, days=fund.notification_days),
    )  # fmt: skip
    decision.appeal_ends_on = dates.appeal_period_end(decision.notified_on, months=fund.appeal_months, state=fund.state)
    organisation = SimpleNamespace(name="Beispielverein e.V.", contact_name="Erika Beispiel", street="Musterweg 1",
                                   postcode="21073", city="Hamburg")  # fmt: skip
    return {
        "fund": fund, "texts": texts, "organisation": organisation, "application": application, "decision": decision,
        "letter_date": today, "notification_days": fund.notification_days,
        "report_due": dates.report_due(application.end_date, weeks=fund.report_weeks),
        "payable_from": dates.payable_from(decision.appeal_ends_on),
    }  # fmt: skip
