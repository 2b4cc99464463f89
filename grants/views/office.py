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
from .common import history, posted, show_errors


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
            "deliveries": selectors.delivery_log(application),
            "history": history(application, applicant=False),
        },
    )


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
