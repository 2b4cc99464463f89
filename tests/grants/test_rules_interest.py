"""Interest on repayments (§ 49a(3) VwVfG): base rate of each day plus 5 points, 365-day year,
from the day after the payout to the payment day, the claim taken from the latest payouts first."""

import datetime as dt
from decimal import Decimal

import pytest

from grants.rules.interest import Portion, interest, portions_of, rate_on

RATES = [(dt.date(2025, 7, 1), Decimal("1.27")), (dt.date(2026, 4, 1), Decimal("2.27"))]


def test_one_rate_for_the_whole_period():
    one_rate = [(dt.date(2025, 7, 1), Decimal("1.27"))]
    # A whole year of 365 days at 1.27 + 5 = 6.27 %: exactly 62.70 EUR on 1,000 EUR.
    year = [Portion(Decimal("1000.00"), dt.date(2025, 7, 1))]
    assert interest(year, until=dt.date(2026, 7, 1), base_rates=one_rate) == Decimal("62.70")
    # 273 days: 1,000 × 6.27 % × 273 / 365 = 46.896… = 46.90 EUR.
    assert interest(year, until=dt.date(2026, 3, 31), base_rates=one_rate) == Decimal("46.90")


def test_a_new_base_rate_applies_from_its_day():
    # 150 EUR paid out on 2 March: 29 days in March at 6.27 %, 20 days in April at 7.27 %.
    portions = [Portion(Decimal("150.00"), dt.date(2026, 3, 2))]
    assert interest(portions, until=dt.date(2026, 4, 20), base_rates=RATES) == Decimal("1.34")


def test_the_claim_comes_from_the_latest_payouts_first():
    payouts = [(Decimal("1000.00"), dt.date(2026, 3, 2)), (Decimal("1000.00"), dt.date(2026, 5, 4))]
    assert portions_of(Decimal("150.00"), payouts) == [Portion(Decimal("150.00"), dt.date(2026, 5, 4))]
    assert portions_of(Decimal("1500.00"), payouts) == [
        Portion(Decimal("1000.00"), dt.date(2026, 5, 4)),
        Portion(Decimal("500.00"), dt.date(2026, 3, 2)),
    ]
    with pytest.raises(ValueError):
        portions_of(Decimal("2000.01"), payouts)


def test_no_interest_on_the_day_of_the_payout_itself():
    portions = [Portion(Decimal("150.00"), dt.date(2026, 3, 2))]
    assert interest(portions, until=dt.date(2026, 3, 2), base_rates=RATES) == Decimal("0.00")


def test_a_day_without_a_recorded_base_rate_is_refused():
    with pytest.raises(ValueError):
        rate_on(dt.date(2025, 6, 30), RATES)
