"""The office's task views, run by viewflow inside the task's activation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from grants import selectors, services
from grants.models import Application
from grants.rules.completeness import missing_items

from . import forms


class OfficeTaskView(FormView):
    """Runs one office step: parse the form, call one service, finish the task."""

    template_name = "workflows/task.html"

    @cached_property
    def application(self) -> Application:
        return Application.objects.select_related("fund", "organisation").get(
            process__pk=self.request.activation.process.pk
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            application=self.application,
            task=self.request.activation.task,
            title=self.request.activation.flow_task.task_title,
            notices=selectors.application_notices(self.application),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            message = self.perform(self.application, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        self.request.activation.execute()
        messages.success(self.request, message)
        return redirect("workflows:queue")


class CheckCompletenessView(OfficeTaskView):
    form_class = forms.CompletenessForm

    def perform(self, application, data):
        actor = self.request.user
        if data["complete"]:
            services.application_accept_complete(application=application, actor=actor, checklist=data["checklist"])
            return _("The application is complete and goes to assessment.")
        services.application_request_revision(
            application=application, actor=actor, message=data["message"], deadline=data["deadline"],
            items=missing_items(data["checklist"]),
        )  # fmt: skip
        return _("The applicant has been asked for a revision.")


class RevisionOverdueDecideView(OfficeTaskView):
    form_class = forms.RevisionOverdueDecideForm

    def get_context_data(self, **kwargs):
        revision = self.application.revision_requests.filter(answered_at=None).first()
        return super().get_context_data(revision=revision, **kwargs)

    def perform(self, application, data):
        services.revision_overdue_decide(application=application, actor=self.request.user, **data)
        return {
            "remind": _("The applicant has been reminded."),
            "extend": _("The new deadline has been sent."),
            "reject": _("Rejection is recommended and the application is on the agenda."),
        }[data["outcome"]]


class AssessView(OfficeTaskView):
    form_class = forms.RecommendationForm

    def get_initial(self):
        application = self.application
        return {"amount": min(application.requested_amount, application.fund.cap), "financing_type": "gap"}

    def perform(self, application, data):
        services.recommendation_create(application=application, actor=self.request.user, **data)
        return _("The recommendation is recorded and the application is on the agenda.")


class InstalmentTaskView(OfficeTaskView):
    """The two steps of paying an instalment show the instalment and the account it goes to."""

    def get_context_data(self, **kwargs):
        organisation = self.application.organisation
        return super().get_context_data(
            instalment=services.instalments.open_instalment(self.application),
            payout_account=organisation,
            pending_bank_change=selectors.pending_bank_change(organisation),
            **kwargs,
        )


class PayoutOrderView(InstalmentTaskView):
    form_class = forms.PayoutOrderForm

    def perform(self, application, data):
        services.payout_order_issue(
            instalment=services.instalments.open_instalment(application), actor=self.request.user
        )
        return _("The payout order is issued; record the payment once the cash office has paid.")


class PayoutView(InstalmentTaskView):
    form_class = forms.PayoutForm

    def get_initial(self):
        application = self.application
        return {"amount": selectors.latest_decision(application).amount - selectors.paid_total(application)}

    def perform(self, application, data):
        instalment = services.instalments.open_instalment(application)
        if instalment is not None:
            services.instalment_pay(instalment=instalment, actor=self.request.user, paid_on=data["paid_on"])
        else:  # a process that reached this step before payouts came in instalments
            if not data.get("amount"):
                raise ValidationError(_("Enter the amount paid."))
            services.payout_record(application=application, actor=self.request.user, **data)
        return _("The payout is recorded.")


class ReviewReportView(OfficeTaskView):
    form_class = forms.ReportReviewForm

    def get_initial(self):
        report = self.application.report
        return {"claim_amount": report.unused_amount or None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(report_check=selectors.report_comparison(self.application), **kwargs)

    def perform(self, application, data):
        services.report_check(application=application, actor=self.request.user, **data)
        return {
            "accept": _("The report is accepted and the file is closed."),
            "more": _("The applicant has been asked to complete the report."),
            "claim": _("The repayment claim is opened; send the hearing next."),
        }[data["outcome"]]


class ClaimTaskView(OfficeTaskView):
    def claim(self):
        return selectors.open_repayment_claim(self.application)

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim(), **kwargs)


class RepaymentHearingView(ClaimTaskView):
    form_class = forms.RepaymentHearingForm

    def perform(self, application, data):
        services.repayment_hearing(claim=self.claim(), actor=self.request.user, **data)
        return _("The hearing letter is sent.")


class RepaymentDecideView(ClaimTaskView):
    form_class = forms.RepaymentDecideForm

    def perform(self, application, data):
        services.repayment_decide(claim=self.claim(), actor=self.request.user, **data)
        return _("The revocation and repayment decision is sent.")


class RepaymentReceiveView(ClaimTaskView):
    form_class = forms.RepaymentReceiveForm

    def perform(self, application, data):
        services.repayment_receive(claim=self.claim(), actor=self.request.user, **data)
        return _("The repayment is recorded and the file is closed.")


class ChangeDecideView(OfficeTaskView):
    form_class = forms.ChangeDecideForm

    def change(self):
        return selectors.open_change_request(self.application)

    def get_context_data(self, **kwargs):
        change = self.change()
        return super().get_context_data(
            change=change, change_lines=selectors.change_lines(change), office_may_decide=
            services.changes.office_may_decide(change), **kwargs
        )  # fmt: skip

    def perform(self, application, data):
        change = services.change_decide(change=self.change(), actor=self.request.user, **data)
        return _("The change request is %(status)s.") % {"status": change.get_status_display()}


class ReferralView(OfficeTaskView):
    """Put an objection or a referred change request on a meeting's agenda."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meetings": selectors.meetings_ahead(self.application.fund)}


class ObjectionScheduleView(ReferralView):
    form_class = forms.ObjectionScheduleForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(objection=selectors.open_objection(self.application), **kwargs)

    def perform(self, application, data):
        item = services.objection_schedule(
            objection=selectors.open_objection(application), actor=self.request.user, **data
        )
        return _("The objection is on the agenda of the meeting on %(date)s.") % {"date": _day(item.meeting.date)}


class ChangeScheduleView(ReferralView):
    form_class = forms.ChangeScheduleForm

    def get_context_data(self, **kwargs):
        change = selectors.open_change_request(self.application)
        return super().get_context_data(change=change, change_lines=selectors.change_lines(change), **kwargs)

    def perform(self, application, data):
        item = services.change_schedule(
            change=selectors.open_change_request(application), actor=self.request.user, **data
        )
        return _("The change request is on the agenda of the meeting on %(date)s.") % {"date": _day(item.meeting.date)}


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")
