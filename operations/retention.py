"""Which backups to keep: a pure rule over the archives' creation times."""

import datetime as dt


def _months_back(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def archives_to_keep(created: list[dt.datetime], *, today: dt.date, keep_daily: int, keep_monthly: int) -> set:
    """The newest archive of each of the last `keep_daily` days and of each of the last
    `keep_monthly` months (today and this month included), and always the newest of all."""
    newest_of_day, newest_of_month = {}, {}
    for moment in sorted(created):  # oldest first, so the newest of a day or month wins
        newest_of_day[moment.date()] = moment
        newest_of_month[(moment.year, moment.month)] = moment
    first_day = today - dt.timedelta(days=keep_daily - 1)
    first_month = _months_back(today, keep_monthly - 1)
    keep = {moment for day, moment in newest_of_day.items() if keep_daily and first_day <= day <= today}
    keep |= {moment for month, moment in newest_of_month.items() if keep_monthly and month >= first_month}
    if created:
        keep.add(max(created))
    return keep
