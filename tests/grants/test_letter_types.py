"""Every document type of grants/letters.py TYPES is rendered here and read back: archivable and
tagged (PDF/A-3a identification in its XMP metadata, a structure tree, /Lang de), page numbers, and
each mandatory part marked in its template, so that a letter missing one is refused.

A new letter type needs a sample context in SAMPLES below, or test_every_type_has_a_sample fails."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from pypdf import PdfReader

from grants import letters, services
from grants.models import Decision, Document, Instalment, Objection, RepaymentClaim, RevisionRequest
from notifications.pdf import missing_parts, render_pdf
from tests import steps

TODAY = dt.date(2027, 3, 10)


def decided(application, people, motion):
    item = steps.on_agenda(application, people["office"], motion=motion,
                           amount=0 if motion == "reject" else application.requested_amount)  # fmt: skip
    steps.vote(item, people["members"][:4], "yes")
    services.vote_close(agenda_item=item, actor=steps.chair_of(item), reasons="Begründung des Gremiums.")
    decision = Decision.objects.get(application=application)
    decision.notified_on, decision.appeal_ends_on = TODAY, TODAY + dt.timedelta(days=31)
    decision.save()
    return decision


def approval(application, people, club):
    return letters.decision_letter_context(decided(application, people, "approve"), letter_date=TODAY)


def rejection(application, people, club):
    return letters.decision_letter_context(decided(application, people, "reject"), letter_date=TODAY)


def agenda_pack(application, people, club):
    item = steps.on_agenda(application, people["office"])
    return letters.agenda_pack_context(item.meeting, letter_date=TODAY)


def invitation(application, people, club):
    item = steps.on_agenda(application, people["office"])
    return letters.invitation_context(item.meeting, letter_date=TODAY)


def minutes(application, people, club):
    decision = decided(application, people, "approve")
    return letters.minutes_context(decision.agenda_item.meeting, letter_date=TODAY)


def report_reminder(application, people, club, answer_by=None):
    decided(application, people, "approve")
    application.report_due = TODAY
    application.save(update_fields=["report_due"])
    return letters.report_reminder_context(application, letter_date=TODAY, answer_by=answer_by)


def final_reminder(application, people, club):
    return report_reminder(application, people, club, answer_by=TODAY + dt.timedelta(days=14))


def receipt(application, people, club):
    application.submitted_at = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)
    application.reference = "VF-2027-0001"
    return letters.receipt_letter_context(application, letter_date=TODAY)


def revision_request(application, people, club):
    application.submitted_at = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)
    revision = RevisionRequest(application=application, message="Bitte reichen Sie ein zweites Angebot nach.",
                               items=["quotes"], deadline=TODAY + dt.timedelta(days=14))  # fmt: skip
    return letters.revision_request_context(revision, letter_date=TODAY)


def recommendation_paper(application, people, club):
    item = steps.on_agenda(application, people["office"])
    return letters.recommendation_paper_context(application, item.recommendation, letter_date=TODAY)


def later(application, people, **facts):
    """A letter after the decision (services.later_letter_issue's context) on an approved grant."""
    decided(application, people, "approve")
    return letters.later_letter_context(application, letter_date=TODAY, **facts)


def payout_order(application, people, club):
    organisation = club[0]
    instalment = Instalment(application=application, number=1, amount=Decimal("1000.00"))
    return later(application, people, instalment=instalment, paid_before=Decimal("0.00"),
                 left_after=application.requested_amount - instalment.amount, fiscal_year=TODAY.year,
                 account_holder=organisation.account_holder or organisation.name, iban=organisation.iban,
                 payable_from=TODAY, ordered_by_name="Geschäftsstelle")  # fmt: skip


def repayment_claim() -> RepaymentClaim:
    return RepaymentClaim(amount=Decimal("150.00"), reason=RepaymentClaim.Reason.UNUSED, interest_points=Decimal("5"),
                          explanation="150 € wurden nicht verwendet.", hearing_deadline=TODAY + dt.timedelta(days=14),
                          statement="Wir zahlen zurück.", due_on=TODAY + dt.timedelta(days=30))  # fmt: skip


def hearing(application, people, club):
    return later(application, people, claim=repayment_claim(), paid=Decimal("2000.00"))


def revocation(application, people, club):
    return later(application, people, claim=repayment_claim(), remaining_grant=Decimal("1850.00"),
                 base_rate=Decimal("1.27"), interest_until_due=Decimal("3.24"), total_until_due=Decimal("153.24"),
                 hearing_date=TODAY - dt.timedelta(days=20))  # fmt: skip


def amendment(application, people, club):
    return later(application, people, changes=["Der Bewilligungszeitraum endet am 31.12.2027."],
                 occasion="Auf Ihren Änderungsantrag:", reasons="Die Verlängerung ist begründet.",
                 report_due=TODAY)  # fmt: skip


def change_refusal(application, people, club):
    return later(application, people, requested=["Ende des Bewilligungszeitraums am 31.12.2027 statt am 31.07.2027."],
                 occasion="Auf Ihren Änderungsantrag:", reasons="Das Projekt soll im Sommer stattfinden.")  # fmt: skip


def objection_decision(application, people, club):
    objection = Objection(received_on=TODAY, in_time=True, grounds="…", reasons="Der Bescheid bleibt bestehen.")
    return later(application, people, objection=objection)


SAMPLES = {
    Document.RECEIPT: receipt,
    Document.REVISION_REQUEST: revision_request,
    Document.APPROVAL: approval,
    Document.REJECTION: rejection,
    Document.AGENDA_PACK: agenda_pack,
    Document.INVITATION: invitation,
    Document.MINUTES: minutes,
    Document.REPORT_REMINDER: report_reminder,
    Document.FINAL_REMINDER: final_reminder,
    Document.PAYOUT_ORDER: payout_order,
    Document.HEARING: hearing,
    Document.REVOCATION: revocation,
    Document.AMENDMENT: amendment,
    Document.CHANGE_REFUSAL: change_refusal,
    Document.OBJECTION_DECISION: objection_decision,
    letters.RECOMMENDATION_PAPER: recommendation_paper,
}


def test_every_type_has_a_sample():
    assert set(letters.TYPES) - set(SAMPLES) == set(), "add a sample context for the new letter type"


def pdfa_identification(pdf: bytes) -> tuple[str, str]:
    xmp = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    part = re.search(r'pdfaid:part(?:>|=")(\d)', xmp)
    conformance = re.search(r'pdfaid:conformance(?:>|=")([ABU])', xmp)
    return (part and part.group(1), conformance and conformance.group(1))


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_letter_type_is_an_archivable_tagged_german_pdf_with_all_its_parts(kind, application, people, club):
    document_type = letters.TYPES[kind]
    context = SAMPLES[kind](application, people, club)
    html = render_to_string(document_type.template, context)
    assert missing_parts(html, document_type.parts) == []
    for part in document_type.parts:  # each part is marked, so that a letter without it is refused
        unmarked = re.sub(rf'\sdata-part="{part}"', "", html)
        assert part in missing_parts(unmarked, document_type.parts), part

    pdf = render_pdf(document_type.template, context, parts=document_type.parts)
    assert pdfa_identification(pdf) == ("3", "A")
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(r"Seite 1 von \d", text)
    assert context["fund"].owner_body in text


def test_a_letter_missing_a_part_is_refused_naming_it(application, people, club):
    context = rejection(application, people, club)
    context["decision"].reasons = ""
    kind = letters.TYPES[Document.REJECTION]
    with pytest.raises(ValidationError, match="reasons"):
        render_pdf(kind.template, context, parts=kind.parts)


def test_the_final_reminder_without_its_last_date_is_refused(application, people, club):
    context = report_reminder(application, people, club)
    kind = letters.TYPES[Document.FINAL_REMINDER]
    with pytest.raises(ValidationError, match="deadline"):
        render_pdf(kind.template, context, parts=kind.parts)
    # the first reminder sets no last date
    render_pdf(
        letters.TYPES[Document.REPORT_REMINDER].template, context, parts=letters.TYPES[Document.REPORT_REMINDER].parts
    )


def test_the_receipt_names_the_meeting_that_decides_or_says_that_it_is_not_set_yet(application, people, club):
    kind = letters.TYPES[Document.RECEIPT]
    context = receipt(application, people, club)
    item = steps.on_agenda(application, people["office"])
    context["meeting"] = item.meeting
    text = " ".join(
        PdfReader(io.BytesIO(render_pdf(kind.template, context, parts=kind.parts))).pages[0].extract_text().split()
    )
    assert f"in seiner Sitzung am {item.meeting.date:%d.%m.%Y}" in text
    context["meeting"] = None
    text = " ".join(
        PdfReader(io.BytesIO(render_pdf(kind.template, context, parts=kind.parts))).pages[0].extract_text().split()
    )
    assert "steht noch nicht fest; wir teilen Ihnen den Termin mit" in text
