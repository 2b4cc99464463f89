"""Money columns: Decimal with two places, never negative where the domain says so,
guarded by a database CHECK as well as by the form validators."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


def non_negative(model: str, *fields: str) -> list[models.CheckConstraint]:
    """One CHECK (field >= 0) per money column that must never go below zero."""
    return [
        models.CheckConstraint(condition=models.Q(**{f"{field}__gte": 0}), name=f"{model}_{field}_not_negative")
        for field in fields
    ]
