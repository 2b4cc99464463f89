"""Objections (Widerspruch) received by post: the office records the date, checked against the
appeal period; while one is open the decision is not final and nothing is paid out; the
steering group remedies it (amendment letter) or upholds the decision (Widerspruchsbescheid)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from grants.letters import TYPES
from grants.models import FiscalYear, LedgerEntry, Meeting, Objection
from grants.rules.dates import add_months
from tests import journey
from tests.aftercare import granted, request_money
from tests.grants.test_repayments import claim_task
from tests.workflows.test_process import pdf_text
from workflows import api
from workflows.flows import ApplicationFlow
from workflows.tasks import fire_workflow_timers

MARCH = dt.datetime(2026, 3, 2, 10)
GROUNDS = "Die Hallenmiete ist vollständig förderfähig; wir bitten um die beantragten 2.400 EUR."


def record(people, application, received_on):
    return journey.login(people["office"]).post(
        f"/akten/{application.pk}/widerspruch/", {"received_on": received_on.isoformat(), "grounds": GROUNDS}
    )


def schedule(people, application, *, remedy, amount="", conditions=""):
    """The office puts the open objection on the next meeting's agenda with its proposal."""
    meeting = Meeting.objects.filter(fund=application.fund, status="planned", date__gte=timezone.localdate())
    data = {"meeting": meeting.order_by("date").first().pk, "remedy": "yes" if remedy else "no", "amount": amount,
            "conditions": conditions}  # fmt: skip
    journey.office_step(journey.login(people["office"]), application, ApplicationFlow.objection_schedule, data)
    return application.agenda_items.get(closed_at=None, objection__isnull=False)


def steering_decides(people, application, *, remedy, reasons, amount="", conditions="", expect=302, warning=None):
    """The office puts the objection on the agenda; in the meeting the chair calls it, four members
    vote for the proposal and the chair closes the vote. Returns the item and the page."""
    item = schedule(people, application, remedy=remedy, amount=amount, conditions=conditions)
    journey.vote_all(people["members"][:4], application)
    chair = journey.login(people["chair"])
    confirm = chair.get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    warning = warning or ("dem Widerspruch wie beantragt abgeholfen" if remedy else "bleibt der Bescheid bestehen")
    assert warning in confirm
    response = chair.post(f"/tagesordnung/{item.pk}/abschliessen/", {"reasons": reasons})
    assert response.status_code == expect, response.content.decode()[:3000]
    item.refresh_from_db()
    return item, response.content.decode()


def after(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False)


@pytest.mark.django_db(transaction=True)
def test_an_objection_in_time_holds_the_money_until_the_steering_group_remedies_it(
    fund, people, club, celery_eager, smtp_sink
):
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club, waive=False)
    decision = application.decisions.get()
    received = decision.appeal_ends_on - dt.timedelta(days=3)
    with after(received):
        assert record(people, application, received).status_code == 302
        objection = application.objections.get()
        assert objection.in_time and objection.status == Objection.Status.OPEN
        waiver = journey.login(club[1]).post(f"/antraege/{application.pk}/rechtsbehelfsverzicht/")
        assert waiver.status_code == 302 and not application.__class__.objects.get(pk=application.pk).appeal_waived_at

    # The appeal period is over, but the objection keeps the decision from becoming final.
    with after(decision.appeal_ends_on + dt.timedelta(days=5)):
        fire_workflow_timers()
        response = request_money(club, application, "1000.00")
        assert response.status_code == 200 and "Widerspruch ist offen" in response.content.decode()
        year = FiscalYear.objects.get(fund=fund, year=2026)
        available = year.available
        office = journey.login(people["office"])
        queue = office.get("/geschaeftsstelle/").content.decode()
        assert "Widerspruch auf die Tagesordnung einer Sitzung setzen" in queue
        item, _page = steering_decides(people, application, remedy=True, amount="2400.00",
                                       reasons="Die Hallenmiete ist nach erneuter Prüfung förderfähig.")  # fmt: skip
        assert item.outcome == "remedied" and item.motions.get().votes_yes == 4
        objection.refresh_from_db()
        assert objection.status == Objection.Status.REMEDIED
        text = pdf_text(objection.letter.file.read())
        for part in ("Änderungsbescheid", "abgeholfen", "2.400,00 EUR statt 2.000,00 EUR", "erneuter Prüfung",
                     "Widerspruch", application.reference):  # fmt: skip
            assert part in text, part
        decision.refresh_from_db()
        assert decision.amount == Decimal("2400.00")
        commits = LedgerEntry.objects.filter(application=application, kind=LedgerEntry.COMMIT)
        assert sorted(commits.values_list("amount", flat=True)) == [Decimal("400.00"), Decimal("2000.00")]
        year.refresh_from_db()
        assert year.available == available - Decimal("400.00")
        # Now the money can be requested, up to the new amount.
        assert request_money(club, application, "2400.00").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_steering_group_upholds_the_decision_with_a_widerspruchsbescheid(
    fund, people, club, celery_eager, smtp_sink
):
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club, waive=False)
    decision = application.decisions.get()
    with after(decision.appeal_ends_on):
        assert record(people, application, decision.appeal_ends_on).status_code == 302  # the last day counts
        steering_decides(people, application, remedy=False, reasons="Die Hallenmiete übersteigt den ortsüblichen Satz.")
    objection = application.objections.get()
    assert objection.status == Objection.Status.UPHELD and objection.in_time
    text = pdf_text(objection.letter.file.read())
    for part in ("Widerspruchsbescheid", "zurückgewiesen", "ortsüblichen Satz", "Klage", "Verwaltungsgericht",
                 application.reference, "Dana Vogt"):  # fmt: skip
        assert part in text, part
    assert decision.__class__.objects.get(pk=decision.pk).amount == Decimal("2000.00")
    assert any("Widerspruchsbescheid" in message["Subject"] for message in smtp_sink.messages)
    with after(decision.appeal_ends_on + dt.timedelta(days=2)):
        fire_workflow_timers()
        assert request_money(club, application, "1000.00").status_code == 302  # no longer held


@pytest.mark.django_db(transaction=True)
def test_a_late_objection_is_recorded_as_late_and_rejected_as_inadmissible(fund, people, club, celery_eager, smtp_sink):
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club, waive=False)
    decision = application.decisions.get()
    late = decision.appeal_ends_on + dt.timedelta(days=1)
    with after(late):
        assert record(people, application, late).status_code == 302
        assert not application.objections.get().in_time
        office = journey.login(people["office"])
        url = claim_task(office, application, ApplicationFlow.objection_schedule)
        meeting = Meeting.objects.filter(fund=fund, status="planned", date__gte=late).order_by("date").first()
        remedy = {"meeting": meeting.pk, "remedy": "yes", "amount": "2400.00", "conditions": ""}
        assert office.post(url, remedy).status_code == 200  # a late objection cannot be remedied
        assert not application.agenda_items.filter(objection__isnull=False).exists()
        office.post(f"/geschaeftsstelle/aufgaben/{url.rstrip('/').split('/')[-1]}/freigeben/")
        steering_decides(people, application, remedy=False, reasons="Verspätet.")
    text = pdf_text(application.objections.get().letter.file.read())
    assert "als unzulässig verworfen" in text and late.strftime("%d.%m.%Y") in text


def test_the_objection_decision_names_its_mandatory_parts():
    assert {"decision", "reasons", "remedy", "reference", "signature"} <= set(TYPES["objection_decision"].parts)


def rejected(fund, people, club):
    """In March: apply, recommend rejection, reject in the meeting; the rejection letter goes out.
    Returns the application and the rejection."""
    with time_machine.travel(MARCH, tick=False):
        office = journey.login(people["office"])
        application = journey.apply(journey.login(club[1]), fund)
        journey.check_complete(office, application)
        journey.recommend(office, application, motion="reject", reasoning="Die Hallenmiete ist zu hoch.")
        item = journey.vote_all(people["members"][:4], application)
        journey.close_vote(people["chair"], item, reasons="Die Hallenmiete übersteigt den ortsüblichen Satz.")
    application.refresh_from_db()
    assert application.status == "rejected"
    return application, application.decisions.get()


@pytest.mark.django_db(transaction=True)
def test_a_remedied_objection_to_a_rejection_grants_the_money_and_opens_the_path_of_an_approval(
    fund, people, club, celery_eager, smtp_sink
):
    application, rejection = rejected(fund, people, club)
    received = rejection.appeal_ends_on - dt.timedelta(days=2)
    with after(received):
        assert record(people, application, received).status_code == 302
        objection = application.objections.get()
        assert objection.in_time and objection.decision == rejection
        available = FiscalYear.objects.get(fund=fund, year=2026).available
        steering_decides(people, application, remedy=True, amount="2400.00",
                         reasons="Die Miete ist nach dem neuen Angebot ortsüblich.")  # fmt: skip
    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.status == "approved" and objection.status == Objection.Status.REMEDIED
    grant = application.decisions.exclude(pk=rejection.pk).get()
    assert grant.kind == "approve" and grant.amount == Decimal("2400.00") and objection.remedy_decision == grant
    commit = LedgerEntry.objects.get(application=application, kind=LedgerEntry.COMMIT)
    assert commit.amount == Decimal("2400.00")
    assert FiscalYear.objects.get(fund=fund, year=2026).available == available - Decimal("2400.00")
    # The grant letter went out through the process, with the remedy and a new appeal period.
    assert objection.letter.kind == "approval" and grant.appeal_ends_on > rejection.appeal_ends_on
    text = pdf_text(objection.letter.file.read())
    for part in ("Bewilligungsbescheid", "2.400,00 EUR", "wird abgeholfen", "Ablehnungsbescheid wird aufgehoben",
                 received.strftime("%d.%m.%Y"), application.reference, "Rechtsbehelfsbelehrung"):  # fmt: skip
        assert part in text, part
    assert api.waiting_task(application, ApplicationFlow.await_final).status == "SCHEDULED"
    with after(grant.appeal_ends_on + dt.timedelta(days=1)):
        fire_workflow_timers()
        assert request_money(club, application, "2400.00").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_remedy_of_a_rejection_never_overdraws_the_budget(fund, people, club, celery_eager, smtp_sink):
    application, rejection = rejected(fund, people, club)
    FiscalYear.objects.filter(fund=fund, year=2026).update(budget=Decimal("1000.00"))
    with after(rejection.appeal_ends_on):
        assert record(people, application, rejection.appeal_ends_on).status_code == 302
        item, page = steering_decides(people, application, remedy=True, amount="2400.00", reasons="Ortsüblich.",
                                      warning="mehr, als im Haushalt")  # fmt: skip
        assert item.closed_at is None and item.motions.get().result == "over_budget"
    application.refresh_from_db()
    assert application.status == "rejected" and application.objections.get().status == Objection.Status.OPEN
    assert not LedgerEntry.objects.filter(application=application).exists()


@pytest.mark.django_db(transaction=True)
def test_an_upheld_objection_to_a_rejection_gets_a_widerspruchsbescheid_and_ends_the_file(
    fund, people, club, celery_eager, smtp_sink
):
    application, rejection = rejected(fund, people, club)
    with after(rejection.appeal_ends_on):
        assert record(people, application, rejection.appeal_ends_on).status_code == 302
        item, _page = steering_decides(people, application, remedy=False, reasons="Die Miete bleibt zu hoch.")
        chair = journey.login(people["chair"])
        assert chair.post(f"/sitzungen/{item.meeting_id}/schliessen/").status_code == 302
        minutes = chair.get(f"/sitzungen/{item.meeting_id}/protokoll/").content.decode()
    for part in (f"Widerspruch vom {rejection.appeal_ends_on:%d.%m.%Y}", "Dem Widerspruch nicht abhelfen",
                 "4 Ja, 0 Nein", "Dem Widerspruch wird nicht abgeholfen", "Die Miete bleibt zu hoch"):  # fmt: skip
        assert part in minutes, part
    objection = application.objections.get()
    assert objection.status == Objection.Status.UPHELD
    text = pdf_text(objection.letter.file.read())
    for part in ("Widerspruchsbescheid", "zurückgewiesen", "Die Miete bleibt zu hoch", "Klage", application.reference):
        assert part in text, part
    application.refresh_from_db()
    assert application.status == "rejected" and application.process.status == "DONE"
    assert not LedgerEntry.objects.filter(application=application).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rejection_takes_objections_until_a_month_after_its_appeal_period(fund, people, club, celery_eager):
    application, rejection = rejected(fund, people, club)
    assert application.process.status != "DONE"
    with after(add_months(rejection.appeal_ends_on, 1) + dt.timedelta(days=1)):
        fire_workflow_timers()
        application.refresh_from_db()
        assert application.process.status == "DONE"
        assert application.process.task_set.filter(flow_task=ApplicationFlow.rejected, status="DONE").exists()
        assert record(people, application, timezone.localdate()).status_code == 200
    assert not application.objections.exists()


@pytest.mark.django_db(transaction=True)
def test_an_objection_without_quorum_goes_to_the_next_meeting_where_a_recused_member_does_not_count(
    fund, people, club, celery_eager, smtp_sink
):
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club, waive=False)
    decision = application.decisions.get()
    members = people["members"]
    with after(decision.appeal_ends_on):
        assert record(people, application, decision.appeal_ends_on).status_code == 302
        first = schedule(people, application, remedy=False)
        journey.vote_all(members[:3], application)  # three members with a vote: no quorum
        assert journey.close_vote(people["chair"], first) is None
        first.refresh_from_db()
        assert first.outcome == "deferred" and first.motions.get().result == "no_quorum"
        second = application.agenda_items.get(closed_at=None)
        assert second.objection == first.objection and second.meeting.date > first.meeting.date
        assert application.objections.get().status == Objection.Status.OPEN
        assert api.waiting_task(application, ApplicationFlow.await_objection_vote)

        # In the next meeting one member is recused: the other four are the quorum and the majority.
        journey.in_session(second, members[:5])
        declared = journey.login(members[1]).post(f"/tagesordnung/{second.pk}/befangenheit/", {"reason": "Vorstand"})
        assert declared.status_code == 302
        assert (
            journey.login(members[1]).post(f"/tagesordnung/{second.pk}/abstimmen/", {"choice": "yes"}).status_code
            == 302
        )
        journey.vote_all([members[0], *members[2:5]], application)
        assert journey.close_vote(people["chair"], second, reasons="Die Miete bleibt zu hoch.") is None
    second.refresh_from_db()
    motion = second.motions.get()
    assert second.outcome == "upheld" and (motion.votes_yes, motion.recused) == (4, 1)
    assert application.objections.get().status == Objection.Status.UPHELD


@pytest.mark.django_db(transaction=True)
def test_the_meeting_papers_present_the_objection_and_the_offices_proposal(fund, people, club, celery_eager):
    from grants.services.papers import agenda_pack_render

    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club, waive=False)
    decision = application.decisions.get()
    with after(decision.appeal_ends_on):
        assert record(people, application, decision.appeal_ends_on).status_code == 302
        item = schedule(people, application, remedy=True, amount="2400.00")
        text = " ".join(pdf_text(agenda_pack_render(item.meeting)).split())
    received = decision.appeal_ends_on.strftime("%d.%m.%Y")
    for part in (f"Widerspruch vom {received} zu {application.reference}",
                 f"Gegen den Bescheid vom {decision.decided_at:%d.%m.%Y} (Bewilligung von 2.000,00 EUR",
                 "fristgerecht Widerspruch eingegangen", "Hallenmiete ist vollständig förderfähig",
                 "Vorschlag der Geschäftsstelle: dem Widerspruch abhelfen", "Zuwendung von 2.400,00 EUR"):  # fmt: skip
        assert part in text, part
    assert "Votum der Geschäftsstelle" not in text  # the original recommendation is not what is decided now
    # The chair's motion page, too, speaks of the objection.
    page = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/antrag/").content.decode()
    for part in (f"Widerspruch zu {application.reference}", "Dem Widerspruch abhelfen",
                 "Dem Widerspruch nicht abhelfen", "Hallenmiete ist vollständig förderfähig"):  # fmt: skip
        assert part in page, part
