from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the office for now; self-registration comes with the applicant portal."""

    def is_open_for_signup(self, request):
        return False
