"""Interest on a repayment (VwVfG § 49a(3)): by default five percentage points above the base
rate (Basiszinssatz, § 247 BGB) a year, from the payout to the payment. The base rate changes
each half-year and is data (grants.BaseRate); this module only computes."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DAYS_A_YEAR = Decimal(365)


@dataclass(frozen=True)
class Portion:
    """Part of the claim that was paid out on one day; interest on it runs from that day."""

    amount: Decimal
    paid_on: dt.date


def portions_of(claim: Decimal, payouts: list[tuple[Decimal, dt.date]]) -> list[Portion]:
    """Attribute the claimed amount to the payouts, the latest first: money not used is the money
    paid last, so interest runs from the later instalments before the earlier ones."""
    left, portions = claim, []
    for amount, paid_on in sorted(payouts, key=lambda payout: payout[1], reverse=True):
        if left <= 0:
            break
        take = min(left, amount)
        portions.append(Portion(take, paid_on))
        left -= take
    if left > 0:
        raise ValueError("the claim exceeds the money paid out")
    return portions


def rate_on(day: dt.date, base_rates: list[tuple[dt.date, Decimal]]) -> Decimal:
    """The base rate in force on `day`: the newest one valid from that day or before."""
    valid = [rate for valid_from, rate in sorted(base_rates) if valid_from <= day]
    if not valid:
        raise ValueError(f"no base rate is recorded for {day.isoformat()}")
    return valid[-1]


def interest(
    portions: list[Portion],
    *,
    until: dt.date,
    base_rates: list[tuple[dt.date, Decimal]],
    points: Decimal = Decimal("5"),
) -> Decimal:
    """Simple interest, day by day at the base rate of each day plus `points`, on a 365-day year,
    from the day after each payout up to and including the payment day (§ 187(1) BGB: the day
    of the event does not count); rounded to the cent once, at the end."""
    total = Decimal(0)
    for portion in portions:
        day = portion.paid_on + dt.timedelta(days=1)
        while day <= until:
            total += portion.amount * (rate_on(day, base_rates) + points) / 100 / DAYS_A_YEAR
            day += dt.timedelta(days=1)
    return total.quantize(CENT, ROUND_HALF_UP)
