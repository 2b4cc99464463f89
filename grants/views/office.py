"""The office's pages beside its task queue: the file, letter corrections, bank
account changes to confirm and e-mails that could not be delivered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services as notifications
from workflows import selectors as office_selectors

from .. import selectors, services
from ..forms import DocumentCorrectForm, InternalNoteForm
from .common import history, office_file, posted, show_errors


@login_required
def staff_application_detail(request, pk):
    """The whole file for the office of its fund; for its steering group, what it needs to decide."""
    application = selectors.application_for_office(request.user, pk)
    if application is None:
        return render(request, "grants/steering_application_detail.html", selectors.file_for_steering(request.user, pk))
    return render(
        request,
        "grants/staff_application_detail.html",
        {
            "application": application,
            "recommendation": application.recommendations.first(),
            "decision": selectors.latest_decision(application),
            "notices": selectors.application_notices(application),
            "documents": selectors.documents_of(application),
            "attachments": selectors.attachments_of(application),
            "deliveries": selectors.delivery_log(application),
            "history": history(application, applicant=False),
            "notes": application.internal_notes.select_related("author"),
            "note_form": InternalNoteForm(),
            "chart": office_selectors.process_chart(application),
        },
    )


@login_required
@require_POST
def note_add(request, pk):
    """Add an internal note to the file (the office of its fund only)."""
    application = office_file(request, pk)
    form = InternalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(application=application, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The note is filed. Only the office can read it."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("grants:staff_application", args=[pk]) + "#notes")


@login_required
def document_correct(request, pk):
    """Issue a corrected letter after a confirmation page; the old one is kept and marked."""
    document = selectors.document_for_office(request.user, pk)
    form = DocumentCorrectForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_correct(document=document, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The corrected letter has been filed and sent to the applicant."))
            return redirect("grants:staff_application", pk=document.application_id)
    return render(request, "grants/document_correct.html", {"document": document, "form": form})


@login_required
def bank_changes(request):
    changes = selectors.bank_changes_for_office(request.user)
    return render(request, "grants/bank_changes.html", {"changes": changes})


@login_required
@require_POST
def bank_change_decide(request, pk):
    change = selectors.bank_change_for_office(request.user, pk)
    confirm = request.POST.get("decision") == "confirm"
    step = services.bank_change_confirm if confirm else services.bank_change_reject
    try:
        step(change=change, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("The new bank account is confirmed.") if confirm else _("The new bank account is refused.")
        )
    return redirect("grants:bank_changes")


@login_required
def notifications_failed(request):
    failed = office_selectors.failed_notifications(request.user)
    return render(request, "grants/notifications_failed.html", {"notifications": failed})


@login_required
@require_POST
def notification_retry(request, pk):
    notification = office_selectors.failed_notification(request.user, pk)
    if notifications.notification_retry(notification=notification):
        messages.success(request, _("The e-mail to %(email)s is being sent again.") % {"email": notification.email})
    return redirect("grants:notifications_failed")


@login_required
def statistics(request):
    """Applications, approvals and money granted per year, for each fund of the office."""
    funds = selectors.office_funds(request.user)
    return render(
        request, "grants/statistics.html", {"funds": [(fund, selectors.yearly_statistics(fund)) for fund in funds]}
    )


@login_required
def recommendation_paper(request, pk):
    """The office's recommendation as a Beschlussvorlage (PDF), for the office and the steering group."""
    application = selectors.application_for_paper(request.user, pk)
    try:
        pdf = services.recommendation_paper_render(application)
    except ValidationError as error:
        raise Http404 from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Beschlussvorlage {application.reference}.pdf"'.replace(
        "/", "-"
    )
    return response
