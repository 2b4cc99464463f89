"""Dates under German administrative law: notification, appeal period, holidays of the Land."""

import datetime as dt

import pytest

from grants.rules.dates import (
    add_months,
    appeal_period_end,
    cutoff_in_month,
    deemed_notified,
    meeting_date_in_month,
    payable_from,
)

D = dt.date


def test_a_letter_counts_as_notified_on_the_fourth_day_even_on_a_sunday():
    assert deemed_notified(D(2026, 11, 26), days=4) == D(2026, 11, 30)
    assert deemed_notified(D(2026, 11, 25), days=4) == D(2026, 11, 29)  # a Sunday: a fixed date, not moved
    assert deemed_notified(D(2026, 11, 25), days=3) == D(2026, 11, 28)  # Länder still on the old rule


@pytest.mark.parametrize(
    ("day", "months", "end"),
    [
        (D(2026, 3, 5), 1, D(2026, 4, 5)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # § 188(3) BGB: the month's last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
    ],
)
def test_calendar_months_end_on_the_same_day_number_or_the_months_last_day(day, months, end):
    assert add_months(day, months) == end


def test_an_appeal_period_ending_on_a_weekend_runs_to_monday():
    # Notified Thursday 8 October 2026; 8 November 2026 is a Sunday.
    assert appeal_period_end(D(2026, 10, 8), months=1, state="HH") == D(2026, 11, 9)


def test_an_appeal_period_ending_on_a_holiday_of_the_land_runs_to_the_next_working_day():
    # Corpus Christi, Thursday 4 June 2026, is a holiday in Bavaria but not in Hamburg.
    assert appeal_period_end(D(2026, 5, 4), months=1, state="BY") == D(2026, 6, 5)
    assert appeal_period_end(D(2026, 5, 4), months=1, state="HH") == D(2026, 6, 4)
    # Reformation Day, Friday 31 October 2025, is a holiday in Hamburg but not in Bavaria.
    assert appeal_period_end(D(2025, 8, 31), months=2, state="HH") == D(2025, 11, 3)
    assert appeal_period_end(D(2025, 8, 31), months=2, state="BY") == D(2025, 10, 31)


def test_across_christmas_and_new_year_the_period_waits_for_a_working_day():
    # Notified 25 November 2026: the month ends on Friday 25 December, Christmas Day; 26 December is
    # a holiday too, 27 a Sunday: the last day is Monday 28 December.
    assert appeal_period_end(D(2026, 11, 25), months=1, state="HH") == D(2026, 12, 28)


def test_payout_is_possible_the_day_after_the_decision_became_final():
    assert payable_from(D(2026, 12, 28)) == D(2026, 12, 29)


def test_meetings_on_the_third_wednesday_with_a_cutoff_on_the_first():
    assert meeting_date_in_month(2026, 12, weekday=2, week_of_month=3) == D(2026, 12, 16)
    assert cutoff_in_month(2026, 2, cutoff_day=31) == D(2026, 2, 28)
