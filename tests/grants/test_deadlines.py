"""Deadline sweeps: each notice once per object, kind and due date, whenever and however often the
sweep runs; a moved date starts afresh; the reminder letters are filed and attached."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from grants.models import Document, RevisionRequest
from grants.services import deadlines
from notifications.models import Notification
from tests.factories import ApplicationFactory

TODAY = dt.date(2027, 3, 10)


def paid(fund, club, report_due, **fields):
    organisation, user = club
    return ApplicationFactory(fund=fund, organisation=organisation, created_by=user, status="paid",
                              report_due=report_due, reference=f"VF-2027-{report_due:%m%d}", **fields)  # fmt: skip


def events(application) -> list[str]:
    return sorted(Notification.objects.filter(application=application).values_list("template", flat=True))


def test_each_report_stage_is_sent_once_on_its_day(db, fund, club, people):
    application = paid(fund, club, TODAY)
    days = {-15: [], -14: ["report_upcoming"], -1: [], 0: ["report_due_today"], 7: ["report_reminder"],
            14: ["report_final_reminder"], 21: ["report_escalation"]}  # fmt: skip
    seen = []
    for offset, expected in days.items():
        for _run in range(2):  # a sweep that runs twice sends nothing twice
            deadlines.deadlines_run(today=TODAY + dt.timedelta(days=offset))
        seen += expected
        assert sorted(set(events(application))) == sorted(seen), offset
    escalation = Notification.objects.filter(template="report_escalation")
    assert {row.email for row in escalation} == {fund.office_email, people["office"].email}
    assert Notification.objects.filter(application=application).count() == 4 + 2


def test_beat_down_across_stages_sends_only_the_latest_and_a_moved_date_starts_afresh(db, fund, club):
    application = paid(fund, club, TODAY)
    deadlines.deadlines_run(today=TODAY + dt.timedelta(days=8))  # nothing ran for three weeks
    assert events(application) == ["report_reminder"]
    application.report_due = TODAY + dt.timedelta(days=30)  # the office extended the deadline
    application.save(update_fields=["report_due"])
    deadlines.deadlines_run(today=TODAY + dt.timedelta(days=16))
    assert events(application) == ["report_reminder", "report_upcoming"]


@pytest.mark.django_db(transaction=True)
def test_the_reminder_letters_are_filed_attached_and_name_the_due_date(fund, club, smtp_sink, celery_eager):
    application = paid(fund, club, TODAY)
    deadlines.deadlines_run(today=TODAY + dt.timedelta(days=7))
    deadlines.deadlines_run(today=TODAY + dt.timedelta(days=14))
    reminder = Document.objects.get(application=application, kind=Document.REPORT_REMINDER)
    final = Document.objects.get(application=application, kind=Document.FINAL_REMINDER)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(final.file.read())).pages)
    assert "Datum 24.03.2027" in text and "10.03.2027" in text and "07.04.2027" in text  # answer by 14 days later
    messages = smtp_sink.wait_for(2)
    attached = [part.get_filename() for message in messages for part in message.iter_attachments()]
    assert reminder.filename in attached and final.filename in attached


def test_revision_reminder_and_overdue_notice_follow_the_deadline(db, fund, club, people):
    organisation, user = club
    application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, status="revision",
                                     reference="VF-2027-0001")  # fmt: skip
    request = RevisionRequest.objects.create(application=application, message="Kostenplan fehlt.", deadline=TODAY,
                                             requested_by=people["office"])  # fmt: skip
    for offset in (-4, -3, -3, 0, 1, 1):
        deadlines.deadlines_run(today=TODAY + dt.timedelta(days=offset))
    assert events(application) == ["revision_overdue", "revision_overdue", "revision_reminder"]
    request.answered_at = timezone.now()
    request.save()
    assert deadlines.deadlines_run(today=TODAY + dt.timedelta(days=5))["revision"] == 0


@pytest.mark.django_db(transaction=True)
def test_run_due_jobs_runs_the_deadline_sweep(fund, club, celery_eager, smtp_sink):
    application = paid(fund, club, TODAY)
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, tzinfo=timezone.get_current_timezone())):
        call_command("run_due_jobs")
        call_command("run_due_jobs")
    assert events(application) == ["report_due_today"]
    assert smtp_sink.wait_for(1)[0]["To"] == club[0].email


def test_a_reminder_letter_is_not_offered_for_correction_and_refused_as_one(db, fund, club, people):
    from grants import services

    application = paid(fund, club, TODAY)
    deadlines.deadlines_run(today=TODAY + dt.timedelta(days=7))
    reminder = Document.objects.get(application=application, kind=Document.REPORT_REMINDER)
    with pytest.raises(ValidationError, match="nur ein Bescheid"):
        services.document_correct(document=reminder, actor=people["office"], reason="Tippfehler")
