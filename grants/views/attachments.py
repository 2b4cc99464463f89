"""Uploads: the applicant adds and removes them; members and the fund's office download them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import AttachmentForm
from .common import posted


@login_required
def application_attachments(request, pk):
    application = selectors.application_for_applicant(request.user, pk)
    form = AttachmentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(application=application, actor=request.user, kind=form.cleaned_data["kind"],
                                    upload=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect("grants:application_attachments", pk=pk)
    context = {"application": application, "form": form, "attachments": application.attachments.all(),
               "quotes_problem": selectors.quotes_problem(application),
               **selectors.revision_marks(application, "anlagen")}  # fmt: skip
    return render(request, "grants/application_attachments.html", context)


@login_required
def attachment_download(request, pk):
    attachment = selectors.attachment_for_user(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)  # fmt: skip


@login_required
def attachment_remove(request, pk):
    attachment = selectors.attachment_for_user(request.user, pk)
    application = selectors.application_for_applicant(request.user, attachment.application_id)
    if request.method == "POST":
        try:
            services.attachment_remove(attachment=attachment, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The document is removed."))
    return redirect("grants:application_attachments", pk=application.pk)
