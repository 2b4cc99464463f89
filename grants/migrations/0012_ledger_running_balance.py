from django.db import migrations, models

# As grants.services.ledger.TOTALS: what lowers and what raises the available money.
LOWERS, RAISES = {"commit"}, {"release", "reversal"}


def backfill(apps, schema_editor):
    """Write each existing entry's balance after it, walking every year's ledger once in order
    (against today's budget: earlier budget changes are not in the ledger)."""
    FiscalYear = apps.get_model("grants", "FiscalYear")
    LedgerEntry = apps.get_model("grants", "LedgerEntry")
    for year in FiscalYear.objects.all().iterator():
        available, changed = year.budget, []
        for entry in LedgerEntry.objects.filter(fiscal_year=year).order_by("created", "pk").iterator():
            available += -entry.amount if entry.kind in LOWERS else entry.amount if entry.kind in RAISES else 0
            entry.available_after = available
            changed.append(entry)
            if len(changed) >= 2000:
                LedgerEntry.objects.bulk_update(changed, ["available_after"])
                changed = []
        LedgerEntry.objects.bulk_update(changed, ["available_after"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0011_meetings_in_session_circular_procedures_minutes"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="available_after",
            field=models.DecimalField(decimal_places=2, editable=False, max_digits=12, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["fiscal_year", "-id"], name="ledgerentry_year_newest"),
        ),
    ]
