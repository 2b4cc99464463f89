"""The office's pages beside its task queue: the file, letter corrections, bank
account changes to confirm and e-mails that could not be delivered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services as notifications
from workflows import selectors as office_selectors

from .. import selectors, services
from ..forms import DocumentCorrectForm
from .common import history, show_errors


@login_required
def staff_application_detail(request, pk):
    """The file as the office of its fund or, once on an agenda, its steering group sees it."""
    application = selectors.application_for_staff(request.user, pk)
    is_office = selectors.is_office(request.user, application.fund)
    return render(
        request,
        "grants/staff_application_detail.html",
        {
            "application": application,
            "is_office": is_office,
            "show_bank_data": is_office,  # only the office of the application's own fund sees bank data
            "recommendation": application.recommendations.first(),
            "decision": selectors.latest_decision(application),
            "notices": selectors.application_notices(application),
            "documents": selectors.documents_of(application) if is_office else [],
            "history": history(application, applicant=False),
        },
    )


@login_required
def document_correct(request, pk):
    """Issue a corrected letter after a confirmation page; the old one is kept and marked."""
    document = selectors.document_for_office(request.user, pk)
    form = DocumentCorrectForm(request.POST or None)
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
