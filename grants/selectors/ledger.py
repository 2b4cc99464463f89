"""The fund ledger as the office reads it: the years, one year's entries with the running
balance, and the check that the years' running totals match their entries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404

from ..models import FiscalYear, LedgerEntry
from ..roles import OFFICE

# Which running total of the fiscal year each kind of entry moves (as services.ledger.TOTALS).
TOTAL_OF_KIND = {
    LedgerEntry.COMMIT: "committed",
    LedgerEntry.RELEASE: "released",
    LedgerEntry.REVERSAL: "released",
    LedgerEntry.PAYOUT: "paid",
}
TOTALS = ("committed", "released", "paid")


def fiscal_years_for_office(user) -> QuerySet[FiscalYear]:
    return (
        FiscalYear.objects.filter(fund__in=user.fund_roles.filter(role=OFFICE).values("fund"))
        .select_related("fund")
        .order_by("fund__name", "-year")
    )


def fiscal_year_for_office(user, pk) -> FiscalYear:
    return get_object_or_404(fiscal_years_for_office(user), pk=pk)


def ledger_entries(fiscal_year: FiscalYear) -> QuerySet[LedgerEntry]:
    """The year's entries, newest first, each with its application's reference and title."""
    return (
        LedgerEntry.objects.filter(fiscal_year=fiscal_year)
        .select_related("application")
        .only("pk", "kind", "amount", "available_after", "created", "application__reference", "application__title")
        .order_by("-id")
    )


def year_is_closed(fiscal_year: FiscalYear, today: dt.date) -> bool:
    return fiscal_year.year < today.year


def lapsed_remainder(fiscal_year: FiscalYear, today: dt.date) -> Decimal | None:
    """What a closed year left unspent: its money lapses and does not carry over to the next year."""
    return fiscal_year.available if year_is_closed(fiscal_year, today) else None


@dataclass(frozen=True)
class Discrepancy:
    fiscal_year: FiscalYear
    total: str
    kept: Decimal
    booked: Decimal


def ledger_discrepancies() -> list[Discrepancy]:
    """Every running total of a fiscal year that differs from the sum of its entries (one query
    over the ledger, for the check command; the pages never sum the ledger)."""
    booked: dict[tuple[int, str], Decimal] = {}
    sums = LedgerEntry.objects.values("fiscal_year_id", "kind").annotate(total=Sum("amount")).order_by()
    for row in sums:
        total = TOTAL_OF_KIND.get(row["kind"])
        if total:
            key = (row["fiscal_year_id"], total)
            booked[key] = booked.get(key, Decimal("0.00")) + row["total"]
    found = []
    for fiscal_year in FiscalYear.objects.select_related("fund").order_by("fund_id", "year"):
        for total in TOTALS:
            kept = getattr(fiscal_year, total)
            entries = booked.get((fiscal_year.pk, total), Decimal("0.00"))
            if kept != entries:
                found.append(Discrepancy(fiscal_year, total, kept, entries))
    return found
