"""The retention rule for backups (pure), and the pruning that applies it to a folder."""

import datetime as dt

from operations.backups import backups_prune
from operations.retention import archives_to_keep

TODAY = dt.date(2026, 11, 25)


def nightly(days: int) -> list[dt.datetime]:
    return [dt.datetime(2026, 11, 25, 2, 30) - dt.timedelta(days=n) for n in range(days)]


def test_the_newest_of_each_recent_day_and_of_each_recent_month_is_kept():
    archives = nightly(400)
    keep = archives_to_keep(archives, today=TODAY, keep_daily=14, keep_monthly=12)
    days = {moment for moment in archives if moment.date() > TODAY - dt.timedelta(days=14)}
    month_ends = {
        max(m for m in archives if (m.year, m.month) == month) for month in {(m.year, m.month) for m in archives}
    }
    recent_month_ends = {moment for moment in month_ends if moment >= dt.datetime(2025, 12, 1)}
    assert keep == days | recent_month_ends
    assert len(recent_month_ends) == 12


def test_two_archives_of_one_day_keep_only_the_later():
    morning, evening = dt.datetime(2026, 11, 25, 2, 30), dt.datetime(2026, 11, 25, 22, 0)
    assert archives_to_keep([morning, evening], today=TODAY, keep_daily=7, keep_monthly=0) == {evening}


def test_the_newest_archive_is_kept_however_old():
    old = dt.datetime(2020, 1, 1)
    assert archives_to_keep([old], today=TODAY, keep_daily=7, keep_monthly=3) == {old}


def test_prune_deletes_only_our_archives_past_the_rule(tmp_path, settings):
    settings.BACKUP_KEEP_DAILY, settings.BACKUP_KEEP_MONTHLY = 2, 1
    names = ["verfuegungsfonds-20261125T023000Z.tar.gz", "verfuegungsfonds-20261124T023000Z.tar.gz",
             "verfuegungsfonds-20261123T023000Z.tar.gz", "verfuegungsfonds-20261001T023000Z.tar.gz",
             "notes.txt", "verfuegungsfonds-20261001T023000Z.tar.gz.partial"]  # fmt: skip
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    deleted = backups_prune(directory=tmp_path, today=TODAY)
    assert sorted(path.name for path in deleted) == [names[3], names[2]]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(set(names) - {names[2], names[3]})
