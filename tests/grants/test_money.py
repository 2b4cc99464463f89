"""Money is Decimal everywhere: forms, CHECK constraints, budgets that cannot drop below commitments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants import services
from grants.models import Application, CostLine, FiscalYear, Fund, Recommendation
from tests import journey
from tests.factories import UserFactory
from workflows.forms import PayoutForm, RecommendationForm


def test_the_payout_form_accepts_one_cent_typed_the_german_way():
    form = PayoutForm(data={"amount": "0,01", "paid_on": "2026-11-25"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("0.01")
    assert not PayoutForm(data={"amount": "0,00", "paid_on": "2026-11-25"}).is_valid()


def test_money_fields_carry_decimal_bounds_only():
    for form in (PayoutForm(), RecommendationForm()):
        for field in form.fields.values():
            for bound in ("min_value", "max_value"):
                value = getattr(field, bound, None)
                assert value is None or isinstance(value, Decimal), (field, bound, value)


@pytest.mark.parametrize(
    ("model", "field"),
    [(Application, "requested_amount"), (Application, "own_funds"), (CostLine, "amount"),
     (Recommendation, "amount"), (FiscalYear, "budget"), (Fund, "cap")],
)  # fmt: skip
def test_the_database_refuses_a_negative_amount(application, people, model, field):
    from tests.steps import on_agenda

    on_agenda(application, people["office"])
    row = model.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: Decimal("-0.01")})


def test_the_database_refuses_an_overdrawn_fiscal_year(fund):
    year = fund.fiscal_years.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYear.objects.filter(pk=year.pk).update(committed=year.budget + Decimal("0.01"))


@pytest.fixture
def committed(application, fund):
    """39,000 EUR of this year's 40,000 EUR are committed."""
    year = fund.fiscal_years.get(year=dt.date.today().year)
    with transaction.atomic():
        locked = FiscalYear.objects.select_for_update(no_key=True).get(pk=year.pk)
        services.ledger.ledger_book(fiscal_year=locked, application=application, kind="commit", amount=Decimal("39000"))
    year.refresh_from_db()
    return year


def test_a_budget_cannot_be_lowered_below_what_is_committed(committed):
    admin = UserFactory(is_staff=True, is_superuser=True)
    with pytest.raises(ValidationError, match="39.000,00 EUR"):
        services.fiscal_year_budget_set(fiscal_year=committed, budget=Decimal("38999.99"), actor=admin)
    services.fiscal_year_budget_set(fiscal_year=committed, budget=Decimal("39000"), actor=admin)
    committed.refresh_from_db()
    assert committed.budget == Decimal("39000.00") and committed.available == Decimal("0.00")


def test_the_admin_gets_a_clear_refusal_and_nothing_changes(committed):
    admin = journey.login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/grants/fiscalyear/{committed.pk}/change/"
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"budget": "30000,00"})
    assert response.status_code == 200
    assert "bereits gebundenen 39.000,00 EUR" in response.content.decode()
    committed.refresh_from_db()
    assert committed.budget == Decimal("40000.00")
    response = admin.post(url, {"budget": "45000"})
    assert response.status_code == 302
    committed.refresh_from_db()
    assert committed.budget == Decimal("45000.00")
    assert committed.fund.fiscal_years.get(pk=committed.pk).available == Decimal("6000.00")
