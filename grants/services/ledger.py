"""The fund's money: fiscal-year budgets and the append-only ledger. The year's
row lock serialises every booking, so two approvals cannot spend the same euro."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FiscalYear, Fund, LedgerEntry
from ..rules.money import budget_problem
from ..templatetags.money import format_euro
from .core import audit

# Which running total of the fiscal year each kind of entry moves.
TOTALS = {
    LedgerEntry.COMMIT: "committed",
    LedgerEntry.RELEASE: "released",
    LedgerEntry.REVERSAL: "released",
    LedgerEntry.PAYOUT: "paid",
}


def lock_fiscal_year(fund: Fund, year: int) -> FiscalYear:
    """Lock and return the fund's fiscal year, or refuse with a German message."""
    # Ordered by its own key: the model's ordering by fund would join the fund and lock it too.
    fiscal_year = FiscalYear.objects.select_for_update(no_key=True).filter(fund=fund, year=year).order_by("pk").first()
    if fiscal_year is None:
        raise ValidationError(_("There is no budget for %(year)s yet. Please ask the office.") % {"year": year})
    return fiscal_year


def ledger_book(*, fiscal_year: FiscalYear, application, kind: str, amount: Decimal) -> LedgerEntry:
    """Append an entry and move the year's running total with it.

    Precondition: the caller holds the fiscal year's row lock (lock_fiscal_year)."""
    if kind == LedgerEntry.COMMIT and amount > fiscal_year.available:
        raise ValidationError(
            _("Only %(available)s are left in the %(year)s budget; %(amount)s cannot be approved.")
            % {
                "available": format_euro(fiscal_year.available),
                "year": fiscal_year.year,
                "amount": format_euro(amount),
            }
        )
    if kind in TOTALS:
        field = TOTALS[kind]
        setattr(fiscal_year, field, getattr(fiscal_year, field) + amount)
        fiscal_year.save(update_fields=[field])
    return LedgerEntry.objects.create(
        fiscal_year=fiscal_year, application=application, kind=kind, amount=amount,
        available_after=fiscal_year.available,
    )  # fmt: skip


def booking_year(day) -> int:
    """The fiscal year a movement belongs to: the calendar year of the day it happens (a
    commitment decided in December stays in that year, a payout made in January is the new year's)."""
    return day.year


@transaction.atomic
def fiscal_year_create(*, fund: Fund, year: int, budget: Decimal, actor) -> FiscalYear:
    """Open a fiscal year with its budget."""
    problem = budget_problem(budget, committed=Decimal("0.00"), released=Decimal("0.00"))
    if problem:
        raise ValidationError(problem)
    fiscal_year = FiscalYear.objects.create(fund=fund, year=year, budget=budget)
    audit(actor=actor, action="fiscal_year_create", obj=fiscal_year, after={"year": year, "budget": budget})
    return fiscal_year


@transaction.atomic
def fiscal_year_budget_set(*, fiscal_year: FiscalYear, budget: Decimal, actor) -> FiscalYear:
    """Change a year's budget; it can never drop below what is already committed."""
    fiscal_year = lock_fiscal_year(fiscal_year.fund, fiscal_year.year)
    problem = budget_problem(budget, committed=fiscal_year.committed, released=fiscal_year.released)
    if problem:
        raise ValidationError(problem)
    before = fiscal_year.budget
    fiscal_year.budget = budget
    fiscal_year.save(update_fields=["budget"])
    audit(actor=actor, action="fiscal_year_budget_set", obj=fiscal_year, before={"budget": before},
          after={"budget": budget})  # fmt: skip
    return fiscal_year
