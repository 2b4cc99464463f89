"""The base rates (Basiszinssatz, § 247 BGB) published by the Deutsche Bundesbank since 2023;
the fund admin adds each new one in the admin when it is announced."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RATES = [
    (dt.date(2023, 1, 1), Decimal("1.62")),
    (dt.date(2023, 7, 1), Decimal("3.12")),
    (dt.date(2024, 1, 1), Decimal("3.62")),
    (dt.date(2024, 7, 1), Decimal("3.37")),
    (dt.date(2025, 1, 1), Decimal("2.27")),
    (dt.date(2025, 7, 1), Decimal("1.27")),
]


def seed(apps, schema_editor):
    BaseRate = apps.get_model("grants", "BaseRate")
    for valid_from, rate in RATES:
        BaseRate.objects.get_or_create(valid_from=valid_from, defaults={"rate": rate})


class Migration(migrations.Migration):
    dependencies = [("grants", "0012_payouts_in_instalments_repayments_changes_objections")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
