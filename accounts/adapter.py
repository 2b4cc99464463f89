"""Self-registration with a confirmed e-mail address (django-allauth).

Accounts that signed up themselves carry an EmailAddress row and must confirm it before they
can sign in. Accounts the office or an administrator created (in the admin, by a command, the
demo logins) have no such row: their address was checked by whoever created them, so they sign
in as before."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage

VERIFICATION_STAGE = "allauth.account.stages.EmailVerificationStage"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return True

    def get_login_stages(self) -> list[str]:
        return [
            "accounts.adapter.SelfRegisteredEmailVerificationStage" if stage == VERIFICATION_STAGE else stage
            for stage in super().get_login_stages()
        ]


class SelfRegisteredEmailVerificationStage(EmailVerificationStage):
    """Ask for the confirmation only from accounts that registered themselves."""

    def handle(self):
        user = self.login.user
        if user is not None and user.pk and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()
