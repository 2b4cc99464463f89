"""Scenario 8, budget nearly spent: in October 1,200 EUR are left and an application asks for
2,000 EUR. The steering group can approve 1,200 or defer to the new year; it can never approve
more than is available. Two approvals at the same moment for the last money: exactly one wins."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction

from grants.models import FiscalYear, LedgerEntry, Meeting, Motion
from grants.services.ledger import ledger_book
from tests import journey
from tests.factories import ApplicationFactory
from tests.workflows.test_process import pdf_text, wait_for_letter
from workflows import api

SEPTEMBER, OCTOBER_MEETING = dt.datetime(2026, 9, 20, 10, 0), dt.datetime(2026, 10, 21, 18, 0)


def ledger_in_step(fund, year: int, *, committed: str, available: str) -> FiscalYear:
    """The year's running totals, its entries and their last running balance agree, and the
    reconciliation command finds nothing to report."""
    import io

    from django.core.management import call_command

    fiscal_year = FiscalYear.objects.get(fund=fund, year=year)
    entries = LedgerEntry.objects.filter(fiscal_year=fiscal_year)
    commits = sum(entry.amount for entry in entries.filter(kind="commit"))
    assert (fiscal_year.committed, commits, fiscal_year.available) == (
        Decimal(committed), Decimal(committed), Decimal(available)
    )  # fmt: skip
    last = entries.order_by("-pk").first()
    assert last is None or last.available_after == Decimal(available)
    out = io.StringIO()
    call_command("ledger_check", stdout=out)
    assert "Every running total matches the ledger." in out.getvalue()
    return fiscal_year


def spend_all_but(fund, left: Decimal) -> FiscalYear:
    """Book the year's earlier grants, leaving `left` of the 40,000 EUR budget."""
    earlier = ApplicationFactory(fund=fund, title="Frühere Bewilligungen")
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update(no_key=True).get(fund=fund, year=2026)
        ledger_book(fiscal_year=year, application=earlier, kind="commit", amount=year.budget - left)
    return year


def on_octobers_agenda(fund, people, club, title="Nachtcafé für Jugendliche"):
    with time_machine.travel(SEPTEMBER, tick=False):
        application = journey.apply(journey.login(club[1]), fund, title=title, requested="2000.00",
                                    own="500.00", costs=("2500.00",))  # fmt: skip
        office = journey.login(people["office"])
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2000.00", reasoning="Passt zum Fonds.")
    item = journey.open_item(application)
    assert item.meeting.date == OCTOBER_MEETING.date()
    return item


@pytest.mark.worker
def test_the_body_approves_what_is_left_never_more(fund, people, club, celery_worker_process, smtp_sink):
    year = spend_all_but(fund, Decimal("1200.00"))
    item = on_octobers_agenda(fund, people, club)
    with time_machine.travel(OCTOBER_MEETING, tick=False):
        journey.vote_all(people["members"][:4], item.application)
        page = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
        assert "1.200,00 EUR" in page and "mehr, als im Haushalt noch verfügbar ist" in page
        assert journey.close_vote(people["chair"], item) is None  # adopted, but the money is not there
        assert item.motions.get().result == Motion.Result.OVER_BUDGET
        year.refresh_from_db()
        assert year.available == Decimal("1200.00")

        meeting_page = journey.login(people["chair"]).get(f"/sitzungen/{item.meeting_id}/").content.decode()
        assert "nur noch 1.200,00 EUR verfügbar" in meeting_page
        journey.put_motion(people["chair"], item, kind="approve", amount="1200.00")
        journey.vote_all(people["members"][:4], item.application)
        decision = journey.close_vote(people["chair"], item, reasons="Mehr ist im Haushaltsjahr 2026 nicht verfügbar.")
    assert (decision.kind, decision.amount) == ("approve", Decimal("1200.00"))
    year.refresh_from_db()
    assert (year.available, year.committed) == (Decimal("0.00"), Decimal("40000.00"))
    ledger_in_step(fund, 2026, committed="40000.00", available="0.00")
    # The over-budget vote booked nothing: two commitments, the earlier grants and the 1,200 EUR.
    assert list(year.ledger.filter(kind="commit").order_by("pk").values_list("amount", flat=True)) == [
        Decimal("38800.00"), Decimal("1200.00")
    ]  # fmt: skip
    ledger_page = journey.login(people["office"]).get(f"/geschaeftsstelle/haushalt/{year.pk}/").content.decode()
    assert "40.000,00 EUR" in ledger_page and "1.200,00 EUR" in ledger_page

    _message, pdf = wait_for_letter(smtp_sink)
    text = pdf_text(pdf)
    assert "1.200,00 EUR" in text and "Mehr ist im Haushaltsjahr 2026 nicht verfügbar." in text
    assert "Summe = zuwendungsfähige Gesamtausgaben 1.700,00 EUR" in text  # 500 own + 1,200 grant


@pytest.mark.django_db(transaction=True)
def test_or_defers_to_the_first_meeting_of_the_new_year_and_decides_there(fund, people, club, celery_eager):
    spend_all_but(fund, Decimal("1200.00"))
    item = on_octobers_agenda(fund, people, club)
    january = Meeting.objects.filter(fund=fund, date__year=2027).order_by("date").first()
    with time_machine.travel(OCTOBER_MEETING, tick=False):
        journey.vote_all(people["members"][:4], item.application)
        journey.close_vote(people["chair"], item)
        form = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/antrag/?kind=defer&target=next_year")
        assert january.date.strftime("%d.%m.%Y") in form.content.decode()
        journey.put_motion(people["chair"], item, kind="defer", defer_to=january.pk)
        journey.vote_all(people["members"][:4], item.application)
        assert journey.close_vote(people["chair"], item).kind == "defer"

    application = item.application
    application.refresh_from_db()
    assert application.meeting == january and application.status == "on_agenda"
    with time_machine.travel(dt.datetime(2027, 1, 20, 18, 0), tick=False):
        decision = journey.close_vote(people["chair"], journey.vote_all(people["members"][:4], application))
    assert (decision.kind, decision.amount) == ("approve", Decimal("2000.00"))
    assert FiscalYear.objects.get(fund=fund, year=2027).available == Decimal("38000.00")
    assert FiscalYear.objects.get(fund=fund, year=2026).available == Decimal("1200.00")
    ledger_in_step(fund, 2027, committed="2000.00", available="38000.00")
    ledger_in_step(fund, 2026, committed="38800.00", available="1200.00")
    with time_machine.travel(dt.datetime(2027, 1, 21, 9, 0), tick=False):
        # 2026 is over: its 1,200 EUR lapse and are reported, they do not carry over into 2027.
        office = journey.login(people["office"])
        year_2026 = FiscalYear.objects.get(fund=fund, year=2026)
        page = office.get(f"/geschaeftsstelle/haushalt/{year_2026.pk}/").content.decode()
        assert "Sein Rest von 1.200,00 EUR ist verfallen" in page


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_for_the_last_money_exactly_one_wins(fund, people, club, celery_eager):
    year = spend_all_but(fund, Decimal("2000.00"))
    items = [on_octobers_agenda(fund, people, club, title=title) for title in ("Nachtcafé", "Lichtkunst")]
    barrier = threading.Barrier(2)
    outcomes = []

    def close(item):
        try:
            with time_machine.travel(OCTOBER_MEETING, tick=False):
                barrier.wait()
                closed = api.vote_close(agenda_item=item, actor=people["chair"])
            outcomes.append(closed.decision.kind if closed.decision else closed.motion.result)
        finally:
            connection.close()

    with time_machine.travel(OCTOBER_MEETING, tick=False):
        for item in items:
            journey.vote_all(people["members"][:4], item.application)
    threads = [threading.Thread(target=close, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["approve", Motion.Result.OVER_BUDGET], outcomes
    year.refresh_from_db()
    assert (year.available, year.committed) == (Decimal("0.00"), Decimal("40000.00"))
    ledger_in_step(fund, 2026, committed="40000.00", available="0.00")
