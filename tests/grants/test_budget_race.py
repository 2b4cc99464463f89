"""Two approvals racing for the last money: exactly one wins (row lock / IMMEDIATE transaction),
and the other item stays open for the chair instead of failing."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from grants.models import FiscalYear, Motion, Vote
from grants.services import ledger, vote_cast
from tests import journey
from workflows import api


@pytest.mark.django_db(transaction=True)
def test_two_approvals_for_the_last_money_cannot_both_win(fund, people, club, celery_eager):
    office = journey.login(people["office"])
    items = []
    for title in ("Nachtcafé", "Lichtkunst"):
        application = journey.apply(journey.login(club[1]), fund, title=title)
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2000.00")
        item = journey.open_item(application)
        for member in people["members"][:4]:
            vote_cast(agenda_item=item, member=member, choice=Vote.YES)
        items.append(item)
    fiscal_year = FiscalYear.objects.get(fund=fund, year=items[0].application.submitted_at.year)
    ledger.ledger_book(fiscal_year=fiscal_year, application=items[0].application, kind="commit",
                       amount=Decimal("37000"))  # fmt: skip
    assert fiscal_year.available == Decimal("3000.00")  # room for one of the two

    barrier = threading.Barrier(2)
    outcomes = []

    def close(item):
        try:
            barrier.wait()
            closed = api.vote_close(agenda_item=item, actor=people["chair"], reasons="Gekürzt.")
            outcomes.append(closed.decision.kind if closed.decision else closed.motion.result)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["approve", Motion.Result.OVER_BUDGET], outcomes
    fiscal_year.refresh_from_db()
    assert fiscal_year.available == Decimal("1000.00")
    assert fiscal_year.committed == sum(entry.amount for entry in fiscal_year.ledger.filter(kind="commit"))
