"""Payouts in instalments: requested by the club, ordered by the office with a payout order
(Auszahlungsanordnung) for the cash office, recorded paid; never before the decision is final,
never while a blocking condition is open, never more than the grant."""

from decimal import Decimal

import pytest

from grants.letters import TYPES
from grants.models import FiscalYear, Instalment, LedgerEntry
from tests import journey
from tests.aftercare import file_report, granted, order_and_pay, request_money, review
from workflows.flows import ApplicationFlow

CONDITION = "Zusammenarbeit mit dem Jugendbeauftragten des PK 46"


def errors(response) -> str:
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_money_cannot_be_requested_before_the_decision_is_final(fund, people, club, celery_eager, smtp_sink):
    application = granted(fund, people, club, waive=False)
    response = request_money(club, application, "1000.00")
    assert response.status_code == 200
    assert "noch nicht bestandskräftig" in errors(response) or "noch nicht angefordert" in errors(response)
    assert not application.instalments.exists()


@pytest.mark.django_db(transaction=True)
def test_a_blocking_condition_holds_the_money_until_the_office_records_it_met(
    fund, people, club, celery_eager, smtp_sink
):
    application = granted(fund, people, club, conditions=CONDITION)
    response = request_money(club, application, "1000.00")
    assert response.status_code == 200 and "Auflage" in errors(response)
    assert not application.instalments.exists()

    office = journey.login(people["office"])
    assert office.post(f"/akten/{application.pk}/auflagen-erfuellt/", {"note": ""}).status_code == 200
    response = office.post(
        f"/akten/{application.pk}/auflagen-erfuellt/", {"note": "Kooperationsvereinbarung liegt vor."}
    )
    assert response.status_code == 302
    assert request_money(club, application, "1000.00").status_code == 302
    assert application.instalments.get().status == Instalment.Status.REQUESTED


@pytest.mark.django_db(transaction=True)
def test_two_instalments_with_payout_orders_never_more_than_the_grant(fund, people, club, celery_eager, smtp_sink):
    application = granted(fund, people, club)
    year = FiscalYear.objects.get(fund=fund, year=application.decisions.get().decided_at.year)

    assert request_money(club, application, "2000.01").status_code == 200  # more than the grant
    assert request_money(club, application, "1000.00").status_code == 302
    response = request_money(club, application, "500.00")  # the first is still open
    assert response.status_code == 200 and "noch bearbeitet" in errors(response)

    text = order_and_pay(people, application, "2026-03-02")
    assert "Auszahlungsanordnung" in text and application.reference in text
    assert "1.000,00 EUR" in text and "DE89370400440532013000" in text and "SV Harburg-Süd e.V." in text
    assert "Bereits ausgezahlt 0,00 EUR" in text and "Danach noch nicht ausgezahlt 1.000,00 EUR" in text
    application.refresh_from_db()
    assert application.status == "paid" and application.report_due

    assert request_money(club, application, "1000.01").status_code == 200  # only 1,000 left
    assert (
        request_money(club, application, "1000.00", interim_report="Acht Abende, je 25 Jugendliche.").status_code == 302
    )
    task_page = journey.login(people["office"])
    text = order_and_pay(people, application, "2026-05-04")
    assert "2. Teilbetrag" in text and "Bereits ausgezahlt 1.000,00 EUR" in text
    assert request_money(club, application, "0.01").status_code == 200  # nothing left

    paid = LedgerEntry.objects.filter(application=application, kind=LedgerEntry.PAYOUT)
    assert sorted(paid.values_list("amount", flat=True)) == [Decimal("1000.00"), Decimal("1000.00")]
    year.refresh_from_db()
    assert year.paid == Decimal("2000.00")
    assert list(application.instalments.values_list("status", flat=True)) == ["paid", "paid"]
    # Paid in full: the process waits for the report.
    assert application.process.task_set.filter(flow_task=ApplicationFlow.await_report, status="NEW").exists()
    assert task_page.get("/geschaeftsstelle/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_report_before_the_rest_is_requested_releases_the_money_never_paid(
    fund, people, club, celery_eager, smtp_sink
):
    application = granted(fund, people, club)
    year = FiscalYear.objects.get(fund=fund, year=application.decisions.get().decided_at.year)
    available = year.available
    assert request_money(club, application, "1500.00").status_code == 302
    order_and_pay(people, application, "2026-03-02")
    file_report(club, application, actual="2100.00")
    page = journey.login(people["office"])
    review(people, application, "accept")
    application.refresh_from_db()
    assert application.status == "closed"
    assert LedgerEntry.objects.get(application=application, kind=LedgerEntry.RELEASE).amount == Decimal("500.00")
    year.refresh_from_db()
    assert year.available == available + Decimal("500.00")
    assert application.process.status == "DONE"
    assert page.get(f"/akten/{application.pk}/").status_code == 200


def test_the_payout_order_names_its_mandatory_parts():
    assert set(TYPES["payout_order"].parts) >= {"amount", "payee", "account", "purpose", "reference", "signature"}
