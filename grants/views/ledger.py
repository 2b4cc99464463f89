"""The fund ledger per fiscal year for the office: the year's money, its entries with the
running balance, and the entries as CSV or XLSX for the district's spreadsheets."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors

LEDGER_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def ledger_years(request):
    today = timezone.localdate()
    years = [
        (year, selectors.lapsed_remainder(year, today)) for year in selectors.fiscal_years_for_office(request.user)
    ]
    return render(request, "grants/ledger_years.html", {"years": years})


@login_required
def ledger(request, pk):
    """One year's ledger, newest entries first, paged by entry id (no count over the year)."""
    fiscal_year = selectors.fiscal_year_for_office(request.user, pk)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(fiscal_year, export)
    entries = selectors.ledger_entries(fiscal_year)
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(pk__lt=int(before))
    page = list(entries[: LEDGER_PAGE_SIZE + 1])
    older = page[LEDGER_PAGE_SIZE - 1].pk if len(page) > LEDGER_PAGE_SIZE else None
    today = timezone.localdate()
    return render(
        request,
        "grants/ledger.html",
        {
            "fiscal_year": fiscal_year,
            "entries": page[:LEDGER_PAGE_SIZE],
            "older": older,
            "paged": before.isdigit(),
            "closed": selectors.year_is_closed(fiscal_year, today),
            "lapsed": selectors.lapsed_remainder(fiscal_year, today),
        },
    )


def _rows(fiscal_year):
    """The export: a header, then every entry oldest first with the balance after it."""
    yield [_("Date"), _("Kind"), _("Reference"), _("Project title"), _("Amount"), _("Available after")]
    entries = selectors.ledger_entries(fiscal_year).order_by("id")
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.created).date(),
            entry.get_kind_display(),
            entry.application.reference or "",
            entry.application.title,
            entry.amount,
            entry.available_after,
        ]


def _filename(fiscal_year, extension) -> str:
    return f"haushalt-{fiscal_year.fund.slug}-{fiscal_year.year}.{extension}"


def _export(fiscal_year, kind) -> HttpResponse:
    if kind == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that spreadsheet programs read the umlauts right
        writer = csv.writer(response, delimiter=";")
        for row in _rows(fiscal_year):
            writer.writerow([str(value).replace(".", ",") if hasattr(value, "quantize") else value for value in row])
    else:
        response = HttpResponse(_workbook(fiscal_year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(fiscal_year, kind)}"'
    return response


def _workbook(fiscal_year) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(fiscal_year.year))
    summary = [
        (_("Budget"), fiscal_year.budget),
        (_("Committed"), fiscal_year.committed),
        (_("Released"), fiscal_year.released),
        (_("Paid out"), fiscal_year.paid),
        (_("Available"), fiscal_year.available),
    ]
    sheet.append([str(fiscal_year)])
    for label, value in summary:
        sheet.append([label, value])
    sheet.append([])
    for row in _rows(fiscal_year):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
