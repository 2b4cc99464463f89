from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def format_euro(value) -> str:
    """Format money the German way: 1.234,56 EUR."""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} EUR"


register.filter("euro", format_euro)
