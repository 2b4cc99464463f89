"""Scenario 10, change request: a summer event moves from July to September. Before the grant
period ends the club asks to extend it; the office approves (within the fund's rules), an
amendment letter (Änderungsbescheid) is issued, and the report's due date moves with it. A
longer extension goes to the steering group; money can move between cost lines. The club's steps
go through its portal pages, posting the fields each page renders (tests.pages)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from grants.letters import TYPES
from grants.models import ChangeRequest, Meeting
from grants.services.papers import agenda_pack_render
from tests import journey, pages
from tests.aftercare import order_and_pay, request_money
from tests.workflows.test_process import pdf_text
from workflows import api
from workflows.flows import ApplicationFlow
from workflows.tasks import fire_workflow_timers

APRIL, JULY = dt.datetime(2026, 4, 20, 10), dt.datetime(2026, 7, 10, 10)


def summer_event(fund, people, club, costs=("3000.00",)):
    """The club's summer festival in July 2026, approved, final and the first 1,000 EUR paid."""
    applicant, office = journey.login(club[1]), journey.login(people["office"])
    with time_machine.travel(APRIL, tick=False):
        application = journey.apply(applicant, fund, title="Sommerfest im Park", costs=costs,
                                    start_date="2026-07-01", end_date="2026-07-31")  # fmt: skip
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2400.00")
        journey.close_vote(people["chair"], journey.vote_all(people["members"][:4], application))
        journey.waive_appeal(applicant, application)
        fire_workflow_timers()
        assert request_money(club, application, "1000.00").status_code == 302
        order_and_pay(people, application, "2026-04-20")
    application.refresh_from_db()
    assert application.report_due == dt.date(2026, 9, 25)  # 8 weeks after 31 July
    return application


def ask(club, application, **data):
    """The club asks for a change on its page; the cost lines keep the amounts the page shows unless changed."""
    form = {"reason": "Der Park ist im Juli wegen Bauarbeiten gesperrt.", **data}
    return pages.submit(journey.login(club[1]), f"/antraege/{application.pk}/aenderung/", form)


@pytest.mark.django_db(transaction=True)
def test_the_office_extends_the_grant_period_and_the_report_date_moves(fund, people, club, celery_eager, smtp_sink):
    application = summer_event(fund, people, club)
    office = journey.login(people["office"])
    with time_machine.travel(JULY, tick=False):
        assert ask(club, application, new_end_date="2026-07-15").status_code == 200  # not after the current end
        assert ask(club, application, new_end_date="2026-09-30").status_code == 302
        page = office.get("/geschaeftsstelle/").content.decode()
        assert "Über den Änderungsantrag entscheiden" in page
        decided = {"outcome": "approve", "note": "Verschiebung wegen Bauarbeiten nachvollziehbar."}
        journey.office_step(office, application, ApplicationFlow.change_decide, decided)

    application.refresh_from_db()
    assert application.end_date == dt.date(2026, 9, 30)
    assert application.report_due == dt.date(2026, 11, 25)  # 8 weeks after 30 September
    change = application.change_requests.get()
    assert change.status == ChangeRequest.Status.APPROVED
    text = pdf_text(change.letter.file.read())
    for part in ("Änderungsbescheid", application.reference, "30.09.2026", "31.07.2026", "25.11.2026",
                 "Im Übrigen bleibt", "Bauarbeiten", "Widerspruch", "Dana Vogt"):  # fmt: skip
        assert part in text, part
    assert any("Änderungsbescheid" in message["Subject"] for message in smtp_sink.messages)
    # The process waits for the next change or objection again, and the money goes on.
    assert application.process.task_set.filter(flow_task=ApplicationFlow.await_change, status="NEW").exists()
    assert application.process.task_set.filter(flow_task=ApplicationFlow.await_instalment, status="NEW").exists()


def refer_longer_extension(people, club, application):
    """The club asks for six more months: beyond the office's powers, so it refers the request."""
    office = journey.login(people["office"])
    assert ask(club, application, new_end_date="2027-01-31").status_code == 302
    task = api.waiting_task(application, ApplicationFlow.change_decide)
    assert office.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/").status_code == 302
    url = f"/geschaeftsstelle/vorgang/{task.process_id}/aufgabe/{task.pk}/"
    assert "nicht allein bewilligen" in office.get(url).content.decode()
    refused = office.post(url, {"outcome": "approve", "note": "Passt."})
    assert refused.status_code == 200 and "Lenkungsgruppe" in refused.content.decode()
    assert office.post(url, {"outcome": "refer", "note": ""}).status_code == 302
    assert application.change_requests.get().status == ChangeRequest.Status.REFERRED


def steering_votes(people, application, choice, reasons):
    """The office puts the referred request on the next meeting's agenda; the members present vote
    on approving it; the chair closes the vote (unless there are no `reasons` yet)."""
    meeting = Meeting.objects.filter(fund=application.fund, status="planned", date__gte=timezone.localdate())
    journey.office_step(journey.login(people["office"]), application, ApplicationFlow.change_schedule,
                        {"meeting": meeting.order_by("date").first().pk, "approve": "yes"})  # fmt: skip
    item = journey.vote_all(people["members"][:4], application, choice=choice)
    assert item.change_request == application.change_requests.get()
    # The meeting papers present the request and the office's proposal, not the original application.
    pack = pdf_text(agenda_pack_render(item.meeting))
    for part in (f"Änderungsantrag vom 10.07.2026 zu {application.reference}",
                 "Ende des Bewilligungszeitraums am 31.01.2027 statt am 31.07.2026", "wegen Bauarbeiten gesperrt",
                 "Vorschlag der Geschäftsstelle: der Änderung zustimmen"):  # fmt: skip
        assert part in pack, part
    page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert "Der Änderung zustimmen" in page
    if reasons is None:  # the vote stays open
        return item
    assert journey.close_vote(people["chair"], item, reasons=reasons) is None  # no grant decision, the item closed
    item.refresh_from_db()
    return item


@pytest.mark.django_db(transaction=True)
def test_a_longer_extension_goes_to_the_steering_group_which_approves_it_in_its_meeting(
    fund, people, club, celery_eager, smtp_sink
):
    application = summer_event(fund, people, club)
    with time_machine.travel(JULY, tick=False):
        refer_longer_extension(people, club, application)
        item = steering_votes(people, application, "yes", "Die Bauarbeiten dauern bis Dezember.")
        chair = journey.login(people["chair"])
        assert chair.post(f"/sitzungen/{item.meeting_id}/schliessen/").status_code == 302
        minutes = chair.get(f"/sitzungen/{item.meeting_id}/protokoll/").content.decode()
    assert item.outcome == "approved" and item.motions.get().votes_yes == 4
    application.refresh_from_db()
    assert application.end_date == dt.date(2027, 1, 31) and application.report_due == dt.date(2027, 3, 28)
    change = application.change_requests.get()
    assert change.status == ChangeRequest.Status.APPROVED and change.decided_by == people["chair"]
    text = pdf_text(change.letter.file.read())
    for part in ("Änderungsbescheid", "31.01.2027", "28.03.2027", "Die Bauarbeiten dauern bis Dezember"):
        assert part in text, part
    for part in ("Änderungsantrag vom 10.07.2026", "Zustimmung zur Änderung", "Der Änderung wird zugestimmt."):
        assert part in minutes, part
    assert application.process.task_set.filter(flow_task=ApplicationFlow.await_change, status="NEW").exists()


@pytest.mark.django_db(transaction=True)
def test_the_steering_group_refuses_a_change_when_the_approval_fails(fund, people, club, celery_eager, smtp_sink):
    application = summer_event(fund, people, club)
    with time_machine.travel(JULY, tick=False):
        refer_longer_extension(people, club, application)
        item = steering_votes(people, application, "no", "Das Projekt soll im Sommer stattfinden.")
    assert item.outcome == "refused"
    application.refresh_from_db()
    assert application.end_date == dt.date(2026, 7, 31)
    change = application.change_requests.get()
    assert change.status == ChangeRequest.Status.REFUSED
    assert change.decision_note == "Das Projekt soll im Sommer stattfinden."
    # A refusal is a decision too: a letter with its reasons and remedy notice.
    text = pdf_text(change.letter.file.read())
    for part in ("Ablehnung Ihres Änderungsantrags", "Änderungsantrag vom 10.07.2026",
                 "Ende des Bewilligungszeitraums am 31.01.2027 statt am 31.07.2026", "Ihr Antrag wird abgelehnt",
                 "endet weiterhin am 31.07.2026", "Das Projekt soll im Sommer stattfinden", "Widerspruch"):  # fmt: skip
        assert part in text, part
    assert any("Ablehnung des Änderungsantrags" in message["Subject"] for message in smtp_sink.messages)


@pytest.mark.django_db(transaction=True)
def test_the_chair_puts_a_motion_to_refuse_the_change_on_a_page_that_speaks_of_the_change(
    fund, people, club, celery_eager, smtp_sink
):
    application = summer_event(fund, people, club)
    with time_machine.travel(JULY, tick=False):
        refer_longer_extension(people, club, application)
        item = steering_votes(people, application, "yes", reasons=None)
        chair, url = journey.login(people["chair"]), f"/tagesordnung/{item.pk}/antrag/"
        page = chair.get(url).content.decode()
        for part in (f"Änderungsantrag zu {application.reference}", "Der Änderung zustimmen", "Die Änderung ablehnen",
                     "wegen Bauarbeiten gesperrt"):  # fmt: skip
            assert part in page, part
        assert 'name="amount"' not in page and "Beantragt sind" not in page
        assert pages.submit(chair, url, {"kind": "reject"}).status_code == 302
    motion = item.motions.get(result="open")
    assert motion.kind == "reject" and motion.amount == 0 and not motion.conditions


@pytest.mark.django_db(transaction=True)
def test_money_moves_between_cost_lines_with_the_total_unchanged(fund, people, club, celery_eager, smtp_sink):
    application = summer_event(fund, people, club, costs=("2000.00", "1000.00"))
    first, second = application.cost_lines.all()
    with time_machine.travel(JULY, tick=False):
        unbalanced = ask(club, application, **{f"line_{first.pk}": "1800.00"})
        assert unbalanced.status_code == 200 and "Summe muss gleich bleiben" in unbalanced.content.decode()
        assert (
            ask(club, application, **{f"line_{first.pk}": "1700.00", f"line_{second.pk}": "1300.00"}).status_code == 302
        )
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.change_decide,
                            {"outcome": "approve", "note": "Umschichtung innerhalb von 20 %."})  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.amount, second.amount) == (Decimal("1700.00"), Decimal("1300.00"))
    text = pdf_text(application.change_requests.get().letter.file.read())
    assert "1.700,00 EUR statt 2.000,00 EUR" in text


def test_the_amendment_letter_names_its_mandatory_parts():
    assert {"changes", "unchanged", "reasons", "remedy", "reference", "signature"} <= set(TYPES["amendment"].parts)
