"""The steering group: its meetings, votes, conflicts of interest, and the chair's
motions and closing of votes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.second_factor import fresh_second_factor
from workflows import api

from .. import selectors, services
from ..forms import ConflictForm, MotionForm, VoteCloseForm, VoteForm
from ..models import Motion, Vote
from .common import posted, show_errors


@login_required
def meeting_list(request):
    return render(request, "grants/meeting_list.html", {"meetings": selectors.meeting_calendar(request.user)})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_steering(request.user, pk)
    return render(
        request,
        "grants/meeting_detail.html",
        {
            "meeting": meeting,
            "items": selectors.agenda_for_member(meeting, request.user),
            "fiscal_year": selectors.current_fiscal_year(meeting.fund),
            # The vote's choices, translated once for the page rather than once per item.
            "vote_choices": [(value, capfirst(label)) for value, label in Vote.CHOICES],
            "can_vote": selectors.can_vote(request.user, meeting),
            "chairs": bool(selectors.presiding_roles(request.user, meeting.fund)),
            "is_office": selectors.is_office(request.user, meeting.fund),
            "move_targets": selectors.move_targets(meeting),
            "voters": selectors.meeting_voters(meeting),
        },
    )


def item_url(item) -> str:
    return reverse("grants:meeting", args=[item.meeting_id]) + f"#item-{item.pk}"


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
            show_errors(request, error)
    return redirect(item_url(item))


@login_required
@require_POST
def vote_cast(request, pk):
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


def _presided_item(request, pk):
    item = selectors.agenda_item_for_steering(request.user, pk)
    if selectors.presiding_role_on(item, request.user) is None:
        raise PermissionDenied
    return item


@login_required
def motion_put(request, pk):
    """The presiding member puts a motion to the vote (amended, reduced, reject, defer)."""
    item = _presided_item(request, pk)
    targets = selectors.defer_targets(item)
    initial = selectors.motion_initial(item, request.GET)
    form = MotionForm(posted(request), initial=initial, defer_targets=targets, item=item)
    if request.method == "POST" and form.is_valid() and not item.closed_at:
        try:
            services.motion_put(agenda_item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The motion is before the steering group. Members can now vote on it."))
            return redirect(item_url(item))
    return render(request, "grants/motion_put.html", {"item": item, "form": form, "targets": targets})


@login_required
@fresh_second_factor
def vote_close(request, pk):
    """The presiding member closes the vote on an item's motion after a confirmation page."""
    item = _presided_item(request, pk)
    preview = selectors.vote_close_preview(item, request.user)
    form = VoteCloseForm(posted(request), initial={"reasons": preview.suggested_reasons})
    if request.method == "POST" and form.is_valid() and not item.closed_at:
        try:
            closed = api.vote_close(agenda_item=item, actor=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _vote_closed_message(closed))
            return redirect(item_url(item))
    return render(request, "grants/vote_close.html", {"item": item, "preview": preview, "form": form})


def _vote_closed_message(closed) -> str:
    if closed.decision is not None:
        return _("The vote is closed: %(result)s.") % {"result": closed.decision.get_kind_display()}
    if closed.motion.result == Motion.Result.OVER_BUDGET:
        return _(
            "The motion was adopted, but there is not enough money left in the budget. Put the available amount "
            "to the vote, defer the item to the next fiscal year, or reject it."
        )
    return _("The motion was not adopted. The item stays open: put another motion to the vote.")
