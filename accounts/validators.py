from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words a password must not contain: the name of a fund or of the service are the first
# guesses of anyone who attacks this installation.
SERVICE_WORDS = {"verfuegungsfonds", "verfügungsfonds", "passwort", "password"}


class NotTheFundsNameValidator:
    """Refuse passwords built on the name of a fund or of the service (e.g. "harburg2026!")."""

    def validate(self, password, user=None):
        from grants.models import Fund

        words = SERVICE_WORDS | {slug.lower() for slug in Fund.objects.values_list("slug", flat=True) if len(slug) >= 4}
        if any(word in password.lower() for word in words):
            raise ValidationError(_("The password must not contain the name of a fund or of this service."))

    def get_help_text(self):
        return _("Your password must not contain the name of a fund or of this service.")
