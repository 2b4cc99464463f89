"""Who must sign in with a second factor (TOTP from django-allauth's MFA, with recovery
codes): Django staff, and anyone holding a role that a fund requires it for."""

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt


def required_for(user) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    for role, roles_needing_it in user.fund_roles.values_list("role", "fund__second_factor_roles"):
        if role in roles_needing_it:
            return True
    return False


def activated(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_code(secret: str) -> str:
    """The code an authenticator app with this secret shows now (for the demo and the tests)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
