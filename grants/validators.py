from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN


def validate_iban(value):
    """Accept only a well-formed IBAN with a correct checksum."""
    try:
        IBAN(value)
    except ValueError as error:
        raise ValidationError(_("This is not a valid IBAN.")) from error
