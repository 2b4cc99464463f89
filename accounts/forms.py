from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """The names allauth's sign-up form asks for besides the e-mail address and the password."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
