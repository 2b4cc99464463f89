"""Forms of the steps after the decision that are not office tasks: a request for money, a
change request, the simple report's receipt list, conditions met, an objection received."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField
from .forms import ABSURD_AMOUNT, DateInput
from .models import Attachment, RepaymentClaim
from .uploads import upload_problem


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


class ReceiptLineForm(forms.Form):
    """One receipt of the simple report; a receipt already uploaded stays unless another file replaces it."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    payee = forms.CharField(label=_("Paid to"), max_length=200)
    purpose = forms.CharField(label=_("What for"), max_length=300)
    amount = MoneyField(label=_("Amount (EUR)"), min_value=Decimal("0.01"), max_value=ABSURD_AMOUNT - 1)
    file = forms.FileField(label=_("Receipt (PDF, JPEG or PNG)"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}))  # fmt: skip
    attachment = forms.ModelChoiceField(queryset=Attachment.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, receipts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].queryset = receipts

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload:
            data = b"" if upload.size > settings.UPLOAD_MAX_BYTES else upload.read()
            upload.seek(0)
            problem, _type = upload_problem(data=data, size=upload.size)
            if problem:
                raise forms.ValidationError(problem)
        return upload


class BaseReceiptFormSet(forms.BaseFormSet):
    def clean(self):
        if not any(form.cleaned_data for form in self.forms if not self._should_delete_form(form)):
            raise forms.ValidationError(_("List at least one receipt."))

    def receipts(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]


ReceiptFormSet = forms.formset_factory(ReceiptLineForm, formset=BaseReceiptFormSet, extra=3, can_delete=True)


def receipt_formset(data, files, *, application):
    """The simple report's receipt list: the lines filed before (after a query), then three empty ones."""
    report = getattr(application, "report", None)
    initial = [{"date": line.date, "payee": line.payee, "purpose": line.purpose, "amount": line.amount,
                "attachment": line.attachment_id} for line in report.receipt_lines.all()] if report else []  # fmt: skip
    receipts = application.attachments.filter(kind=Attachment.Kind.RECEIPT)
    return ReceiptFormSet(data, files, initial=initial, prefix="receipts", form_kwargs={"receipts": receipts})
