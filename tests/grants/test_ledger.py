"""The fund ledger: running totals on the fiscal year kept under its row lock and reconciled
with the entries, the ledger page with its exports, the year boundary, and approvals racing
for the last money on real parallel PostgreSQL connections."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from openpyxl import load_workbook

from grants import services
from grants.models import Decision, FiscalYear, LedgerEntry, Motion, Vote
from grants.services.ledger import ledger_book
from tests import journey
from tests.factories import ApplicationFactory
from tests.steps import chair_of, on_agenda, vote


def book(fund, year, kind, amount, application=None):
    application = application or ApplicationFactory(fund=fund, title="Gebuchtes Projekt")
    with transaction.atomic():
        fiscal_year = FiscalYear.objects.select_for_update(no_key=True).get(fund=fund, year=year)
        return ledger_book(fiscal_year=fiscal_year, application=application, kind=kind, amount=Decimal(amount))


def check_ledger() -> str:
    out = io.StringIO()
    call_command("ledger_check", stdout=out)
    return out.getvalue()


def test_each_entry_records_the_balance_after_it_and_the_check_finds_them_in_step(fund):
    book(fund, 2026, "commit", "2500.00")
    book(fund, 2026, "commit", "1000.00")
    book(fund, 2026, "release", "300.00")
    book(fund, 2026, "payout", "2200.00")
    entries = list(LedgerEntry.objects.filter(fiscal_year__year=2026).order_by("pk"))
    assert [entry.available_after for entry in entries] == [
        Decimal("37500.00"), Decimal("36500.00"), Decimal("36800.00"), Decimal("36800.00")
    ]  # fmt: skip
    year = FiscalYear.objects.get(fund=fund, year=2026)
    assert (year.committed, year.released, year.paid, year.available) == (
        Decimal("3500.00"), Decimal("300.00"), Decimal("2200.00"), Decimal("36800.00")
    )  # fmt: skip
    assert "Every running total matches the ledger." in check_ledger()


def test_the_check_command_fails_when_a_running_total_differs_from_the_entries(fund):
    book(fund, 2026, "commit", "2500.00")
    FiscalYear.objects.filter(fund=fund, year=2026).update(committed=Decimal("2400.00"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 running total"):
        call_command("ledger_check", stdout=io.StringIO(), stderr=err)
    assert "committed is 2400.00 on the year, 2500.00 in the ledger entries" in err.getvalue()


def test_the_ledger_page_shows_the_money_and_exports_csv_and_xlsx(fund, people):
    commitment = book(fund, 2026, "commit", "2500.00")
    book(fund, 2026, "release", "150.00", application=commitment.application)
    year = FiscalYear.objects.get(fund=fund, year=2026)
    office = journey.login(people["office"])
    page = office.get(f"/geschaeftsstelle/haushalt/{year.pk}/").content.decode()
    for figure in ("40.000,00 EUR", "2.500,00 EUR", "150,00 EUR", "37.650,00 EUR", "37.500,00 EUR"):
        assert figure in page
    assert "verfallen" not in page  # the year is still running

    csv = office.get(f"/geschaeftsstelle/haushalt/{year.pk}/?export=csv")
    assert csv["Content-Type"].startswith("text/csv") and "haushalt-harburg-2026.csv" in csv["Content-Disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Datum;Art;Aktenzeichen")
    assert lines[1].endswith(";2500,00;37500,00") and lines[2].endswith(";150,00;37650,00"), lines

    xlsx = office.get(f"/geschaeftsstelle/haushalt/{year.pk}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["Verfügbar", 37650] in [list(row[:2]) for row in rows]
    booked = [row for row in rows if row and row[1] in ("Mittelbindung", "Freigabe gebundener Mittel")]
    assert [(row[4], row[5]) for row in booked] == [(2500, 37500), (150, 37650)]


def test_the_ledger_is_the_office_s_own(fund, people):
    from tests.factories import FundFactory, FundRoleFactory

    other = FundFactory(slug="anderer-fonds", reference_prefix="AF")
    outsider = FundRoleFactory(fund=other, role="office").user
    year = FiscalYear.objects.get(fund=fund, year=2026)
    assert journey.login(outsider).get(f"/geschaeftsstelle/haushalt/{year.pk}/?export=csv").status_code == 404
    assert journey.login(people["members"][1]).get(f"/geschaeftsstelle/haushalt/{year.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_december_commitment_stays_in_its_year_and_a_january_payout_is_the_new_year_s(
    fund, people, club, celery_eager
):
    """The decision late on New Year's Eve (Berlin time) commits 2026 money; the payout in January
    is booked in 2027; once 2026 is over, its remainder is reported as lapsed."""
    application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1])
    item = on_agenda(application, people["office"], amount=Decimal("2000.00"))
    vote(item, people["members"][:4], Vote.YES)
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC) - dt.timedelta(hours=1), tick=False):
        closed = services.vote_close(agenda_item=item, actor=chair_of(item), reasons="Teilbetrag.")
        services.decision_letter_issue(decision=closed.decision)
    assert closed.decision.kind == Decision.APPROVE
    years = {year.year: year for year in FiscalYear.objects.filter(fund=fund)}
    assert (years[2026].committed, years[2027].committed) == (Decimal("2000.00"), Decimal("0.00"))

    application.refresh_from_db()
    with time_machine.travel(dt.datetime(2027, 1, 8, 10, 0, tzinfo=dt.UTC), tick=False):
        services.appeal_waive(application=application, actor=club[1])
        services.payout_record(application=application, actor=people["office"], amount=Decimal("2000.00"),
                               paid_on=dt.date(2027, 1, 8))  # fmt: skip
        years = {year.year: year for year in FiscalYear.objects.filter(fund=fund)}
        assert (years[2026].paid, years[2027].paid) == (Decimal("0.00"), Decimal("2000.00"))
        assert years[2027].available == Decimal("40000.00")  # a payout does not spend a commitment twice
        out = check_ledger()
        assert f"{years[2026]}: budget 40000.00, committed 2000.00" in out and "lapsed 38000.00" in out
        page = journey.login(people["office"]).get(f"/geschaeftsstelle/haushalt/{years[2026].pk}/").content.decode()
        assert "Sein Rest von 38.000,00 EUR ist verfallen" in page
        listing = journey.login(people["office"]).get("/geschaeftsstelle/haushalt/").content.decode()
        assert "38.000,00 EUR" in listing


@pytest.mark.skipif(connection.vendor != "postgresql", reason="20 parallel connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_twenty_approvals_racing_for_money_for_ten_make_exactly_ten(fund, people, club, celery_eager):
    book(fund, 2026, "commit", "20000.00")  # 20,000 EUR left: money for ten grants of 2,000 EUR
    items = []
    for number in range(20):
        application = ApplicationFactory(fund=fund, organisation=club[0], created_by=club[1], title=f"Projekt {number}")
        items.append(on_agenda(application, people["office"], amount=Decimal("2000.00")))
    for item in items:
        vote(item, people["members"][:4], Vote.YES)
    chair = chair_of(items[0])
    barrier = threading.Barrier(len(items))
    outcomes, errors = [], []

    def close(item):
        try:
            barrier.wait()
            closed = services.vote_close(agenda_item=item, actor=chair, reasons="Teilbetrag.")
            outcomes.append(closed.decision.kind if closed.decision else closed.motion.result)
        except Exception as error:  # noqa: BLE001 - reported below, so that the test fails
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(outcomes) == ["approve"] * 10 + [Motion.Result.OVER_BUDGET] * 10, outcomes
    year = FiscalYear.objects.get(fund=fund, year=2026)
    assert (year.committed, year.available) == (Decimal("40000.00"), Decimal("0.00"))
    commits = LedgerEntry.objects.filter(fiscal_year=year, kind="commit").order_by("pk")
    assert commits.count() == 11 and sum(entry.amount for entry in commits) == Decimal("40000.00")
    assert [entry.available_after for entry in commits] == [Decimal(20000 - 2000 * n) for n in range(11)]
    assert Decimal(sum(d.amount for d in approvals(fund))) == Decimal("20000.00")
    assert "Every running total matches the ledger." in check_ledger()


def approvals(fund):  # noqa: N802
    return Decision.objects.filter(application__fund=fund, kind=Decision.APPROVE)


def ledger_queries(client, url) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_ledger_page_reads_one_page_of_entries_however_long_the_year(fund, people):
    application = ApplicationFactory(fund=fund, title="Viele Buchungen")
    year = FiscalYear.objects.get(fund=fund, year=2026)
    office = journey.login(people["office"])
    url = f"/geschaeftsstelle/haushalt/{year.pk}/"
    for _ in range(3):
        book(fund, 2026, "commit", "10.00", application=application)
    ledger_queries(office, url)  # warm-up
    few = ledger_queries(office, url)
    payout = LedgerEntry(fiscal_year=year, application=application, kind="payout", amount=Decimal("1.00"))
    LedgerEntry.objects.bulk_create(
        LedgerEntry(fiscal_year=year, application=application, kind=payout.kind, amount=payout.amount)
        for _ in range(300)
    )
    assert ledger_queries(office, url) == few
    page = office.get(url).content.decode()
    assert page.count("<tr>") == 51  # the header row and 50 entries
    older = page.split('href="?before=')[1].split('"')[0]
    second = office.get(url, {"before": older}).content.decode()
    assert second.count("<tr>") == 51 and "Neueste Buchungen" in second
