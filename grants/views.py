"""The portal: applicants, the office's file view and the steering group.
Views parse, call one service (or workflows.api step) and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows import api as flow

from . import selectors, services
from .forms import ApplicationForm, ConflictForm, CostLineFormSet, OrganisationForm, ReportForm, VoteForm
from .models import Fund
from .roles import roles_of
from .status import TRANSITIONS, Status


def _errors(request, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)


@login_required
def home(request):
    roles = roles_of(request.user)
    if roles.office:
        return redirect("workflows:queue")
    if roles.steering:
        return redirect("grants:meetings")
    if roles.applicant:
        return redirect("grants:applications")
    if roles.admin:
        return redirect("admin:index")
    return render(request, "grants/no_role.html")


# Applicants -------------------------------------------------------------------


@login_required
def application_list(request):
    applications = Paginator(selectors.applications_for_applicant(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "grants/application_list.html", {"applications": applications})


def _cost_lines(formset):
    return [form.cleaned_data for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]  # fmt: skip


def _save_application(request, application, fund, organisation):
    form = ApplicationForm(request.POST or None, instance=application, fund=fund)
    formset = CostLineFormSet(request.POST or None, instance=application, prefix="costs")
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
    return render(
        request,
        "grants/application_form.html",
        {"form": form, "formset": formset, "application": application, "fund": fund},
    )


@login_required
def application_create(request):
    organisation = request.user.organisations.order_by("pk").first()
    fund = Fund.objects.order_by("pk").first()
    if organisation is None or fund is None:
        raise Http404
    return _save_application(request, None, fund, organisation)


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
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "problems": services.application_problems(application) if application.status == Status.DRAFT else [],
            "revision": application.revision_requests.filter(answered_at=None).first(),
            "decision": services.latest_decision(application),
            "final_on": services.decision_final_on(application),
            "history": _history(application, applicant=True),
        },
    )


def _history(application, *, applicant):
    label = "applicant_label" if applicant else "staff_label"
    events = application.audit_events.filter(action__in=TRANSITIONS).order_by("at")
    return [(event.at, getattr(TRANSITIONS[event.action], label)) for event in events]


@login_required
def application_submit(request, pk):
    """Check-your-answers page; the POST submits (or resubmits after a revision)."""
    application = selectors.application_for_applicant(request.user, pk)
    if request.method == "POST":
        try:
            if application.status == Status.REVISION:
                flow.resubmit(application=application, actor=request.user)
            else:
                flow.submit(application=application, actor=request.user)
        except ValidationError as error:
            return render(
                request, "grants/application_submit.html", {"application": application, "problems": error.messages}
            )
        application.refresh_from_db()
        messages.success(
            request,
            _("Thank you. Your application %(reference)s has been submitted.") % {"reference": application.reference},
        )
        return redirect("grants:application", pk=pk)
    return render(
        request,
        "grants/application_submit.html",
        {
            "application": application,
            "problems": services.application_problems(application),
        },
    )


@login_required
def appeal_waive(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    if request.method == "POST":
        try:
            flow.waive_appeal(application=application, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("You waived your right of appeal. The grant can now be paid out."))
        return redirect("grants:application", pk=pk)
    return render(request, "grants/appeal_waive.html", {"application": application})


@login_required
def report_file(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    form = ReportForm(request.POST or None, instance=getattr(application, "report", None))
    if request.method == "POST" and form.is_valid():
        try:
            flow.file_report(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your report has been submitted."))
            return redirect("grants:application", pk=pk)
    return render(request, "grants/report_form.html", {"application": application, "form": form})


@login_required
def organisation_edit(request, pk):
    organisation = selectors.organisation_for_member(request.user, pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The details of your organisation are saved."))
            return redirect("grants:applications")
    return render(request, "grants/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def document_download(request, pk):
    document = selectors.document_for_user(request.user, pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename, content_type="application/pdf"
    )


# Office and steering group ----------------------------------------------------


@login_required
def staff_application_detail(request, pk):
    application = selectors.application_for_staff(request.user, pk)
    return render(
        request,
        "grants/staff_application_detail.html",
        {
            "application": application,
            "show_bank_data": selectors.can_see_bank_data(request.user, application),
            "recommendation": application.recommendations.first(),
            "decision": services.latest_decision(application),
            "history": _history(application, applicant=False),
        },
    )


@login_required
def meeting_list(request):
    meetings = selectors.meeting_calendar(request.user)
    return render(request, "grants/meeting_list.html", {"meetings": meetings})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_steering(request.user, pk)
    items = selectors.agenda_for_meeting(meeting, request.user)
    for item in items:
        item.my_vote = next((v.choice for v in item.votes.all() if v.member_id == request.user.pk), None)
        item.i_am_recused = any(c.member_id == request.user.pk for c in item.conflicts.all())
        item.counts = services.tally(item)
    return render(
        request,
        "grants/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "vote_form": VoteForm(),
            "conflict_form": ConflictForm(),
            "is_chair": roles_of(request.user).chair,
            "can_vote": selectors.can_vote(request.user, meeting),
        },
    )


def _member_post(request, pk, form_class, perform, *, done, invalid):
    """Handle a member's POST on an agenda item and return to the meeting page."""
    item = selectors.agenda_item_for_steering(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            perform(agenda_item=item, member=request.user, **form.cleaned_data)
            messages.success(request, done)
        except ValidationError as error:
            _errors(request, error)
    return redirect("grants:meeting", pk=item.meeting_id)


@login_required
@require_POST
def vote(request, pk):
    return _member_post(
        request, pk, VoteForm, services.vote_cast,
        done=_("Your vote has been recorded."), invalid=_("Please choose yes, no or abstain."),
    )  # fmt: skip


@login_required
@require_POST
def conflict_declare(request, pk):
    return _member_post(
        request, pk, ConflictForm, services.conflict_declare,
        done=_("Your conflict of interest has been recorded; you take no part in this item."),
        invalid=_("Please give a reason for the conflict of interest."),
    )  # fmt: skip


@login_required
def vote_close(request, pk):
    """The chair closes the vote on an item after a confirmation page."""
    item = selectors.agenda_item_for_steering(request.user, pk)
    if not roles_of(request.user).chair:
        raise PermissionDenied
    if request.method == "POST":
        try:
            decision = flow.close_vote(agenda_item=item, actor=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The vote is closed: %(result)s.") % {"result": decision.get_kind_display()})
        return redirect("grants:meeting", pk=item.meeting_id)
    return render(request, "grants/vote_close.html", {"item": item, "counts": services.tally(item)})
