"""Two approvals racing for the last money: exactly one wins (row lock / IMMEDIATE transaction)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from grants.models import FiscalYear, LedgerEntry, Vote
from grants.services import fiscal_year_available, vote_cast
from workflows import api

from . import journey


@pytest.mark.django_db(transaction=True)
def test_two_approvals_for_the_last_money_cannot_both_win(fund, people, club, celery_eager):
    office = journey.login(people["office"])
    items = []
    for title in ("Nachtcafé", "Lichtkunst"):
        application = journey.apply(journey.login(club[1]), fund, title=title)
        journey.check_complete(office, application)
        journey.recommend(office, application, amount="2000.00")
        item = application.agenda_items.get()
        for member in people["members"][:4]:
            vote_cast(agenda_item=item, member=member, choice=Vote.YES)
        items.append(item)
    fiscal_year = FiscalYear.objects.get(fund=fund, year=items[0].application.submitted_at.year)
    LedgerEntry.objects.create(
        fiscal_year=fiscal_year, application=items[0].application, kind=LedgerEntry.COMMIT, amount=Decimal("37000")
    )
    assert fiscal_year_available(fiscal_year) == Decimal("3000.00")  # room for one of the two

    barrier = threading.Barrier(2)
    outcomes = []

    def close(item):
        try:
            barrier.wait()
            outcomes.append(api.close_vote(agenda_item=item, actor=people["chair"]).kind)
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2 and outcomes.count("approve") == 1, outcomes
    [refusal] = [outcome for outcome in outcomes if outcome != "approve"]
    assert "1.000,00 EUR" in refusal
    assert fiscal_year_available(fiscal_year) == Decimal("1000.00")
