from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField
from .models import Application, CostLine, Organisation, Report, Vote


class DateInput(forms.DateInput):
    """A native date picker; browsers accept only ISO dates in its value."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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
