"""Scenario 1, night football: a sports club applies for 2,400 EUR (total cost 3,000, own share
600) and, asked by the office, uploads the three quotes the amount needs. The office recommends
2,000 as Fehlbedarf with the condition "cooperation with the youth officer of the police station";
the steering group approves. The letter goes out; the club waives its right of appeal; the office
records the condition met; instalment 1 (1,000) is paid; instalment 2 after an interim report. The
final report comes late and shows 150 EUR unused: a repayment of 150 EUR is claimed, heard,
decided and received with interest, and the file closes. The club's steps go through its portal
pages, posting the fields each page renders (tests.pages)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from grants import selectors
from grants.models import BaseRate, FiscalYear, LedgerEntry
from tests import journey, pages
from tests.aftercare import file_report, order_and_pay, request_money, review
from tests.samples import pdf_bytes, upload
from tests.workflows.test_process import pdf_text, wait_for_letter
from workflows.flows import ApplicationFlow
from workflows.tasks import fire_workflow_timers

CONDITION = "Zusammenarbeit mit dem Jugendbeauftragten des Polizeikommissariats 46"


def at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour), tick=False)


@pytest.mark.django_db(transaction=True)
def test_night_football_from_application_to_repayment(fund, people, club, celery_eager, smtp_sink):
    BaseRate.objects.all().delete()
    BaseRate.objects.create(valid_from=dt.date(2025, 7, 1), rate=Decimal("1.27"))  # the rate this test states
    with at(2026, 1, 10):
        application = journey.apply(journey.login(club[1]), fund, start_date="2026-03-01", end_date="2026-06-30")
        in_order = [key for key in journey.ALL_IN_ORDER if key != "quotes"]
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.check_completeness,
                            {"complete": "no", "checklist": in_order, "deadline": "2026-01-24",
                             "message": "Bitte drei Vergleichsangebote für die Hallenmiete hochladen."})  # fmt: skip
    with at(2026, 1, 12):  # the club answers the revision request: the quotes, marked with the deadline
        applicant = journey.login(club[1])
        page = applicant.get(f"/antraege/{application.pk}/").content.decode()
        assert 'id="task-anlagen-asked"' in page and "bis 24.01.2026" in page and 'id="task-kosten-asked"' not in page
        for name in ("angebot-halle-eissendorf.pdf", "angebot-halle-sinstorf.pdf", "angebot-halle-heimfeld.pdf"):
            uploaded = pages.submit(applicant, f"/antraege/{application.pk}/anlagen/",
                                    {"kind": "quote", "file": upload(name, pdf_bytes())})  # fmt: skip
            assert uploaded.status_code == 302
        journey.submit(applicant, application)
        office = journey.login(people["office"])
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2000.00", financing_type="gap", conditions=CONDITION)
    with at(2026, 2, 18, 18):
        item = journey.vote_all(people["members"][:4], application)
        decision = journey.close_vote(people["chair"], item, reasons="Die Hallenmiete wird nur anteilig gefördert.")
    assert (decision.kind, decision.amount, decision.financing_type) == ("approve", Decimal("2000.00"), "gap")
    _message, pdf = wait_for_letter(smtp_sink)
    assert CONDITION in pdf_text(pdf) and "2.000,00 EUR" in pdf_text(pdf)

    with at(2026, 2, 20):
        journey.waive_appeal(journey.login(club[1]), application)
        fire_workflow_timers()
        blocked = request_money(club, application, "1000.00")
        assert blocked.status_code == 200 and "Auflage" in blocked.content.decode()
    with at(2026, 2, 25):
        note = {"note": "Kooperationsvereinbarung mit dem PK 46 vom 24.02.2026 liegt vor."}
        assert (
            journey.login(people["office"]).post(f"/akten/{application.pk}/auflagen-erfuellt/", note).status_code == 302
        )
        assert request_money(club, application, "1000.00").status_code == 302
    with at(2026, 3, 2):
        assert "1. Teilbetrag" in order_and_pay(people, application, "2026-03-02")
    with at(2026, 4, 15):
        interim = "Acht Abende mit je 25 Jugendlichen; der Jugendbeauftragte war viermal dabei."
        assert request_money(club, application, "1000.00", interim_report=interim).status_code == 302
        assert interim in application.instalments.get(number=2).interim_report
    with at(2026, 4, 20):
        assert "2. Teilbetrag" in order_and_pay(people, application, "2026-04-20")
    application.refresh_from_db()
    assert application.status == "paid" and application.report_due == dt.date(2026, 8, 25)

    with at(2026, 9, 10):  # 16 days after the report was due
        receipts = "Hallenmiete März bis Juni, 1.350,00 EUR\nTrikots, 900,00 EUR\nGetränke, 600,00 EUR"
        file_report(club, application, actual="2850.00", unused="150.00", receipts=receipts)
        assert application.report.submitted_at.date() > application.report_due
        review(people, application, "more", note="Bitte die Belege der Hallenmiete einzeln aufführen.")
        application.refresh_from_db()
        assert application.status == "paid"  # the report went back
    with at(2026, 9, 14):
        line = application.cost_lines.get()
        receipts = "Hallenmiete März, 350,00 EUR\nHallenmiete April bis Juni, 1.000,00 EUR\nTrikots, 900,00 EUR\n"
        receipts += "Getränke, 600,00 EUR"
        file_report(club, application, actual="2850.00", unused="150.00", receipts=receipts,
                    **{f"actual_{line.pk}": "2850.00"})  # fmt: skip
        check = selectors.report_comparison(application)  # what the office's check shows
        assert (check.lines[0].planned, check.lines[0].actual) == (Decimal("3000.00"), Decimal("2850.00"))
        assert check.receipts_total == Decimal("2850.00") and not check.receipts_unreadable
        review(people, application, "claim", note="150 EUR der Zuwendung wurden nicht verbraucht.",
               claim_amount="150.00")  # fmt: skip
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.repayment_hearing,
                            {"deadline": "2026-10-01"})  # fmt: skip
    with at(2026, 10, 2):
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.repayment_decide,
                            {"statement": "", "due_on": "2026-10-30"})  # fmt: skip
    with at(2026, 10, 20):
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.repayment_receive,
                            {"paid_on": "2026-10-20"})  # fmt: skip

    # 150 EUR from the second instalment (20 April) to 20 October, 183 days at 1.27 + 5 = 6.27 %:
    # 150 × 0.0627 × 183 / 365 = 4.7154 → 4.72 EUR.
    claim = application.repayment_claims.get()
    assert (claim.amount, claim.interest, claim.status) == (Decimal("150.00"), Decimal("4.72"), "paid")
    entries = {kind: sorted(LedgerEntry.objects.filter(application=application, kind=kind)
                            .values_list("amount", flat=True)) for kind in ("commit", "payout", "claim",
                                                                           "repayment", "release")}  # fmt: skip
    assert entries == {
        "commit": [Decimal("2000.00")], "payout": [Decimal("1000.00"), Decimal("1000.00")],
        "claim": [Decimal("150.00")], "repayment": [Decimal("154.72")], "release": [Decimal("150.00")],
    }  # fmt: skip
    year = FiscalYear.objects.get(fund=fund, year=2026)
    assert (year.committed, year.paid, year.released) == (Decimal("2000.00"), Decimal("2000.00"), Decimal("150.00"))
    application.refresh_from_db()
    assert application.status == "closed" and application.process.status == "DONE"
    kinds = list(application.documents.order_by("created", "pk").values_list("kind", flat=True))
    assert kinds == ["revision_request", "approval", "payout_order", "payout_order", "hearing", "revocation"]
