import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.fields import MoneyField
from grants.forms import DateInput
from grants.models import FinancingType, Recommendation
from grants.rules.completeness import CHECKLIST, missing_items


class CompletenessForm(forms.Form):
    checklist = forms.MultipleChoiceField(
        label=_("Checklist: what is in order?"),
        help_text=_("Tick what you have checked and found in order. A revision request names the rest."),
        choices=CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    complete = forms.TypedChoiceField(
        label=_("Is the application complete?"),
        choices=[("yes", _("Yes, it goes to assessment")), ("no", _("No, ask the applicant for more"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    message = forms.CharField(label=_("What is missing?"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deadline = forms.DateField(label=_("Answer by"), widget=DateInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=14)

    def clean(self):
        data = super().clean()
        if data.get("complete") is True and missing_items(data.get("checklist", [])):
            self.add_error("checklist", _("An application is complete only when every item is in order."))
        if data.get("complete") is False:
            if not missing_items(data.get("checklist", [])):
                self.add_error("checklist", _("Leave unticked what the applicant must fix."))
            if not data.get("message"):
                self.add_error("message", _("Say what the applicant must add."))
            if not data.get("deadline"):
                self.add_error("deadline", _("Set a deadline for the answer."))
        return data


class RecommendationForm(forms.Form):
    motion = forms.ChoiceField(label=_("Recommendation"), choices=Recommendation.MOTIONS, widget=forms.RadioSelect)
    amount = MoneyField(label=_("Proposed amount (EUR)"), min_value=Decimal("0"), required=False)
    financing_type = forms.ChoiceField(label=_("Financing type"), choices=FinancingType.choices)
    conditions = forms.CharField(
        label=_("Conditions (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reasoning = forms.CharField(label=_("Reasoning"), widget=forms.Textarea(attrs={"rows": 5}))

    def clean(self):
        data = super().clean()
        if data.get("motion") == Recommendation.APPROVE and not data.get("amount"):
            self.add_error("amount", _("Enter the amount to approve."))
        data["amount"] = data.get("amount") or 0
        return data


class PayoutForm(forms.Form):
    amount = MoneyField(label=_("Amount (EUR)"), min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, initial=timezone.localdate)


class ReportReviewForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Result of the check"),
        choices=[("yes", _("Accepted: close the file")), ("no", _("More information needed"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
