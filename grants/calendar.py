"""A meeting as an iCalendar event (.ics), attached to the invitation."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

DURATION = dt.timedelta(hours=2)


def meeting_start(meeting) -> dt.datetime:
    start = dt.datetime.combine(meeting.date, meeting.start_time or meeting.fund.meeting_time)
    return start.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def meeting_place(meeting) -> str:
    return meeting.place or meeting.fund.meeting_place


def meeting_ics(meeting, agenda: list[str]) -> str:
    """The meeting's date, time and place, with the agenda as its description."""
    calendar = Calendar()
    calendar.add("prodid", "-//Verfuegungsfonds//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", meeting_start(meeting))
    event.add("dtend", meeting_start(meeting) + DURATION)
    event.add("summary", f"Sitzung: {meeting.fund.body_name}")
    if meeting_place(meeting):
        event.add("location", meeting_place(meeting))
    event.add("description", "Tagesordnung:\n" + "\n".join(agenda))
    calendar.add_component(event)
    return calendar.to_ical().decode()
