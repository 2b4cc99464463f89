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
