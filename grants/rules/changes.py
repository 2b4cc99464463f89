"""What the office may change in a running grant on its own; more goes to the steering group."""

import datetime as dt
from decimal import Decimal

from .dates import add_months


def shifted(planned: dict[int, Decimal], new: dict[int, Decimal]) -> Decimal:
    """The money moved between cost lines: the sum of the increases (the decreases match it)."""
    return sum((max(new.get(line, amount) - amount, Decimal(0)) for line, amount in planned.items()), Decimal(0))


def within_office_powers(
    *,
    end_date: dt.date,
    new_end_date: dt.date | None,
    shift: Decimal,
    grant: Decimal,
    extend_months: int,
    shift_percent: int,
) -> bool:
    """Whether the office may approve the change alone under the fund's rules."""
    if new_end_date and new_end_date > add_months(end_date, extend_months):
        return False
    return shift <= grant * shift_percent / 100
