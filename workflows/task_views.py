"""The office's task views, run by viewflow inside the task's activation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
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


class AssessView(OfficeTaskView):
    form_class = forms.RecommendationForm

    def get_initial(self):
        application = self.application
        return {"amount": min(application.requested_amount, application.fund.cap), "financing_type": "gap"}

    def perform(self, application, data):
        services.recommendation_create(application=application, actor=self.request.user, **data)
        return _("The recommendation is recorded and the application is on the agenda.")


class PayoutView(OfficeTaskView):
    form_class = forms.PayoutForm

    def get_initial(self):
        application = self.application
        return {"amount": selectors.latest_decision(application).amount - selectors.paid_total(application)}

    def get_context_data(self, **kwargs):
        organisation = self.application.organisation
        return super().get_context_data(
            payout_account=organisation,
            pending_bank_change=selectors.pending_bank_change(organisation),
            **kwargs,
        )

    def perform(self, application, data):
        services.payout_record(application=application, actor=self.request.user, **data)
        return _("The payout is recorded.")


class ReviewReportView(OfficeTaskView):
    form_class = forms.ReportReviewForm

    def perform(self, application, data):
        services.report_review(application=application, actor=self.request.user, **data)
        if data["accepted"]:
            return _("The report is accepted and the file is closed.")
        return _("The applicant has been asked to complete the report.")
