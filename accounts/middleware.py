"""Session security: an idle timeout (shorter for the office and the steering group than
for applicants), an absolute lifetime, and a new session key whenever the user's
privileges change, so that a session id seen before a role was granted is worth nothing after."""

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from grants.roles import remember_roles

from . import second_factor

# Writing the session on every request would cost a database write each time; a minute's
# precision is enough for timeouts counted in tens of minutes.
TOUCH_EVERY = 60


def privileges(user) -> tuple[str, bool]:
    """A fingerprint of everything the user may do (fund roles, voting rights, staff status),
    and whether the user works for a fund at all."""
    held = sorted((role.fund_id, role.role, role.has_vote) for role in remember_roles(user))
    fingerprint = hashlib.sha256(repr((held, user.is_staff, user.is_superuser)).encode()).hexdigest()
    return fingerprint, bool(held) or user.is_staff


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                typed = request.method == "POST"
                logout(request)
                if typed:  # what was typed survives the sign-in (grants.views.common.kept_input)
                    from grants.views.common import keep_input

                    keep_input(request)
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, request, user) -> str | None:
        session, now = request.session, int(time.time())
        started = session.setdefault("started_at", now)
        seen = session.get("seen_at", now)
        fingerprint, works_for_a_fund = privileges(user)
        idle = settings.SESSION_IDLE_TIMEOUT_STAFF if works_for_a_fund else settings.SESSION_IDLE_TIMEOUT_APPLICANT
        if now - seen > idle:
            return _("You were signed out after %(minutes)s minutes without activity. Please sign in again.") % {
                "minutes": idle // 60
            }
        if now - started > settings.SESSION_COOKIE_AGE:
            return _("Your session has ended. Please sign in again.")
        if session.get("privileges") not in (None, fingerprint):
            session.cycle_key()
        if session.get("privileges") != fingerprint or now - seen >= TOUCH_EVERY:
            session["privileges"], session["seen_at"] = fingerprint, now
        return None


# What a user who still has to set up the second factor may reach.
SETUP_URLS = {"account_logout", "account_login", "account_reauthenticate", "set_language"}


class SecondFactorRequiredMiddleware:
    """Send staff, steering members and admins without an authenticator app to its set-up
    page first: until then they reach nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user, match = request.user, request.resolver_match
        if not user.is_authenticated or match.url_name in SETUP_URLS or (match.url_name or "").startswith("mfa_"):
            return None
        if second_factor.required_for(user) and not second_factor.activated(user):
            messages.warning(
                request,
                _("Your role needs a second factor: set up an authenticator app before you continue."),
            )
            return redirect("mfa_activate_totp")
        return None
