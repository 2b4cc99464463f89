"""A meeting in session, run by the chair: open it, record who attends, call the items, close
it; the office records the votes of the room; the papers before and the minutes after."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.second_factor import fresh_second_factor

from .. import selectors, services
from ..forms import AttendanceForm, MinutesForm, RoomVotesForm
from ..models import Document
from .common import posted, show_errors
from .steering import item_url


def _chaired_meeting(request, pk):
    meeting = selectors.meeting_for_steering(request.user, pk)
    if not selectors.presiding_roles(request.user, meeting.fund):
        raise PermissionDenied
    return meeting


def _step(request, perform, done, redirect_to, **kwargs):
    try:
        perform(actor=request.user, **kwargs)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(redirect_to)


@login_required
@require_POST
def meeting_open(request, pk):
    meeting = _chaired_meeting(request, pk)
    attendance = reverse("grants:attendance_record", args=[meeting.pk])
    return _step(request, services.meeting_open, _("The meeting is open. Record the attendance first."),
                 attendance, meeting=meeting)  # fmt: skip


@login_required
def attendance_record(request, pk):
    """The chair or the office ticks who is present; deputies stand in for absent members."""
    meeting = selectors.meeting_for_steering(request.user, pk)
    if not (selectors.presiding_roles(request.user, meeting.fund) or selectors.is_office(request.user, meeting.fund)):
        raise PermissionDenied
    form = AttendanceForm(posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, actor=request.user, present=form.cleaned_data["present"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect("grants:meeting", pk=meeting.pk)
    return render(request, "grants/attendance.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def item_open(request, pk):
    item = selectors.agenda_item_for_steering(request.user, pk)
    return _step(request, services.item_open, _("The item is called: members can vote now."), item_url(item),
                 agenda_item=item)  # fmt: skip


@login_required
def meeting_close(request, pk):
    """Close the meeting after a confirmation page that lists the items going to the next meeting."""
    meeting = _chaired_meeting(request, pk)
    if request.method == "POST":
        return _step(request, services.meeting_close, _("The meeting is closed."),
                     reverse("grants:meeting", args=[meeting.pk]), meeting=meeting)  # fmt: skip
    undecided = meeting.agenda_items.filter(closed_at=None).select_related("application")
    return render(request, "grants/meeting_close.html", {"meeting": meeting, "undecided": undecided})


@login_required
def votes_record(request, pk):
    """The office records the votes of the room for the members present."""
    item = selectors.agenda_item_for_office(request.user, pk)
    form = RoomVotesForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.votes_record(agenda_item=item, actor=request.user, votes=form.votes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The votes of the room are recorded."))
            return redirect(item_url(item))
    return render(request, "grants/votes_record.html", {"item": item, "form": form})


@login_required
def letter_progress(request, pk):
    """The decision letters of a meeting on their way (done / total); the page reloads itself until done."""
    meeting = selectors.meeting_for_steering(request.user, pk)
    progress = selectors.letter_progress(meeting)
    template = "grants/letter_progress_status.html" if request.GET.get("part") else "grants/letter_progress.html"
    return render(request, template, {"meeting": meeting, "progress": progress})


@login_required
def agenda_pack(request, pk):
    """The meeting papers as they stand now (PDF); never bank data or contact details."""
    meeting = selectors.meeting_for_steering(request.user, pk)
    response = HttpResponse(services.agenda_pack_render(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Sitzungsunterlagen {meeting.date.isoformat()}.pdf"'
    return response


@login_required
@fresh_second_factor
def minutes(request, pk):
    """The minutes of a closed meeting: a preview, the chair's approval, and the approved versions."""
    meeting = selectors.meeting_for_steering(request.user, pk)
    if meeting.status != meeting.Status.CLOSED:
        raise Http404
    versions = Document.objects.filter(meeting=meeting, kind=Document.MINUTES).order_by("created")
    form = MinutesForm(posted(request), correcting=versions.exists())
    if request.method == "POST":
        if not selectors.presiding_roles(request.user, meeting.fund):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.minutes_approve(meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The minutes are approved and fixed."))
                return redirect("grants:minutes", pk=meeting.pk)
    context = {"meeting": meeting, "versions": versions, "form": form, **selectors.minutes_facts(meeting),
               "chairs": bool(selectors.presiding_roles(request.user, meeting.fund))}  # fmt: skip
    return render(request, "grants/minutes.html", context)


@login_required
@require_POST
def agenda_item_move(request, pk):
    """Move an item to another planned meeting (the office), then show the meeting it left."""
    item = selectors.agenda_item_for_office(request.user, pk)
    source = item.meeting_id
    target = selectors.move_targets(item.meeting)
    chosen = next((meeting for meeting in target if str(meeting.pk) == request.POST.get("meeting")), None)
    if chosen is None:
        messages.error(request, _("Choose the meeting the item should go to."))
        return redirect("grants:meeting", pk=source)
    return _step(
        request,
        services.agenda_item_move,
        _("The item has been moved to the meeting on %(date)s.")
        % {"date": date_format(chosen.date, "SHORT_DATE_FORMAT")},
        reverse("grants:meeting", args=[source]),
        agenda_item=item,
        meeting=chosen,
    )
