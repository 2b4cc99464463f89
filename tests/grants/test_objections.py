"""Objections (Widerspruch) received by post: the office records the date, checked against the
appeal period; while one is open the decision is not final and nothing is paid out; the
steering group remedies it (amendment letter) or upholds the decision (Widerspruchsbescheid)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from grants.letters import TYPES
from grants.models import FiscalYear, LedgerEntry, Objection
from tests import journey
from tests.aftercare import granted, request_money
from tests.grants.test_repayments import claim_task
from tests.workflows.test_process import pdf_text
from workflows.flows import ApplicationFlow
from workflows.tasks import fire_workflow_timers

MARCH = dt.datetime(2026, 3, 2, 10)
GROUNDS = "Die Hallenmiete ist vollständig förderfähig; wir bitten um die beantragten 2.400 EUR."


def record(people, application, received_on):
    return journey.login(people["office"]).post(
        f"/akten/{application.pk}/widerspruch/", {"received_on": received_on.isoformat(), "grounds": GROUNDS}
    )


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
        assert (
            "Entscheidung der Lenkungsgruppe über den Widerspruch erfassen"
            in office.get("/geschaeftsstelle/").content.decode()
        )
        journey.office_step(office, application, ApplicationFlow.objection_decide, {
            "remedy": "yes", "reasons": "Die Hallenmiete ist nach erneuter Prüfung förderfähig.",
            "new_amount": "2400.00", "new_conditions": "",
        })  # fmt: skip
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
        office = journey.login(people["office"])
        journey.office_step(office, application, ApplicationFlow.objection_decide, {
            "remedy": "no", "reasons": "Die Hallenmiete übersteigt den ortsüblichen Satz.", "new_amount": "",
            "new_conditions": "",
        })  # fmt: skip
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
        remedy = {"remedy": "yes", "reasons": "Verspätet.", "new_amount": "2400.00", "new_conditions": ""}
        url = claim_task(office, application, ApplicationFlow.objection_decide)
        assert office.post(url, remedy).status_code == 200  # a late objection cannot be remedied
        assert office.post(url, {**remedy, "remedy": "no", "new_amount": ""}).status_code == 302
    text = pdf_text(application.objections.get().letter.file.read())
    assert "als unzulässig verworfen" in text and late.strftime("%d.%m.%Y") in text


def test_the_objection_decision_names_its_mandatory_parts():
    assert {"decision", "reasons", "remedy", "reference", "signature"} <= set(TYPES["objection_decision"].parts)
