"""Dates the fund works by: meetings and cut-offs, notification of a letter, the
appeal period (VwVfG §§ 31, 41; BGB §§ 187-193), payout and the report deadline."""

import calendar
import datetime as dt
from functools import cache

import holidays

ONE_DAY = dt.timedelta(days=1)


def meeting_date_in_month(year: int, month: int, *, weekday: int, week_of_month: int) -> dt.date:
    """The fund's meeting day in a month, e.g. the 3rd Wednesday (weekday 2, week 3)."""
    days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday]]
    return dt.date(year, month, days[min(week_of_month, len(days)) - 1])


def cutoff_in_month(year: int, month: int, *, cutoff_day: int) -> dt.date:
    """The day of the month by which applications must be in; a day beyond the month's end is its last day."""
    return dt.date(year, month, min(cutoff_day, calendar.monthrange(year, month)[1]))


def deemed_notified(dispatched: dt.date, *, days: int) -> dt.date:
    """The day a letter counts as notified: the n-th day after dispatch (§ 41(2) VwVfG).

    This is a fixed date, not a deadline: it is not moved off a weekend or holiday."""
    return dispatched + dt.timedelta(days=days)


def add_months(day: dt.date, months: int) -> dt.date:
    """The day that ends a period of months begun by an event on `day` (§ 188(2), (3) BGB):
    the same day number, or the month's last day where the month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@cache
def _holidays(state: str) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=state)


def is_working_day(day: dt.date, *, state: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(state)


def next_working_day(day: dt.date, *, state: str) -> dt.date:
    """The day itself if it is a working day in the Land, else the next one (§ 31(3) VwVfG, § 193 BGB)."""
    while not is_working_day(day, state=state):
        day += ONE_DAY
    return day


def appeal_period_end(notified: dt.date, *, months: int, state: str) -> dt.date:
    """The last day for an objection: calendar months from notification, moved to the
    next working day when it falls on a Saturday, Sunday or public holiday of the Land."""
    return next_working_day(add_months(notified, months), state=state)


def payable_from(appeal_ends_on: dt.date) -> dt.date:
    """A grant can be paid out on the day after the decision became final."""
    return appeal_ends_on + ONE_DAY


def report_due(end_date: dt.date, *, weeks: int) -> dt.date:
    """The use-of-funds report is due a number of weeks after the project ends."""
    return end_date + dt.timedelta(weeks=weeks)
