from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def format_euro(value) -> str:
    """The one money formatter: two places, grouped as the active language does it (1.234,56 EUR)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} EUR"


register.filter("euro", format_euro)


def format_megabytes(size: int) -> str:
    """A file size in MB the way the active language writes numbers (10 MB, 2,5 MB)."""
    megabytes = Decimal(size) / Decimal(1024 * 1024)
    places = 0 if megabytes == megabytes.to_integral_value() else 1
    return f"{number_format(megabytes.quantize(Decimal(1) / 10**places), decimal_pos=places, use_l10n=True)} MB"


register.filter("megabytes", format_megabytes)
