"""Forms of the steps after the decision that are not office tasks: a request for money, a
change request, the report's numbers per cost line, conditions met, an objection received."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField
from .forms import DateInput
from .models import RepaymentClaim


class InstalmentRequestForm(forms.Form):
    amount = MoneyField(label=_("Amount requested (EUR)"), min_value=Decimal("0.01"))
    interim_report = forms.CharField(
        label=_("Interim report: what has been done so far (optional)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class ChangeRequestForm(forms.Form):
    """A new end date and/or new amounts per cost line (one field per line of the plan)."""

    new_end_date = forms.DateField(label=_("New end of the grant period (optional)"), widget=DateInput,
                                   required=False)  # fmt: skip
    reason = forms.CharField(label=_("Why is the change needed?"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, cost_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.cost_lines = list(cost_lines)
        for line in self.cost_lines:
            self.fields[f"line_{line.pk}"] = MoneyField(
                label=_("New amount for “%(line)s” (EUR)") % {"line": line.description},
                min_value=Decimal("0"), initial=line.amount, required=False,
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        amounts = {}
        for line in self.cost_lines:
            value = data.pop(f"line_{line.pk}", None)
            if value is not None and value != line.amount:
                amounts[line.pk] = value
        data["line_amounts"] = amounts
        return data


class ConditionsMetForm(forms.Form):
    note = forms.CharField(label=_("How were the conditions shown to be met?"),
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ObjectionRecordForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    grounds = forms.CharField(label=_("Grounds of the objection"), widget=forms.Textarea(attrs={"rows": 5}))


class RepaymentClaimForm(forms.Form):
    amount = MoneyField(label=_("Amount to claim back (EUR)"), min_value=Decimal("0.01"))
    reason = forms.ChoiceField(label=_("Reason for the claim"), choices=RepaymentClaim.Reason.choices)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}))
