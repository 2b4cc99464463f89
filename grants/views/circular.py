"""The written procedure: the chair starts it on an item; each voting member answers from their inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.second_factor import fresh_second_factor
from workflows import api

from .. import selectors, services
from ..forms import CircularBallotForm, CircularDeadlineForm, CircularStartForm
from ..models import CircularProcedure
from .common import posted
from .steering import item_url


def _presided_item(user, pk):
    """The agenda item, for the member who presides over it; 404 or 403 for everyone else."""
    item = selectors.agenda_item_for_steering(user, pk)
    if selectors.presiding_role_on(item, user) is None:
        raise PermissionDenied
    return item


@login_required
@fresh_second_factor
def circular_start(request, pk):
    item = _presided_item(request.user, pk)
    form = CircularStartForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.circular_start(agenda_item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The written procedure is running; every member with a vote has been asked."))
            return redirect(item_url(item))
    return render(request, "grants/circular_start.html", {"item": item, "form": form,
                                                          "motion": selectors.open_motion(item)})  # fmt: skip


@login_required
@fresh_second_factor
def circular_deadline_move(request, pk):
    """The chair gives the members of a running written procedure more (or less) time."""
    item = _presided_item(request.user, pk)
    procedure = get_object_or_404(item.circular_procedures, result=CircularProcedure.Result.OPEN)
    form = CircularDeadlineForm(posted(request), initial={"deadline": timezone.localtime(procedure.deadline)})
    if request.method == "POST" and form.is_valid():
        try:
            services.circular_deadline_move(procedure=procedure, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The deadline is moved; members who have not answered are reminded before it."))
            return redirect(item_url(item))
    return render(request, "grants/circular_deadline.html", {"item": item, "procedure": procedure, "form": form})


@login_required
def circular_inbox(request):
    """The member's ballots: open ones to answer, and answered ones."""
    ballots = selectors.ballots_of(request.user)
    return render(request, "grants/circular_inbox.html", {"ballots": ballots, "form": CircularBallotForm()})


@login_required
def circular_ballot_cast(request, pk):
    ballot = get_object_or_404(selectors.ballots_of(request.user), pk=pk)
    form = CircularBallotForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            api.circular_ballot_cast(ballot=ballot, member=request.user, choice=form.cleaned_data["choice"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("grants:circular_inbox")
    return render(request, "grants/circular_ballot.html", {"ballot": ballot, "form": form})
