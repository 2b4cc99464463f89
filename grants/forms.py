from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField
from .models import Application, CostLine, FinancingType, Fund, MotionKind, Organisation, Report, Vote


class DateInput(forms.DateInput):
    """A native date picker; browsers accept only ISO dates in its value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ApplicationStartForm(forms.Form):
    """Which fund and which organisation a new application is for; a single choice is made for the user."""

    fonds = forms.ModelChoiceField(
        label=_("Fund"), queryset=Fund.objects.none(), to_field_name="slug", widget=forms.RadioSelect, empty_label=None
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, params, *, funds, user):
        organisations = user.organisations.order_by("name")
        data = params.copy()
        if "fonds" not in data and len(funds) == 1:
            data["fonds"] = funds[0].slug
        if "organisation" not in data and len(organisations) == 1:
            data["organisation"] = organisations[0].pk
        super().__init__(data)
        self.asked = "fonds" in params or "organisation" in params
        self.fields["fonds"].queryset = funds
        self.fields["organisation"].queryset = organisations

    @property
    def shown_errors(self):
        """Errors only once the user has chosen; the first visit simply asks."""
        return self.errors if self.asked else {}


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [
            "title", "summary", "aims", "target_group", "neighbourhood", "start_date", "end_date",
            "own_funds", "own_work", "third_party_funds", "third_party_status", "requested_amount",
            "declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy",
        ]  # fmt: skip
        field_classes = dict.fromkeys(["own_funds", "own_work", "third_party_funds", "requested_amount"], MoneyField)
        widgets = {
            "aims": forms.CheckboxSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = fund.aims.all()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The project cannot end before it starts."))
        return data


CostLineFormSet = forms.inlineformset_factory(
    Application,
    CostLine,
    fields=["description", "amount"],
    field_classes={"amount": MoneyField},
    extra=3,
    can_delete=True,
)


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["narrative", "actual_costs", "unused_amount", "receipts"]
        field_classes = {"actual_costs": MoneyField, "unused_amount": MoneyField}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6}), "receipts": forms.Textarea(attrs={"rows": 6})}


class MotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Motion"), choices=MotionKind.choices, widget=forms.RadioSelect)
    amount = MoneyField(label=_("Amount (EUR)"), min_value=0, required=False)
    financing_type = forms.ChoiceField(label=_("Financing type"), choices=FinancingType.choices)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    defer_to = forms.TypedChoiceField(label=_("Defer to the meeting on"), required=False, coerce=int)

    def __init__(self, *args, defer_targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {meeting.pk: meeting for meeting in defer_targets}
        self.fields["defer_to"].choices = [
            (meeting.pk, date_format(meeting.date, "SHORT_DATE_FORMAT")) for meeting in defer_targets
        ]

    def clean(self):
        data = super().clean()
        data["amount"] = data.get("amount") or 0
        data["defer_to"] = self.targets.get(data.get("defer_to")) if data.get("kind") == MotionKind.DEFER else None
        return data


class VoteCloseForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons of the steering group"),
        help_text=_("Required for a rejection and for a grant below the amount requested: the letter states them."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class DocumentCorrectForm(forms.Form):
    reason = forms.CharField(
        label=_("What does the correction change?"),
        help_text=_("For example: the address of the organisation was wrong. The reason is kept with the letter."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Vote.CHOICES, widget=forms.RadioSelect, label=_("Your vote"))


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the conflict of interest"), max_length=300)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "legal_form", "street", "postcode", "city", "contact_name", "email", "phone",
                  "charitable", "account_holder", "iban"]  # fmt: skip

    def clean_iban(self):
        return self.cleaned_data["iban"].replace(" ", "").upper()
