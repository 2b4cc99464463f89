import re
from decimal import Decimal

from django import forms

THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


class MoneyField(forms.DecimalField):
    """A euro amount typed the German way ("1.234,56", "1234,56 €") or the plain way ("1234.56")."""

    def __init__(self, **kwargs):
        for bound in ("min_value", "max_value"):  # a float bound would refuse "0,01"
            if kwargs.get(bound) is not None:
                kwargs[bound] = Decimal(str(kwargs[bound]))
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("max_digits", 12)
        super().__init__(localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif THOUSANDS.match(value):
                value = value.replace(".", "")
        return super().to_python(value)
