"""Applicants' organisations: create one (or an informal group), invite members, leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..forms import InviteForm, OrganisationForm
from ..models import OrganisationInvitation
from .common import posted


@login_required
def organisation_create(request):
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your organisation is created. You can now apply on its behalf."))
            return redirect("grants:applications")
    return render(request, "grants/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_members(request, pk):
    """The members, a form to invite one more by e-mail, and the way out."""
    organisation = selectors.organisation_for_member(request.user, pk)
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_invite(organisation=organisation, actor=request.user, email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect("grants:organisation_members", pk=pk)
    context = {"organisation": organisation, "form": form, "members": organisation.members.order_by("email"),
               "invitations": organisation.invitations.filter(accepted_at=None)}  # fmt: skip
    return render(request, "grants/organisation_members.html", context)


@login_required
def organisation_leave(request, pk):
    organisation = selectors.organisation_for_member(request.user, pk)
    if request.method == "POST":
        try:
            services.organisation_leave(organisation=organisation, actor=request.user)
        except ValidationError as error:
            return render(request, "grants/organisation_leave.html", {"organisation": organisation,
                                                                       "problems": error.messages})  # fmt: skip
        messages.success(request, _("You no longer act for %(name)s.") % {"name": organisation.name})
        return redirect("home")
    return render(request, "grants/organisation_leave.html", {"organisation": organisation})


@login_required
def invitation_accept(request, token):
    invitation = get_object_or_404(OrganisationInvitation.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        try:
            organisation = services.invitation_accept(invitation=invitation, actor=request.user)
        except ValidationError as error:
            return render(request, "grants/invitation_accept.html", {"invitation": invitation,
                                                                      "problems": error.messages})  # fmt: skip
        messages.success(request, _("You now act for %(name)s.") % {"name": organisation.name})
        return redirect("grants:applications")
    return render(request, "grants/invitation_accept.html", {"invitation": invitation})
