"""A fund's meetings: the calendar its rule gives, and a meeting in session: opened by the chair,
attendance recorded, items called one after the other, closed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Attendance, Fund, Meeting
from ..roles import OFFICE, PRESIDING, STEERING, has_fund_role
from ..rules.dates import cutoff_in_month, meeting_date_in_month
from .core import audit


@transaction.atomic
def meetings_schedule(*, fund: Fund, year: int, actor=None) -> list[Meeting]:
    """Create the fund's monthly meetings of a year from its rule (existing dates are kept)."""
    meetings = []
    for month in range(1, 13):
        date = meeting_date_in_month(
            year, month, weekday=fund.meeting_weekday, week_of_month=fund.meeting_week_of_month
        )
        meeting, created = Meeting.objects.get_or_create(
            fund=fund, date=date, defaults={"cutoff": cutoff_in_month(year, month, cutoff_day=fund.cutoff_day)}
        )
        if created:
            audit(actor=actor, action="meeting_schedule", obj=meeting, after={"date": date})
        meetings.append(meeting)
    return meetings


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(no_key=True, of=("self",)).select_related("fund").get(pk=meeting.pk)


def _require_chair(meeting: Meeting, actor) -> None:
    if not has_fund_role(actor, meeting.fund, *PRESIDING):
        raise ValidationError(_("Only the chair or the deputy chair can run the meeting."))


@transaction.atomic
def meeting_open(*, meeting: Meeting, actor) -> Meeting:
    """Open the meeting as chair: from now on the body can vote on the items the chair calls."""
    meeting = _lock_meeting(meeting)
    _require_chair(meeting, actor)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("The meeting has already been opened."))
    meeting.status, meeting.opened_at = Meeting.Status.OPEN, timezone.now()
    meeting.save(update_fields=["status", "opened_at"])
    audit(actor=actor, action="meeting_open", obj=meeting, after={"date": meeting.date})
    return meeting


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor, present: list) -> list[Attendance]:
    """Record who is present (chair or office). A deputy present stands in for an absent member."""
    meeting = _lock_meeting(meeting)
    if not has_fund_role(actor, meeting.fund, *PRESIDING, OFFICE):
        raise ValidationError(_("Only the chair or the office records the attendance."))
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Attendance is recorded while the meeting is in session."))
    body = {
        role.user_id: role for role in meeting.fund.roles.filter(role__in=STEERING).select_related("substitute_for")
    }
    present_ids = {user.pk for user in present if user.pk in body}
    meeting.attendance.exclude(member_id__in=present_ids).delete()
    rows = []
    for member_id in present_ids:
        principal = body[member_id].substitute_for
        stands_in = principal.user_id if principal and principal.user_id not in present_ids else None
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, member_id=member_id, defaults={"stands_in_for_id": stands_in}
        )
        rows.append(row)
    audit(actor=actor, action="attendance_record", obj=meeting, after={"present": sorted(present_ids)})
    return rows


@transaction.atomic
def item_open(*, agenda_item: AgendaItem, actor) -> AgendaItem:
    """Call an item as chair: the body debates it and votes on the motion before it."""
    item = (
        AgendaItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("meeting__fund")
        .get(pk=agenda_item.pk)
    )
    _require_chair(item.meeting, actor)
    if item.meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Open the meeting first."))
    if item.closed_at is None and item.opened_at is None:
        item.opened_at = timezone.now()
        item.save(update_fields=["opened_at"])
        audit(actor=actor, action="item_open", obj=item, application=item.application)
    return item


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor) -> Meeting:
    """Close the meeting as chair; items the body did not decide go to the next meeting."""
    from .steering import defer_undecided

    meeting = _lock_meeting(meeting)
    _require_chair(meeting, actor)
    if meeting.status != Meeting.Status.OPEN:
        raise ValidationError(_("Only a meeting in session can be closed."))
    # Every open item and its application locked before the first is deferred: each deferral is
    # audited, and a row lock taken while this transaction holds the audit chain could deadlock.
    open_items = list(
        meeting.agenda_items.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application")
        .filter(closed_at=None)
        .order_by("pk")
    )
    for item in open_items:
        defer_undecided(item, actor=actor)
    meeting.status, meeting.closed_at = Meeting.Status.CLOSED, timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    audit(actor=actor, action="meeting_close", obj=meeting, after={"date": meeting.date})
    return meeting


@transaction.atomic
def agenda_item_move(*, agenda_item: AgendaItem, meeting: Meeting, actor) -> AgendaItem:
    """Move an item the body has not taken up yet to another planned meeting of the fund, as the
    office; it goes to the end of that agenda and the application follows it."""
    from .core import lock_application, require_fund_role

    item = (
        AgendaItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("meeting__fund")
        .get(pk=agenda_item.pk)
    )
    require_fund_role(item.meeting.fund, actor, OFFICE, message=_("Only the office arranges the agenda."))
    target = _lock_meeting(meeting)
    if target.fund_id != item.meeting.fund_id or target.pk == item.meeting_id:
        raise ValidationError(_("Choose another meeting of the same fund."))
    if item.closed_at or item.opened_at or item.meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only an item the steering group has not taken up yet can be moved."))
    if target.status != Meeting.Status.PLANNED or target.date < timezone.localdate():
        raise ValidationError(_("Items can only be moved to a meeting still to come."))
    if target.agenda_items.filter(application_id=item.application_id).exists():
        raise ValidationError(_("The application is already on that meeting's agenda."))
    application = lock_application(item.application)
    before = item.meeting
    item.meeting, item.position = target, target.agenda_items.count() + 1
    item.save(update_fields=["meeting", "position"])
    application.meeting = target
    application.save(update_fields=["meeting"])
    audit(actor=actor, action="agenda_item_move", obj=item, application=application,
          before={"meeting": before.date}, after={"meeting": target.date})  # fmt: skip
    return item
