from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grants import selectors
from grants.models import FiscalYear


class Command(BaseCommand):
    help = "Reconcile each fiscal year's running totals with the sum of its ledger entries."

    def handle(self, *args, **options):
        found = selectors.ledger_discrepancies()
        for problem in found:
            self.stderr.write(
                f"{problem.fiscal_year}: {problem.total} is {problem.kept} on the year, "
                f"{problem.booked} in the ledger entries"
            )
        if found:
            raise CommandError(f"{len(found)} running total(s) differ from the ledger.")
        today = timezone.localdate()
        for year in FiscalYear.objects.select_related("fund").order_by("fund_id", "year"):
            lapsed = selectors.lapsed_remainder(year, today)
            line = (
                f"{year}: budget {year.budget}, committed {year.committed}, released {year.released}, "
                f"paid {year.paid}, available {year.available}"
            )
            self.stdout.write(line + (f", lapsed {lapsed}" if lapsed is not None else ""))
        self.stdout.write("Every running total matches the ledger.")
