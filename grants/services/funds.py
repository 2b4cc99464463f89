"""A fund's calendar: the monthly meetings its rule gives."""

from django.db import transaction

from ..models import Fund, Meeting
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
