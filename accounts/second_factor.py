"""Who must sign in with a second factor (TOTP from django-allauth's MFA, with recovery
codes): Django staff, and anyone holding a role that a fund requires it for."""

import time
from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY as AUTHENTICATION_RECORDS
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from grants.roles import held_roles


def required_for(user) -> bool:
    if user.is_staff or user.is_superuser:
        return True
    return any(held.role in held.second_factor_roles for held in held_roles(user))


def activated(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def secret_of(user) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return decrypt(authenticator.data["secret"]) if authenticator else None


def current_code(secret: str) -> str:
    """The code an authenticator app with this secret shows now (for the demo and the tests)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def last_confirmed_at(request) -> float | None:
    """When this session last passed the second factor (at sign-in or when confirming again)."""
    records = request.session.get(AUTHENTICATION_RECORDS, [])
    times = [record["at"] for record in records if record.get("method") == "mfa"]
    return max(times, default=None)


def fresh_second_factor(view):
    """For a weighty step (closing a vote, approving minutes, starting a written procedure):
    ask for the authenticator code again when the last one is older than SECOND_FACTOR_FRESH_SECONDS.
    The form is shown again afterwards, so nothing is sent without the user seeing it."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if request.method == "POST" and user.is_authenticated and activated(user):
            confirmed = last_confirmed_at(request)
            if confirmed is None or time.time() - confirmed > settings.SECOND_FACTOR_FRESH_SECONDS:
                messages.info(request, _("Please confirm this step with a code from your authenticator app."))
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return guarded
