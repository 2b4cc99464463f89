"""A repayment claim carried to its end through the office's tasks: the hearing (Anhörung) with
its deadline, the revocation and repayment decision (Widerruf / Rückforderungsbescheid) with
amount, interest and due date, and the receipt of the money with interest to the cent."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from grants.letters import TYPES
from grants.models import BaseRate, FiscalYear, LedgerEntry, RepaymentClaim
from tests import journey
from tests.aftercare import file_report, granted, order_and_pay, request_money, review
from tests.workflows.test_process import pdf_text
from workflows import api
from workflows.flows import ApplicationFlow

MARCH, AFTER_HEARING, PAYMENT = dt.datetime(2026, 3, 2, 10), dt.datetime(2026, 3, 24, 10), dt.datetime(2026, 4, 20, 10)


def stated_base_rates():
    """The base rates this test states: 1.27 % since July 2025, and (for the test) 2.27 % from April 2026."""
    BaseRate.objects.all().delete()
    BaseRate.objects.create(valid_from=dt.date(2025, 7, 1), rate=Decimal("1.27"))
    BaseRate.objects.create(valid_from=dt.date(2026, 4, 1), rate=Decimal("2.27"))


def letter_text(application, kind):
    return pdf_text(application.documents.filter(kind=kind).latest("created").file.read())


def claim_task(client, application, node) -> str:
    """Claim the application's open task of `node` from the queue; return the task's URL."""
    task = api.waiting_task(application, node)
    assert client.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/").status_code == 302
    return f"/geschaeftsstelle/vorgang/{task.process_id}/aufgabe/{task.pk}/"


def try_step(client, application, node, data):
    """Claim the task and post the form; return the response (200 when the step was refused)."""
    return client.post(claim_task(client, application, node), data)


@pytest.mark.django_db(transaction=True)
def test_hearing_revocation_and_repayment_with_interest_to_the_cent(fund, people, club, celery_eager, smtp_sink):
    stated_base_rates()
    office = journey.login(people["office"])
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club)
        year = FiscalYear.objects.get(fund=fund, year=2026)
        assert request_money(club, application, "2000.00").status_code == 302
        order_and_pay(people, application, "2026-03-02")
        file_report(club, application, actual="2850.00", unused="150.00")

        # Accepting a report with money unused is refused: it must be claimed back.
        url = claim_task(office, application, ApplicationFlow.review_report)
        assert office.post(url, {"outcome": "accept", "note": "", "claim_reason": ""}).status_code == 200
        application.refresh_from_db()
        assert application.status == "reported"
        page = office.get(url).content.decode()
        assert "Summe der Belegliste" in page and "1.200,00 EUR" in page
        response = office.post(url, {"outcome": "claim", "note": "150 EUR Hallenmiete wurden nicht gebraucht.",
                                     "claim_amount": "150.00", "claim_reason": "unused"})  # fmt: skip
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "repayment"
        claim = application.repayment_claims.get()
        assert (claim.amount, claim.status) == (Decimal("150.00"), RepaymentClaim.Status.CLAIMED)
        assert "1 Rückforderung noch nicht bezahlt" in office.get("/geschaeftsstelle/").content.decode()
        assert application.reference in office.get("/geschaeftsstelle/rueckforderungen/").content.decode()

        # The hearing: at least two weeks to answer.
        hearing_url = claim_task(office, application, ApplicationFlow.repayment_hearing)
        short = office.post(hearing_url, {"deadline": "2026-03-10"})
        assert short.status_code == 200 and "mindestens zwei Wochen" in short.content.decode()
        assert office.post(hearing_url, {"deadline": "2026-03-23"}).status_code == 302
        hearing = letter_text(application, "hearing")
        for part in ("Anhörung", application.reference, "150,00 EUR", "23.03.2026", "Basiszinssatz", "Dana Vogt"):
            assert part in hearing, part

        # No decision while the recipient may still answer.
        decide_url = claim_task(office, application, ApplicationFlow.repayment_decide)
        early = office.post(decide_url, {"statement": "", "due_on": "2026-04-24"})
        assert early.status_code == 200 and "noch bis zum 23.03.2026" in early.content.decode()

    with time_machine.travel(AFTER_HEARING, tick=False):
        office = journey.login(people["office"])  # a new session: the last one timed out meanwhile
        response = office.post(decide_url, {"statement": "", "due_on": "2026-04-24"})
        assert response.status_code == 302, response.content.decode()[:2000]
        decision_letter = letter_text(application, "revocation")
        # Interest if paid on the due date: 29 days of March at 6.27 %, 24 days of April at 7.27 %:
        # 150 × 6.27 % × 29/365 + 150 × 7.27 % × 24/365 = 0.7472 + 0.7170 = 1.46 EUR.
        for part in ("widerrufen", "150,00 EUR", "§ 49a", "1,46 EUR", "151,46 EUR", "24.04.2026",
                     "Widerspruch", "angehört"):  # fmt: skip
            assert part in decision_letter, part
        claim.refresh_from_db()
        assert claim.status == RepaymentClaim.Status.DECIDED
        assert LedgerEntry.objects.get(application=application, kind=LedgerEntry.CLAIM).amount == Decimal("150.00")
        year.refresh_from_db()
        available_before = year.available

    with time_machine.travel(PAYMENT, tick=False):
        office = journey.login(people["office"])
        journey.office_step(office, application, ApplicationFlow.repayment_receive, {"paid_on": "2026-04-20"})

    # Paid on 20 April: 29 days at 6.27 % and 20 days at 7.27 %:
    # 150 × 0.0627 × 29/365 + 150 × 0.0727 × 20/365 = 0.74725 + 0.59753 = 1.34478 → 1.34 EUR.
    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.interest) == ("paid", dt.date(2026, 4, 20), Decimal("1.34"))
    assert claim.total_paid == Decimal("151.34")
    entries = LedgerEntry.objects.filter(application=application)
    assert entries.get(kind=LedgerEntry.REPAYMENT).amount == Decimal("151.34")
    assert entries.filter(kind=LedgerEntry.RELEASE).get().amount == Decimal("150.00")
    year.refresh_from_db()
    assert year.available == available_before + Decimal("150.00")
    application.refresh_from_db()
    assert application.status == "closed"
    assert application.process.status == "DONE"
    office = journey.login(people["office"])
    assert application.reference not in office.get("/geschaeftsstelle/rueckforderungen/").content.decode()
    # Both letters went to the club by e-mail with the PDF attached.
    subjects = [message["Subject"] for message in smtp_sink.wait_for(4)]
    assert any("Anhörung" in subject for subject in subjects), subjects
    assert any("Widerrufs- und Rückforderungsbescheid" in subject for subject in subjects), subjects


def test_the_repayment_letters_name_their_mandatory_parts():
    assert {"claim", "reasons", "deadline"} <= set(TYPES["hearing"].parts)
    assert {"revocation", "amount", "interest", "due_date", "remedy"} <= set(TYPES["revocation"].parts)


@pytest.mark.django_db(transaction=True)
def test_when_no_report_comes_the_office_claims_the_money_back_and_the_hearing_follows(
    fund, people, club, celery_eager, smtp_sink
):
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club)
        assert request_money(club, application, "2000.00").status_code == 302
        order_and_pay(people, application, "2026-03-02")
    application.refresh_from_db()
    with time_machine.travel(dt.datetime.combine(application.report_due, dt.time(10)) + dt.timedelta(days=30)):
        office = journey.login(people["office"])
        assert "Mittel zurückfordern" in office.get(f"/akten/{application.pk}/").content.decode()
        response = office.post(f"/akten/{application.pk}/rueckforderung/", {
            "amount": "2000.00", "reason": "no_report",
            "explanation": "Der Verwendungsnachweis ist trotz Erinnerung nicht eingegangen.",
        })  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
        application.refresh_from_db()
        assert application.status == "repayment"
        assert application.repayment_claims.get().reason == RepaymentClaim.Reason.NO_REPORT
        journey.office_step(office, application, ApplicationFlow.repayment_hearing,
                            {"deadline": (application.report_due + dt.timedelta(days=60)).isoformat()})  # fmt: skip
    assert "kein Verwendungsnachweis vorgelegt" in letter_text(application, "hearing")


@pytest.mark.django_db
def test_the_admin_records_the_new_base_rate_and_interest_uses_it_from_its_day():
    from grants.models import AuditEvent
    from grants.services.repayments import interest_rules
    from tests.factories import UserFactory

    stated_base_rates()
    admin = journey.login(UserFactory(is_staff=True, is_superuser=True))
    assert admin.get("/admin/grants/baserate/").status_code == 200
    response = admin.post("/admin/grants/baserate/add/", {"valid_from": "2026-07-01", "rate": "1.77"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(action="admin_add", object_type="grants.BaseRate").exists()
    rates = list(BaseRate.objects.values_list("valid_from", "rate"))
    assert interest_rules.rate_on(dt.date(2026, 6, 30), rates) == Decimal("2.27")
    assert interest_rules.rate_on(dt.date(2026, 7, 1), rates) == Decimal("1.77")


@pytest.mark.django_db(transaction=True)
def test_the_office_hears_once_of_a_repayment_not_paid_by_its_due_date(fund, people, club, celery_eager, smtp_sink):
    from grants import services
    from grants.tasks import repayments_overdue
    from notifications.models import Notification
    from workflows.demo import office_step

    stated_base_rates()
    office = people["office"]
    with time_machine.travel(MARCH, tick=False):
        application = granted(fund, people, club)
        assert request_money(club, application, "2000.00").status_code == 302
        order_and_pay(people, application, "2026-03-02")
        file_report(club, application, actual="2850.00", unused="150.00")
        review(people, application, "claim", note="Nicht verbraucht.", claim_amount="150.00")
        claim = application.repayment_claims.get()
        hear = lambda: services.repayment_hearing(claim=claim, actor=office, deadline=dt.date(2026, 3, 20))  # noqa: E731
        office_step(application, ApplicationFlow.repayment_hearing, office, hear)
    with time_machine.travel(AFTER_HEARING, tick=False):
        decide = lambda: services.repayment_decide(claim=claim, actor=office, due_on=dt.date(2026, 4, 24))  # noqa: E731
        office_step(application, ApplicationFlow.repayment_decide, office, decide)
        assert repayments_overdue() == []
    with time_machine.travel(dt.datetime(2026, 4, 25, 6), tick=False):
        assert repayments_overdue() == [claim.pk]
        repayments_overdue()
    [told] = Notification.objects.filter(template="repayment_overdue")
    assert told.email == fund.office_email
    assert any("Rückzahlung überfällig" in message["Subject"] for message in smtp_sink.wait_for(4))
