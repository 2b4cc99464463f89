import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from grants.fields import MoneyField
from grants.forms import DateInput
from grants.models import FinancingType, Recommendation, RepaymentClaim
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


class RevisionOverdueDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("The revision deadline passed without an answer. What follows?"),
        choices=[
            ("remind", _("Remind the applicant once; the deadline stays")),
            ("extend", _("Extend the deadline")),
            ("reject", _("Recommend rejection: the application goes to the steering group")),
        ],
        widget=forms.RadioSelect,
    )
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput, required=False)
    note = forms.CharField(
        label=_("Further reasoning for the recommendation (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "extend" and not data.get("deadline"):
            self.add_error("deadline", _("Set the new deadline."))
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


class PayoutOrderForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("The request is justified and the payment may be ordered from the cash office"), required=True
    )


class PayoutForm(forms.Form):
    amount = MoneyField(label=_("Amount (EUR)"), min_value=Decimal("0.01"), required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, initial=timezone.localdate)


class ReportReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Result of the check"),
        choices=[
            ("accept", _("Accepted: release the money not paid out and close the file")),
            ("more", _("More information needed: the report goes back")),
            ("claim", _("Claim money back")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    claim_amount = MoneyField(label=_("Amount to claim back (EUR)"), min_value=Decimal("0.01"), required=False)
    claim_reason = forms.ChoiceField(
        label=_("Reason for the claim"), choices=RepaymentClaim.Reason.choices, required=False
    )

    def clean(self):
        data = super().clean()
        data["claim_reason"] = data.get("claim_reason") or RepaymentClaim.Reason.UNUSED
        return data


class RepaymentHearingForm(forms.Form):
    deadline = forms.DateField(label=_("Statement due by"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=21)


class RepaymentDecideForm(forms.Form):
    statement = forms.CharField(
        label=_("The recipient's statement (if any)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(label=_("Payment due by"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].initial = timezone.localdate() + dt.timedelta(days=30)


class RepaymentReceiveForm(forms.Form):
    paid_on = forms.DateField(label=_("Received on"), widget=DateInput, initial=timezone.localdate)


class ChangeDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve and issue the amendment letter")),
            ("refuse", _("Refuse")),
            ("refer", _("Refer to the steering group")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return date_format(meeting.date, "SHORT_DATE_FORMAT")


class ReferralForm(forms.Form):
    """The meeting a referral goes to; the fund's meetings still to come are the choices."""

    meeting = MeetingChoiceField(label=_("Meeting of the steering group"), queryset=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


def proposal(*choices) -> forms.TypedChoiceField:
    """The office's proposal to the steering group: the first motion on the item, yes or no."""
    label = _("The office proposes to")
    return forms.TypedChoiceField(label=label, choices=choices, widget=forms.RadioSelect, coerce=lambda v: v == "yes")


class ObjectionScheduleForm(ReferralForm):
    remedy = proposal(("no", _("uphold the decision")), ("yes", _("remedy the objection")))
    amount = MoneyField(
        label=_("Amount on a remedy (EUR)"),
        help_text=_("For an objection to a rejection, the grant; otherwise empty leaves the amount unchanged."),
        min_value=Decimal("0"),
        required=False,
    )
    conditions = forms.CharField(
        label=_("Conditions on a remedy (empty: unchanged)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ChangeScheduleForm(ReferralForm):
    approve = proposal(("yes", _("approve the change")), ("no", _("refuse the change")))
