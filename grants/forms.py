from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField
from .models import (
    Application,
    Attachment,
    CircularBallot,
    CostLine,
    FinancingType,
    Fund,
    MotionKind,
    Organisation,
    Report,
    Vote,
)
from .templatetags.money import format_euro


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

    # A draft may be saved half-filled section by section; on this one-page form all is asked at once.
    REQUIRED = ["title", "summary", "target_group", "neighbourhood", "start_date", "end_date", "requested_amount"]

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = fund.aims.all()
        for name in self.REQUIRED:
            self.fields[name].required = True

    def clean(self):
        return clean_period(self, super().clean())


def clean_period(form, data):
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        form.add_error("end_date", _("The project cannot end before it starts."))
    return data


# The task list: one form per section, each saved on its own as part of the draft. Every form
# carries the version of the draft it was read from (a second tab's older version is refused).
ABSURD_AMOUNT = Decimal("1000000.00")


class SectionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class ProjectSectionForm(SectionForm):
    class Meta:
        model = Application
        fields = ["title", "summary", "aims", "target_group", "neighbourhood", "start_date", "end_date"]
        widgets = {
            "aims": forms.CheckboxSelectMultiple,
            "start_date": DateInput,
            "end_date": DateInput,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "summary": _("What do you want to do, why, and what should change in the neighbourhood?"),
            "start_date": _("The project must not start before the meeting that decides on it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = self.instance.fund.aims.all()

    def clean(self):
        return clean_period(self, super().clean())


class FinancingSectionForm(SectionForm):
    MONEY_FIELDS = ["own_funds", "own_work", "third_party_funds", "requested_amount"]

    class Meta:
        model = Application
        fields = ["own_funds", "own_work", "third_party_funds", "third_party_status", "requested_amount"]
        field_classes = dict.fromkeys(["own_funds", "own_work", "third_party_funds", "requested_amount"], MoneyField)
        help_texts = {
            "own_work": _("Voluntary work valued in euros, for example 15 EUR per hour."),
            "third_party_status": _("Who else pays, and whether it is promised or only asked for."),
        }

    def __init__(self, *args, total_cost, **kwargs):
        super().__init__(*args, **kwargs)
        self.total_cost = total_cost
        for name in self.MONEY_FIELDS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.MONEY_FIELDS:
            value = data.get(name)
            if value is None and name not in self.errors:
                data[name] = Decimal("0.00")
            elif value is not None and value < 0:
                self.add_error(name, _("Enter an amount of 0 or more."))
            elif value is not None and value >= ABSURD_AMOUNT:
                self.add_error(name, _("This amount is far beyond what the fund can pay. Please check it."))
        requested = data.get("requested_amount")
        # Only against a cost plan already filled in: the sections may come in any order.
        if requested and self.total_cost and "requested_amount" not in self.errors and requested > self.total_cost:
            self.add_error(
                "requested_amount",
                _("You cannot request more than the total costs of %(total)s. Add the missing lines to the cost plan.")
                % {"total": format_euro(self.total_cost)},
            )
        return data


class DeclarationsSectionForm(SectionForm):
    class Meta:
        model = Application
        fields = ["declared_not_started", "declared_no_double_funding", "declared_truthful", "declared_privacy"]
        labels = {
            "declared_not_started": _("The project has not started and nothing has been ordered yet."),
            "declared_no_double_funding": _("No other public body pays for the same costs."),
            "declared_truthful": _("The information in this application is true and complete."),
            "declared_privacy": _("I have read the privacy notice."),
        }


class CostSectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CostLineForm(forms.ModelForm):
    class Meta:
        model = CostLine
        fields = ["category", "description", "amount"]
        field_classes = {"amount": MoneyField}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Enter an amount of more than 0."))
        if amount is not None and amount >= ABSURD_AMOUNT:
            raise forms.ValidationError(_("This amount is far beyond what the fund can pay. Please check it."))
        return amount


CostSectionFormSet = forms.inlineformset_factory(
    Application, CostLine, form=CostLineForm, extra=3, can_delete=True, min_num=0
)


CostLineFormSet = forms.inlineformset_factory(
    Application,
    CostLine,
    fields=["description", "amount"],
    field_classes={"amount": MoneyField},
    extra=3,
    can_delete=True,
)


class ReportForm(forms.ModelForm):
    """The report, with the actual costs of each line of the cost plan (optional per line)."""

    class Meta:
        model = Report
        fields = ["narrative", "actual_costs", "unused_amount", "receipts"]
        field_classes = {"actual_costs": MoneyField, "unused_amount": MoneyField}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6}), "receipts": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, cost_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cost_lines = list(cost_lines)
        known = self.instance.line_actuals if self.instance and self.instance.pk else {}
        for line in self.cost_lines:
            self.fields[f"actual_{line.pk}"] = MoneyField(
                label=_("Actual costs for “%(line)s” (planned: %(planned)s)")
                % {"line": line.description, "planned": format_euro(line.amount)},
                min_value=0, required=False, initial=known.get(str(line.pk)),
            )  # fmt: skip

    def line_fields(self):
        return [self[f"actual_{line.pk}"] for line in self.cost_lines]

    def clean(self):
        data = super().clean()
        actuals = {line.pk: data.pop(f"actual_{line.pk}", None) for line in self.cost_lines}
        data["line_actuals"] = {line: amount for line, amount in actuals.items() if amount is not None}
        return data


class MotionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Motion"), choices=MotionKind.choices, widget=forms.RadioSelect)
    amount = MoneyField(label=_("Amount (EUR)"), min_value=0, required=False)
    financing_type = forms.ChoiceField(label=_("Financing type"), choices=FinancingType.choices)
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    defer_to = forms.TypedChoiceField(label=_("Defer to the meeting on"), required=False, coerce=int)

    def __init__(self, *args, defer_targets, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {meeting.pk: meeting for meeting in defer_targets}
        # On an objection or a change request, approving and rejecting mean something else.
        if item is not None and item.is_referral:
            approve, reject = ((_("Remedy the objection"), _("Uphold the decision")) if item.objection_id
                               else (_("Approve the change"), _("Refuse the change")))  # fmt: skip
            self.fields["kind"].choices = [
                (MotionKind.APPROVE, approve), (MotionKind.REJECT, reject), (MotionKind.DEFER, MotionKind.DEFER.label)
            ]  # fmt: skip
            # a change moves dates or cost lines, not the money
            self.fields["financing_type"].required = item.objection_id is not None
        self.fields["defer_to"].choices = [
            (meeting.pk, date_format(meeting.date, "SHORT_DATE_FORMAT")) for meeting in defer_targets
        ]

    def clean(self):
        data = super().clean()
        data["amount"] = data.get("amount") or 0
        data["financing_type"] = data.get("financing_type") or FinancingType.GAP
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


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("New internal note"),
        help_text=_("Only the office reads internal notes; the applicant and the steering group never see them."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
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


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the document?"), choices=Attachment.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        from .templatetags.money import format_megabytes

        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG or PNG, at most %(limit)s.") % {
            "limit": format_megabytes(settings.UPLOAD_MAX_BYTES)
        }


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        help_text=_(
            "The person receives a link; after signing in with this address they can act for the organisation."
        ),
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Present"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        from accounts.models import User

        from .roles import STEERING

        super().__init__(*args, **kwargs)
        body = meeting.fund.roles.filter(role__in=STEERING).values("user")
        self.fields["present"].queryset = User.objects.filter(pk__in=body).order_by("last_name", "first_name")
        self.fields["present"].initial = [row.member_id for row in meeting.attendance.all()]
        deputies = {role.user_id: role.substitute_for for role in meeting.fund.roles.all() if role.substitute_for_id}
        voting = {role.user_id for role in meeting.fund.roles.all() if role.has_vote}
        self.fields["present"].label_from_instance = lambda user: _attendee_label(user, voting, deputies)


def _attendee_label(user, voting, deputies) -> str:
    if user.pk in voting:
        return _("%(user)s (with a vote)") % {"user": user}
    if user.pk in deputies:
        return _("%(user)s (deputy of %(member)s)") % {"user": user, "member": deputies[user.pk].user}
    return _("%(user)s (without a vote)") % {"user": user}


class RoomVotesForm(forms.Form):
    """One choice per member who votes in the meeting; members left empty are not recorded."""

    def __init__(self, *args, item, **kwargs):
        from accounts.models import User

        from .selectors import meeting_voters

        super().__init__(*args, **kwargs)
        recused = set(item.conflicts.values_list("member_id", flat=True))
        self.members = {user.pk: user for user in User.objects.filter(pk__in=meeting_voters(item.meeting) - recused)}
        for user in sorted(self.members.values(), key=str):
            self.fields[f"member_{user.pk}"] = forms.ChoiceField(
                label=str(user), choices=[("", _("not recorded")), *Vote.CHOICES], required=False
            )

    def votes(self) -> dict:
        return {self.members[int(name.split("_")[1])]: choice
                for name, choice in self.cleaned_data.items() if choice}  # fmt: skip


class MinutesForm(forms.Form):
    reason = forms.CharField(
        label=_("What does the correction change?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = correcting


class CircularStartForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Answers due by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reasons = forms.CharField(
        label=_("Reasons of the steering group"),
        help_text=_("Required for a rejection and for a grant below the amount requested: the letter states them."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, item, **kwargs):
        import datetime as dt

        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = (timezone.localtime() + dt.timedelta(days=5)).replace(second=0, microsecond=0)
        self.fields["reasons"].initial = item.recommendation.reasoning


class CircularDeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("New deadline for the answers"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class CircularBallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your answer"), choices=CircularBallot.CHOICES, widget=forms.RadioSelect)


class TieForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    note = forms.CharField(
        label=_("How you are tied to it"),
        max_length=300,
        help_text=_("For example: member of the board, employee, close relative on the board."),
    )
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none())

    def __init__(self, *args, user, **kwargs):
        from .roles import STEERING
        from .selectors import tie_candidates

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = tie_candidates(user)
        funds = Fund.objects.filter(roles__user=user, roles__role__in=STEERING).distinct()
        self.fields["fund"].queryset = funds
        if len(funds) == 1:
            self.fields["fund"].initial = funds[0]
            self.fields["fund"].widget = forms.HiddenInput()
