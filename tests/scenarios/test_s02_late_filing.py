"""Scenario 2, late filing.

An application arrives on the 6th of the month, after the cut-off on the 1st: it
misses this month's meeting and goes on next month's agenda, and the applicant is
told that the planned start lies before that meeting.

The test process files on 6 December 2026 (time-machine), so the December meeting
(16 December, cut-off 1 December) is missed and the January meeting (20 January
2027) decides. The Celery worker process keeps the real clock: of the receipt it
sends, only what it derives from stored data is asserted.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from grants.models import Meeting
from tests import journey
from tests.conftest import steering_group, wait_until
from tests.factories import FundFactory

FILED_AT = dt.datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
MISSED_MEETING = dt.date(2026, 12, 16)
DECIDING_MEETING = dt.date(2027, 1, 20)
PLANNED_START = dt.date(2027, 1, 10)  # before the deciding meeting


@pytest.mark.worker
def test_a_late_application_goes_on_next_months_agenda_and_the_applicant_is_warned_of_the_early_start(
    club, smtp_sink, celery_worker_process
):
    organisation, applicant_user = club

    with time_machine.travel(FILED_AT, tick=False):
        applicant = journey.login(applicant_user)  # a session lives 12 hours: sign in on the filing day
        # The fund plans its meetings from "today", so it is set up on the filing day.
        fund = FundFactory(
            name="Verfügungsfonds der Sicherheitskonferenz Harburg", slug="harburg", reference_prefix="VF"
        )
        people = steering_group(fund)
        missed = Meeting.objects.get(fund=fund, date=MISSED_MEETING)
        assert missed.cutoff == dt.date(2026, 12, 1)

        application = journey.apply(
            applicant, fund, title="Flyer für saubere Straßen", start_in_days=(PLANNED_START - FILED_AT.date()).days
        )
        assert application.start_date == PLANNED_START
        assert application.reference.startswith("VF-2026-")
        assert application.meeting.date == DECIDING_MEETING

        office = journey.login(people["office"])
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2400.00")

    # On the agenda of January's meeting, not December's.
    item = journey.open_item(application)
    assert item.meeting.date == DECIDING_MEETING
    assert not missed.agenda_items.exists()
    meeting_page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert application.reference in meeting_page
    assert application.reference not in journey.login(people["chair"]).get(f"/sitzungen/{missed.pk}/").content.decode()

    # The worker sends the receipt over SMTP: the meeting date and the warning.
    wait_until(lambda: smtp_sink.messages, message="the receipt e-mail sent by the worker")
    [receipt] = smtp_sink.messages
    assert receipt["To"] == organisation.email
    assert receipt["Subject"] == f"Wir haben Ihren Antrag {application.reference} erhalten"
    body = " ".join(receipt.get_body(("plain",)).get_content().split())
    assert f"Er ist am 06.12.2026 bei uns eingegangen. Das Aktenzeichen lautet {application.reference}." in body
    assert "Die Lenkungsgruppe entscheidet darüber in der Sitzung am 20.01.2027." in body
    assert "Bitte beachten Sie: Ihr Projekt soll vor dieser Sitzung beginnen." in body

    # The applicant's page gives the same warning, with the meeting date.
    page = applicant.get(f"/antraege/{application.pk}/").content.decode()
    assert "Das Projekt soll beginnen, bevor die Lenkungsgruppe am 20.01.2027 entscheidet." in " ".join(page.split())
    assert "Sitzung am 20.01.2027" in page
