"""Every document type of grants/letters.py TYPES is rendered here and read back: archivable and
tagged (PDF/A-3a identification in its XMP metadata, a structure tree, /Lang de), page numbers, and
each mandatory part marked in its template, so that a letter missing one is refused.

A new letter type needs a sample context in SAMPLES below, or test_every_type_has_a_sample fails."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from pypdf import PdfReader

from grants import letters, services
from grants.models import Decision, Document
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


SAMPLES = {
    Document.APPROVAL: approval,
    Document.REJECTION: rejection,
    Document.AGENDA_PACK: agenda_pack,
    Document.MINUTES: minutes,
    Document.REPORT_REMINDER: report_reminder,
    Document.FINAL_REMINDER: final_reminder,
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
