"""The written procedure's reminder, computed from the data: the members who have not answered are
reminded once per deadline; when the chair moves the deadline they are reminded again before the
new one, and a sweep that runs twice sends nothing twice."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants import services
from grants.models import AuditEvent
from tests import journey
from tests.steps import chair_of, on_agenda
from workflows.tasks import circular_sweep

START = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def procedure(application, people):
    with time_machine.travel(START, tick=False):
        item = on_agenda(application, people["office"], amount=application.requested_amount)
        return services.circular_start(agenda_item=item, actor=chair_of(item), deadline=START + dt.timedelta(days=5))


def reminders(sink) -> dict[str, list[str]]:
    """Per address, the reminders it received, each by its text (which names the deadline)."""
    received = {}
    for mail in sink.messages:
        if mail["Subject"].startswith("Erinnerung, Umlaufverfahren"):
            received.setdefault(mail["To"], []).append(mail.get_body(("plain",)).get_content())
    return received


def sweep_at(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        circular_sweep()
        circular_sweep()  # twice: nothing goes out twice


def test_a_moved_deadline_is_reminded_once_more_and_a_repeated_sweep_sends_nothing_twice(
    procedure, people, smtp_sink, celery_eager, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(START, tick=False):
        member = people["members"][1]
        services.circular_ballot_cast(ballot=procedure.ballots.get(member=member), member=member, choice="yes")
    silent = {ballot.member.email for ballot in procedure.ballots.filter(choice="")}
    assert len(silent) == 4

    sweep_at(procedure.deadline - dt.timedelta(hours=25), capture)  # too early for the reminder
    assert reminders(smtp_sink) == {}
    sweep_at(procedure.deadline - dt.timedelta(hours=23), capture)
    first = reminders(smtp_sink)
    assert set(first) == silent and all(len(texts) == 1 and "06.02.2027" in texts[0] for texts in first.values())

    # The chair gives three more days on the meeting page; the new reminder moment has not come yet.
    with time_machine.travel(procedure.deadline - dt.timedelta(hours=22), tick=False):
        chair = journey.login(people["chair"])
        page = chair.get(f"/sitzungen/{procedure.agenda_item.meeting_id}/").content.decode()
        assert f"/tagesordnung/{procedure.agenda_item_id}/umlaufverfahren/frist/" in page
        response = chair.post(f"/tagesordnung/{procedure.agenda_item_id}/umlaufverfahren/frist/",
                              {"deadline": "2027-02-09T10:00"}, follow=True)  # fmt: skip
        assert "Die Frist ist verschoben" in response.content.decode()
    procedure.refresh_from_db()
    assert timezone.localtime(procedure.deadline).date() == dt.date(2027, 2, 9)
    sweep_at(procedure.deadline - dt.timedelta(days=2), capture)
    assert reminders(smtp_sink) == first

    sweep_at(procedure.deadline - dt.timedelta(hours=23), capture)
    second = reminders(smtp_sink)
    assert set(second) == silent
    assert all(len(texts) == 2 and "09.02.2027" in texts[1] for texts in second.values())  # exactly one more each
    sweep_at(procedure.deadline - dt.timedelta(hours=1), capture)
    assert reminders(smtp_sink) == second
    moved = AuditEvent.objects.get(action="circular_deadline_move")
    assert moved.actor == people["chair"] and moved.after["deadline"].startswith("2027-02-09")


def test_only_the_chair_moves_the_deadline_and_only_into_the_future(procedure, people):
    url = f"/tagesordnung/{procedure.agenda_item_id}/umlaufverfahren/frist/"
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        assert journey.login(people["members"][1]).post(url, {"deadline": "2027-02-10T10:00"}).status_code == 403
        with pytest.raises(ValidationError, match="Vorsitz"):
            services.circular_deadline_move(procedure=procedure, actor=people["members"][1],
                                            deadline=procedure.deadline + dt.timedelta(days=1))  # fmt: skip
        refused = journey.login(people["chair"]).post(url, {"deadline": "2027-02-01T10:00"})
        assert refused.status_code == 200 and "Die Frist muss in der Zukunft liegen" in refused.content.decode()
    procedure.refresh_from_db()
    assert procedure.deadline == START + dt.timedelta(days=5)
    assert not AuditEvent.objects.filter(action="circular_deadline_move").exists()
