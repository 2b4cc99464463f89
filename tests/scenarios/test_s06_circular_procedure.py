"""Scenario 6, circular procedure: graffiti at a school; the school asks for 800 EUR. The chair
starts a written vote with a 5-day deadline. (a) A majority of all voting members agrees: approved,
and it appears in the next minutes. (b) One member objects: the item moves to the next meeting."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from grants.models import CircularProcedure, Decision, Document
from tests import journey
from tests.conftest import wait_until
from tests.workflows.test_process import pdf_text, wait_for_letter
from workflows.flows import ApplicationFlow

GRAFFITI = {"title": "Graffiti-Workshop an der Goethe-Schule", "requested": "800.00", "own": "200.00",
            "costs": ("1000.00",)}  # fmt: skip


@pytest.fixture
def started(fund, people, club):
    """The school's application on the agenda, and the chair's written procedure with a 5-day deadline."""
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund, **GRAFFITI)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="800.00", reasoning="Dringend: die Ferien beginnen.")
    item = journey.open_item(application)
    chair = journey.login(people["chair"])
    deadline = timezone.localtime() + dt.timedelta(days=5)
    response = chair.post(f"/tagesordnung/{item.pk}/umlaufverfahren/",
                          {"deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "reasons": ""})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    procedure = CircularProcedure.objects.get(agenda_item=item)
    assert procedure.ballots.count() == 5  # every member with a vote
    return procedure


def answer(member, procedure, choice):
    ballot = procedure.ballots.get(member=member)
    response = journey.login(member).post(f"/umlauf/{ballot.pk}/", {"choice": choice})
    assert response.status_code == 302, response.content.decode()[:3000]


def invitations(sink, people):
    return [mail for mail in sink.messages if "Umlaufverfahren" in mail["Subject"]]


@pytest.mark.worker
def test_a_majority_of_all_voting_members_adopts_it_and_the_next_minutes_record_it(
    celery_worker_process,
    smtp_sink,
    started,
    people,  # the worker first: it empties the broker
):
    wait_until(lambda: len(invitations(smtp_sink, people)) == 5, message="the e-mails to the five voting members")
    inbox = journey.login(people["members"][1]).get("/umlauf/").content.decode()
    assert "Graffiti-Workshop" in inbox
    for member in people["members"][:3]:
        answer(member, started, "yes")
    started.refresh_from_db()
    assert started.result == "open"  # three of five answered: it runs until the deadline

    with time_machine.travel(started.deadline + dt.timedelta(minutes=1)):
        call_command("run_due_jobs")  # what beat runs every few minutes, here as from cron
    started.refresh_from_db()
    assert started.result == "adopted"
    decision = Decision.objects.get(agenda_item=started.agenda_item)
    assert (decision.kind, str(decision.amount)) == ("approve", "800.00")
    _message, pdf = wait_for_letter(smtp_sink)
    assert "800,00 EUR" in pdf_text(pdf)
    application = started.agenda_item.application
    wait_until(lambda: application.process.task_set.filter(flow_task=ApplicationFlow.await_final).exists(),
               message="the process to go on after the written decision")  # fmt: skip

    # The meeting that follows records it in its minutes.
    meeting = started.agenda_item.meeting
    chair = journey.login(people["chair"])
    assert chair.post(f"/sitzungen/{meeting.pk}/eroeffnen/").status_code == 302
    assert chair.post(f"/sitzungen/{meeting.pk}/schliessen/").status_code == 302
    assert chair.post(f"/sitzungen/{meeting.pk}/protokoll/").status_code == 302
    minutes = Document.objects.get(meeting=meeting, kind=Document.MINUTES)
    with minutes.file.open("rb") as data:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data.read())).pages).split())
    assert "Beschlüsse im Umlaufverfahren" in text and "Graffiti-Workshop" in text and "angenommen (3 Ja" in text


@pytest.mark.django_db(transaction=True)
def test_one_objection_sends_the_item_to_the_meeting(celery_eager, started, people):
    answer(people["members"][1], started, "object")
    for member in [people["members"][0], *people["members"][2:5]]:
        answer(member, started, "yes")  # the last answer ends the procedure at once
    started.refresh_from_db()
    assert started.result == "objected"
    item = started.agenda_item
    item.refresh_from_db()
    assert item.closed_at is None and not Decision.objects.exists()
    assert item.motions.get().result == "open"  # the meeting votes on it
    assert item.application.process.task_set.filter(flow_task=ApplicationFlow.await_decision, status="NEW").exists()
    page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "läuft bis" not in page  # no procedure running any more


@pytest.mark.django_db(transaction=True)
def test_a_recused_member_neither_answers_nor_counts(celery_eager, started, people):
    from grants import services

    services.conflict_declare(agenda_item=started.agenda_item, member=people["members"][4], reason="Elternbeirat")
    assert started.ballots.count() == 4
    for member in people["members"][:3]:
        answer(member, started, "yes")
    answer(people["members"][3], started, "no")
    started.refresh_from_db()
    assert started.result == "adopted"  # 3 of the 4 who may vote


@pytest.mark.django_db(transaction=True)
def test_when_the_last_answers_close_does_not_go_through_the_sweep_closes_it_before_the_deadline(
    celery_eager, started, people
):
    """The last answer closes the procedure in a transaction of its own (its locks come before the
    audit chain); should that fail, the ballots stand and the circular sweep closes the procedure."""
    from grants import services
    from workflows.tasks import circular_sweep

    for ballot in started.ballots.select_related("member"):
        services.circular_ballot_cast(ballot=ballot, member=ballot.member, choice="yes")  # no close after
    started.refresh_from_db()
    assert started.result == "open" and started.deadline > timezone.now()
    circular_sweep()
    started.refresh_from_db()
    assert started.result == "adopted"
    assert Decision.objects.get(agenda_item=started.agenda_item).amount == 800
