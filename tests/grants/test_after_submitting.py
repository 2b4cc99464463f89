"""After submitting: the receipt letter (PDF, also attached to the e-mail), the timeline with
expected dates that move with the meeting, the letters list, and withdrawing."""

import datetime as dt
import io

import pytest
from django.test import Client
from pypdf import PdfReader

from grants.models import Document
from grants.rules import dates
from tests import journey


@pytest.fixture(autouse=True)
def _receipt_letters(fund):
    fund.receipt_letter = True
    fund.save(update_fields=["receipt_letter"])


def test_the_receipt_letter_is_filed_and_attached_to_the_email(transactional_db, celery_eager, smtp_sink, fund, club):
    client = journey.login(club[1])
    application = journey.apply(client, fund, title="Nachtcafé <script>alert(1)</script>")
    document = Document.objects.get(application=application, kind=Document.RECEIPT)
    text = " ".join(page.extract_text() for page in PdfReader(document.file.open("rb")).pages)
    assert "Eingangsbestätigung" in text and application.reference in text
    assert "Nachtcafé <script>alert(1)</script>" in text  # shown as text, never run
    assert application.meeting.date.strftime("%d.%m.%Y") in text
    message = smtp_sink.wait_for(1)[0]
    html = message.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html  # escaped in the e-mail
    attachments = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert PdfReader(io.BytesIO(attachments[0].get_content())).pages[0].extract_text() == (
        PdfReader(document.file.open("rb")).pages[0].extract_text()
    )
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert f"/dokumente/{document.pk}/" in page and "Eingangsbestätigung" in page
    assert "<script>alert(1)</script>" not in page
    assert client.get(f"/dokumente/{document.pk}/").status_code == 200


def test_the_timeline_expects_the_meeting_letter_final_day_payout_and_report_and_moves_with_the_meeting(
    transactional_db, celery_eager, fund, club
):
    client = journey.login(club[1])
    application = journey.apply(client, fund)
    meeting = application.meeting
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    letter = meeting.date + dt.timedelta(days=7)
    final = dates.appeal_period_end(dates.deemed_notified(letter, days=fund.notification_days),
                                    months=fund.appeal_months, state=fund.state)  # fmt: skip
    due = dates.report_due(application.end_date, weeks=fund.report_weeks)
    payout = final + dt.timedelta(days=1)
    for label, day in (("Sitzung, die entscheidet", meeting.date), ("Bescheid", letter),
                       ("Bescheid wird bestandskräftig", final), ("Frühestmögliche Auszahlung", payout),
                       ("Verwendungsnachweis fällig", due)):  # fmt: skip
        assert label in page and f"voraussichtlich {day.day}. " in page, (label, day)
    moved = meeting.date + dt.timedelta(days=14)
    meeting.date = moved
    meeting.save(update_fields=["date"])
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert f"voraussichtlich {moved.day}. " in page


def test_withdrawing_asks_first_then_cancels_the_process(transactional_db, celery_eager, fund, club):
    client = journey.login(club[1])
    application = journey.apply(client, fund)
    page = client.get(f"/antraege/{application.pk}/zurueckziehen/").content.decode()
    assert "wirklich zurückziehen" in page
    application.refresh_from_db()
    assert application.status == "submitted"  # the GET only asks
    assert client.post(f"/antraege/{application.pk}/zurueckziehen/").status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.process.status == "CANCELED"
    assert not application.process.task_set.filter(status="NEW").exists()
    other = Client()
    assert other.post(f"/antraege/{application.pk}/zurueckziehen/").status_code == 302  # to the sign-in
