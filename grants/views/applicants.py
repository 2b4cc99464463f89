"""Applicants: their organisation's applications, from the first draft to the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workflows import api

from .. import selectors, services
from ..aftercare_forms import receipt_formset
from ..forms import ApplicationForm, ApplicationStartForm, CostLineFormSet, OrganisationForm, ReportForm
from ..status import Status
from .common import history, posted, show_errors

WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.REVISION, Status.ASSESSMENT)


@login_required
def application_list(request):
    applications = Paginator(selectors.applications_for_applicant(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "grants/application_list.html",
        {"applications": applications, "organisations": selectors.organisations_of(request.user)},
    )


def _cost_lines(formset):
    return [form.cleaned_data for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]  # fmt: skip


def _save_application(request, application, fund, organisation):
    form = ApplicationForm(posted(request), instance=application, fund=fund)
    formset = CostLineFormSet(posted(request), instance=application, prefix="costs")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {**form.cleaned_data, "aims": list(form.cleaned_data["aims"])}
        try:
            if application is None:
                application = services.application_create(
                    fund=fund, organisation=organisation, actor=request.user, data=data, cost_lines=_cost_lines(formset)
                )
            else:
                services.application_update(
                    application=application, actor=request.user, data=data, cost_lines=_cost_lines(formset)
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application is saved."))
            return redirect("grants:application", pk=application.pk)
    context = {"form": form, "formset": formset, "application": application, "fund": fund,
               "organisation": organisation}  # fmt: skip
    if application is not None:
        context.update(selectors.revision_marks(application))
    return render(request, "grants/application_form.html", context)


@login_required
def application_create(request):
    """Start an application to the chosen fund for the chosen organisation; ask when there is a choice."""
    choice = ApplicationStartForm(request.GET, funds=selectors.open_funds(), user=request.user)
    if not choice.is_valid():
        return render(request, "grants/application_start.html", {"form": choice})
    return _save_application(request, None, choice.cleaned_data["fonds"], choice.cleaned_data["organisation"])


@login_required
def application_edit(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    if application.status not in (Status.DRAFT, Status.REVISION):
        messages.error(request, _("The application can no longer be changed."))
        return redirect("grants:application", pk=pk)
    return _save_application(request, application, application.fund, application.organisation)


@login_required
def application_detail(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    decision = selectors.latest_decision(application)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "problems": selectors.submission_problems(application) if application.status == Status.DRAFT else [],
            "tasks": selectors.task_list(application) if application.status in (Status.DRAFT, Status.REVISION) else [],
            "notices": selectors.application_notices(application),
            "revision": selectors.open_revision(application),
            "decision": decision,
            "payable_from": selectors.payable_from(application, decision),
            "documents": selectors.documents_of(application),
            "history": history(application, applicant=True),
            "timeline": selectors.applicant_timeline(application),
            "may_withdraw": application.status in WITHDRAWABLE,
        },
    )


@login_required
def application_submit(request, pk):
    """Check-your-answers page; the POST submits (or resubmits after a revision)."""
    application = selectors.application_for_applicant(request.user, pk)
    context = {"application": application, "notices": selectors.application_notices(application),
               "quotes_problem": selectors.quotes_problem(application), **_section_urls(application)}  # fmt: skip
    if request.method == "POST":
        try:
            if application.status == Status.REVISION:
                api.application_resubmit(application=application, actor=request.user)
            else:
                api.application_submit(application=application, actor=request.user)
        except ValidationError as error:
            return render(request, "grants/application_submit.html", {**context, "problems": error.messages})
        application.refresh_from_db()
        messages.success(
            request,
            _("Thank you. Your application %(reference)s has been submitted.") % {"reference": application.reference},
        )
        return redirect("grants:application", pk=pk)
    return render(
        request,
        "grants/application_submit.html",
        {**context, "problems": selectors.submission_problems(application)},
    )


def _section_urls(application) -> dict:
    """ "Change" links of the check-your-answers page, each to its section of the task list."""
    from django.urls import reverse

    sections = {"project": "projekt", "costs": "kosten", "financing": "finanzierung", "declarations": "erklaerungen"}
    return {f"change_url_{name}": reverse("grants:application_section", args=[application.pk, slug])
            for name, slug in sections.items()}  # fmt: skip


@login_required
def appeal_waive(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    if request.method == "POST":
        try:
            api.appeal_waive(application=application, actor=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("You waived your right of appeal. The grant can now be paid out."))
        return redirect("grants:application", pk=pk)
    return render(request, "grants/appeal_waive.html", {"application": application})


@login_required
def report_submit(request, pk):
    """The use-of-funds report: the full one, or the receipt list only where the fund allows it."""
    application = selectors.application_for_applicant(request.user, pk)
    if selectors.simple_report_allowed(application):
        return _simple_report(request, application)
    form = ReportForm(
        posted(request), instance=getattr(application, "report", None), cost_lines=application.cost_lines.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            api.report_submit(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your report has been submitted."))
            return redirect("grants:application", pk=pk)
    return render(request, "grants/report_form.html", {"application": application, "form": form})


def _simple_report(request, application):
    data, more_lines = posted(request), "more_lines" in request.POST
    if more_lines:  # three more empty lines, nothing saved
        data = data.copy()
        data["receipts-TOTAL_FORMS"] = str(int(data.get("receipts-TOTAL_FORMS") or 0) + 3)
    formset = receipt_formset(data, request.FILES or None, application=application)
    problems = []
    if request.method == "POST" and not more_lines and formset.is_valid():
        try:
            api.report_submit(application=application, actor=request.user, simple=True, receipts=formset.receipts())
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("Thank you. Your report has been submitted."))
            return redirect("grants:application", pk=application.pk)
    context = {"application": application, "formset": formset, "problems": problems,
               "paid": selectors.paid_total(application)}  # fmt: skip
    return render(request, "grants/report_simple.html", context)


@login_required
def organisation_update(request, pk):
    organisation = selectors.organisation_for_member(request.user, pk)
    form = OrganisationForm(posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The details of your organisation are saved."))
            if selectors.pending_bank_change(organisation):
                messages.info(request, _("The office will check your new bank account before the next payout."))
            return redirect("grants:applications")
    pending = selectors.pending_bank_change(organisation)
    context = {"form": form, "organisation": organisation, "pending_bank_change": pending}
    return render(request, "grants/organisation_form.html", context)


@login_required
def document_download(request, pk):
    document = selectors.document_for_user(request.user, pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename, content_type="application/pdf"
    )


@login_required
def application_withdraw(request, pk):
    """A page that says what withdrawing means; the POST withdraws."""
    application = selectors.application_for_applicant(request.user, pk)
    if request.method == "POST":
        try:
            api.application_withdraw(application=application, actor=request.user)
        except ValidationError as error:
            return render(request, "grants/application_withdraw.html",
                          {"application": application, "problems": error.messages})  # fmt: skip
        messages.success(request, _("The application is withdrawn."))
        return redirect("grants:application", pk=pk)
    return render(request, "grants/application_withdraw.html", {"application": application})
