"""Pages after the decision outside the office's task queue: the recipient asks for money or a
change; the office records conditions met and objections received, and sees the open claims."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows import api

from .. import selectors, services
from ..aftercare_forms import (
    ChangeRequestForm,
    ConditionsMetForm,
    InstalmentRequestForm,
    ObjectionRecordForm,
    RepaymentClaimForm,
)
from .common import office_file, posted


def _step(request, form, step, *, success: str, redirect_to, template: str, context: dict):
    """Run one step with the form's data and redirect, or show the form with the step's errors."""
    if request.method == "POST" and form.is_valid():
        try:
            step(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect_to
    return render(request, template, {**context, "form": form})


@login_required
def instalment_request(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    return _step(
        request, InstalmentRequestForm(posted(request)),
        lambda **data: api.instalment_request(application=application, actor=request.user, **data),
        success=_("Your request has been sent to the office."), redirect_to=redirect("grants:application", pk=pk),
        template="grants/instalment_request.html",
        context={"application": application, "instalments": selectors.instalments_of(application),
                 "decision": selectors.latest_decision(application)},
    )  # fmt: skip


@login_required
def change_request(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    form = ChangeRequestForm(posted(request), cost_lines=application.cost_lines.all())
    return _step(
        request, form, lambda **data: api.change_request(application=application, actor=request.user, **data),
        success=_("Your change request has been sent to the office."),
        redirect_to=redirect("grants:application", pk=pk), template="grants/change_request.html",
        context={"application": application},
    )  # fmt: skip


@login_required
def conditions_met(request, pk):
    application = office_file(request, pk)
    return _step(
        request, ConditionsMetForm(posted(request)),
        lambda **data: services.conditions_met_record(application=application, actor=request.user, **data),
        success=_("The conditions are recorded as met."), redirect_to=redirect("grants:staff_application", pk=pk),
        template="grants/conditions_met.html",
        context={"application": application, "decision": selectors.latest_decision(application)},
    )  # fmt: skip


@login_required
def objection_record(request, pk):
    application = office_file(request, pk)
    return _step(
        request, ObjectionRecordForm(posted(request)),
        lambda **data: api.objection_record(application=application, actor=request.user, **data),
        success=_("The objection is recorded; put it on a meeting's agenda from the queue."),
        redirect_to=redirect("grants:staff_application", pk=pk), template="grants/objection_record.html",
        context={"application": application, "decision": selectors.latest_decision(application)},
    )  # fmt: skip


@login_required
def repayment_claim(request, pk):
    """Claim money back while the file waits for the report, e.g. because none was filed."""
    application = office_file(request, pk)
    form = RepaymentClaimForm(posted(request), initial={"amount": selectors.paid_total(application),
                                                       "reason": "no_report"})  # fmt: skip
    return _step(
        request, form, lambda **data: api.repayment_claim(application=application, actor=request.user, **data),
        success=_("The repayment claim is opened; the hearing is in the queue."),
        redirect_to=redirect("grants:staff_application", pk=pk), template="grants/repayment_claim.html",
        context={"application": application},
    )  # fmt: skip


@login_required
def repayment_claims(request):
    return render(request, "grants/repayment_claims.html", {"claims": selectors.open_claims_for_office(request.user)})
