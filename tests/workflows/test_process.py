"""The whole life of an application, through the real URLs, flow, Celery, SMTP and PDFs."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from grants.models import Application, Decision, Document, LedgerEntry
from notifications.models import Notification
from tests import journey
from tests.conftest import wait_until
from workflows.flows import ApplicationFlow
from workflows.models import ApplicationProcess
from workflows.tasks import fire_workflow_timers


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdfs_of(message):
    return [part.get_content() for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]


def decision_letter_names() -> tuple[str, ...]:
    with translation.override("de"):
        return tuple(str(dict(Document.KINDS)[kind]) for kind in (Document.APPROVAL, Document.REJECTION))


def letter_mails(sink):
    """The e-mails that carry a decision letter (a revision request carries its own PDF)."""
    names = decision_letter_names()
    return [
        message
        for message in sink.messages
        if any((part.get_filename() or "").startswith(names) for part in message.iter_attachments())
    ]


def wait_for_letter(sink, timeout=60):
    wait_until(lambda: letter_mails(sink), timeout=timeout, message="an e-mail with a letter")
    [message] = letter_mails(sink)
    [pdf] = pdfs_of(message)
    return message, pdf


@pytest.mark.worker
def test_an_application_is_approved_paid_reported_and_closed(fund, people, club, smtp_sink, celery_worker_process):
    organisation, applicant_user = club
    applicant = journey.login(applicant_user)
    office = journey.login(people["office"])

    application = journey.apply(applicant, fund)
    assert application.status == "submitted"
    assert application.reference.startswith(f"VF-{application.submitted_at.year}-")

    journey.check_complete(office, application)
    journey.recommend(
        office, application, amount="2000.00", conditions="Zusammenarbeit mit dem Jugendbeauftragten des PK 46"
    )
    item = journey.vote_all(people["members"][:4], application)
    decision = journey.close_vote(people["chair"], item, reasons="Die Hallenmiete wird nur anteilig gefördert.")
    assert decision.kind == Decision.APPROVE
    assert decision.amount == Decimal("2000.00")
    assert LedgerEntry.objects.get(application=application, kind=LedgerEntry.COMMIT).amount == Decimal("2000.00")

    # The worker process renders the letter, files it and sends it over SMTP.
    def letter_sent():
        return Notification.objects.filter(application=application, status=Notification.SENT).exists()

    try:
        wait_until(letter_sent, message="the decision letter e-mail")
    except AssertionError:
        raise AssertionError(celery_worker_process.log_path.read_text()[-4000:]) from None
    message, pdf = wait_for_letter(smtp_sink)
    assert message["To"] == organisation.email
    assert application.reference in message["Subject"]
    text = pdf_text(pdf)
    assert application.reference in text
    assert "2.000,00 EUR" in text
    assert "Rechtsbehelfsbelehrung" in text and "Widerspruch" in text
    assert "Jugendbeauftragten" in text
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog, "the letter is not a tagged PDF"
    assert catalog["/Lang"] == "de"
    document = application.documents.get()
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    wait_until(
        lambda: application.process.task_set.filter(flow_task=ApplicationFlow.await_final).exists(),
        message="the process to wait for the decision to become final",
    )

    # The club waives its right of appeal; beat's timer sweep then makes the grant payable. The
    # condition holds the money until the office records it met; then the club asks for it all.
    response = applicant.post(f"/antraege/{application.pk}/rechtsbehelfsverzicht/")
    assert response.status_code == 302
    fire_workflow_timers()
    response = office.post(f"/akten/{application.pk}/auflagen-erfuellt/", {"note": "Vereinbarung liegt vor."})
    assert response.status_code == 302
    assert applicant.post(f"/antraege/{application.pk}/mittelabruf/", {"amount": "2000.00"}).status_code == 302
    journey.office_step(office, application, ApplicationFlow.payout_order, {"confirmed": "on"})
    journey.office_step(office, application, ApplicationFlow.payout, {"paid_on": "2026-01-15"})

    response = applicant.post(
        f"/antraege/{application.pk}/verwendungsnachweis/",
        {
            "narrative": "16 Abende mit je 25 Jugendlichen.",
            "actual_costs": "3000.00",
            "unused_amount": "0",
            "receipts": "15.02. Sporthalle Eißendorf, Hallenmiete, 1.200,00 EUR",
        },
    )
    assert response.status_code == 302
    journey.office_step(
        office, application, ApplicationFlow.review_report, {"outcome": "accept", "note": "Vollständig."}
    )

    application.refresh_from_db()
    assert application.status == "closed"
    process = ApplicationProcess.objects.get(application=application)
    assert process.status == "DONE"
    assert process.task_set.filter(flow_task=ApplicationFlow.closed).exists()


@pytest.mark.django_db(transaction=True)
def test_an_application_is_rejected_with_reasons_and_legal_remedy(fund, people, club, smtp_sink, celery_eager):
    organisation, applicant_user = club
    office = journey.login(people["office"])
    application = journey.apply(journey.login(applicant_user), fund, title="Flyer gegen Müll")
    journey.check_complete(office, application)
    journey.recommend(
        office,
        application,
        motion="reject",
        reasoning="Die Flyer wurden vor der Entscheidung bestellt; das Projekt hat begonnen.",
    )
    item = journey.vote_all(people["members"][:4], application)
    decision = journey.close_vote(people["chair"], item, reasons="Die Flyer wurden vor der Entscheidung bestellt.")

    assert decision.kind == Decision.REJECT
    message, pdf = wait_for_letter(smtp_sink)
    text = pdf_text(pdf)
    assert "Ablehnungsbescheid" in text
    assert application.reference in text
    assert "2.400,00 EUR" in text
    assert "vor der Entscheidung bestellt" in text
    assert "Widerspruch" in text
    application.refresh_from_db()
    assert application.status == "rejected"
    process = ApplicationProcess.objects.get(application=application)
    assert process.task_set.filter(flow_task=ApplicationFlow.await_objection, status="NEW").exists()
    assert not process.task_set.filter(flow_task=ApplicationFlow.rejected).exists()
    assert not LedgerEntry.objects.filter(application=application).exists()


@pytest.mark.django_db(transaction=True)
def test_the_letter_task_sends_each_letter_once_even_when_run_twice(fund, people, club, smtp_sink, celery_eager):
    from workflows.tasks import decision_letter_issue

    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2400.00")
    decision = journey.close_vote(people["chair"], journey.vote_all(people["members"][:4], application))

    decision_letter_issue.delay(decision.pk)
    decision_letter_issue.delay(decision.pk)

    wait_for_letter(smtp_sink)
    assert len(letter_mails(smtp_sink)) == 1
    assert application.documents.count() == 1
    assert Notification.objects.filter(application=application, template="decision_letter").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_revision_goes_back_to_the_office(fund, people, club, celery_eager, smtp_sink):
    applicant = journey.login(club[1])
    office = journey.login(people["office"])
    application = journey.apply(applicant, fund)
    journey.office_step(
        office,
        application,
        ApplicationFlow.check_completeness,
        {"complete": "no", "message": "Bitte Angebot der Halle nachreichen.", "deadline": "2099-01-01"},
    )
    application.refresh_from_db()
    assert application.status == "revision"
    page = applicant.get(f"/antraege/{application.pk}/").content.decode()
    assert "Bitte Angebot der Halle nachreichen." in page
    wait_until(lambda: len(smtp_sink.messages) == 2, message="receipt and revision request e-mails")
    revision_mail = smtp_sink.messages[1]
    assert "Bitte Angebot der Halle nachreichen." in revision_mail.get_body(("plain",)).get_content()
    assert "01.01.2099" in revision_mail.get_body(("plain",)).get_content()

    response = applicant.post(f"/antraege/{application.pk}/bearbeiten/", journey.application_form(fund, title="Neu"))
    assert response.status_code == 302
    assert applicant.post(f"/antraege/{application.pk}/absenden/").status_code == 302

    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.title == "Neu"
    journey.check_complete(office, application)


@pytest.mark.django_db(transaction=True)
def test_without_quorum_the_item_is_deferred_to_the_next_meeting(fund, people, club, celery_eager, smtp_sink):
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2000.00")
    first_meeting = application.agenda_items.get().meeting

    item = journey.vote_all(people["members"][:3], application)
    decision = journey.close_vote(people["chair"], item)

    assert decision.kind == Decision.DEFER
    application.refresh_from_db()
    assert application.status == "on_agenda"
    next_item = application.agenda_items.get(closed_at=None)
    assert next_item.meeting.date > first_meeting.date
    wait_until(lambda: len(smtp_sink.messages) == 2, message="the deferral e-mail")
    deferral = smtp_sink.messages[1]
    assert application.reference in deferral["Subject"]
    assert next_item.meeting.date.strftime("%d.%m.%Y") in deferral.get_body(("plain",)).get_content()
    # The process waits for the next meeting's decision.
    assert application.process.task_set.filter(flow_task=ApplicationFlow.await_decision, status="NEW").count() == 1
    decision = journey.close_vote(
        people["chair"], journey.vote_all(people["members"][:4], application), reasons="Angemessen gekürzt."
    )
    assert decision.kind == Decision.APPROVE
    assert Application.objects.get(pk=application.pk).status == "approved"


@pytest.mark.django_db(transaction=True)
def test_the_receipt_names_the_meeting_and_warns_when_the_project_starts_before_it(
    fund, people, club, celery_eager, smtp_sink
):
    import datetime as dt

    import time_machine

    # Filed on 6 December: too late for December's cut-off, so January's meeting decides.
    with time_machine.travel(dt.datetime(2026, 12, 6, 10, 0), tick=False):
        form = journey.application_form(fund)
        form["start_date"] = "2027-01-10"
        response = journey.login(club[1]).post("/antraege/neu/", form)
        assert response.status_code == 302
        application = Application.objects.latest("created")
        assert journey.login(club[1]).post(f"/antraege/{application.pk}/absenden/").status_code == 302

    [receipt] = smtp_sink.wait_for(1)
    body = receipt.get_body(("plain",)).get_content()
    assert "VF-2026-0001" in receipt["Subject"]
    assert "20.01.2027" in body
    assert Application.objects.get(pk=application.pk).meeting.date == dt.date(2027, 1, 20)
    assert "vor dieser Sitzung" in body


@pytest.mark.django_db(transaction=True)
def test_amounts_may_be_typed_the_german_way(fund, club, celery_eager):
    form = journey.application_form(fund, requested="2.400,50", own="599,50", costs=("3.000,00",))
    response = journey.login(club[1]).post("/antraege/neu/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.latest("created")
    assert application.requested_amount == Decimal("2400.50")
    assert application.total_cost == Decimal("3000.00")
