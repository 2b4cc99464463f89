from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grants.fields import MoneyField


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1234,56", "1234.56"), ("1.234,56", "1234.56"), ("1.234", "1234"), ("1234.56", "1234.56"),
        ("2.400,00 €", "2400.00"), (" 800 EUR", "800"), ("0,5", "0.5"),
    ],
)  # fmt: skip
def test_money_is_read_as_people_type_it(typed, amount):
    assert MoneyField().clean(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["zwölf", "1,2,3", "1.234,567"])
def test_what_is_no_amount_is_refused(typed):
    with pytest.raises(ValidationError):
        MoneyField().clean(typed)
