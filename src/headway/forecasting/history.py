"""Weekly throughput: how many items were finished in each calendar week.

Weeks start on Monday. Weeks in which nothing was finished count as zero: leaving them out would
make a team look faster and steadier than it is, and every forecast would inherit that optimism.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from headway.forecasting.validation import (
    MAX_HISTORY_WEEKS,
    ForecastInputError,
    check_date,
    check_weekly_counts,
    check_window,
)


def week_start(day: date | datetime) -> date:
    """Return the Monday of the week that contains `day`."""
    plain = day.date() if isinstance(day, datetime) else day
    return plain - timedelta(days=plain.weekday())


def weekly_throughput(done: Iterable[date | datetime], start: date, end: date) -> list[int]:
    """Count finished items per week, from the week of `start` to the week of `end` inclusive.

    `done` holds the times items were finished (or, for scope growth, the times items were
    added); those outside the range are ignored. A datetime counts on its own calendar day, so
    convert aware datetimes to the workspace's time zone first.
    """
    first = week_start(check_date(start, "start"))
    last = week_start(check_date(end, "end"))
    if last < first:
        raise ForecastInputError("end", "The end date must not be before the start date.")
    weeks = (last - first).days // 7 + 1
    if weeks > MAX_HISTORY_WEEKS:
        raise ForecastInputError("end", f"The range may span at most {MAX_HISTORY_WEEKS:,} weeks.")
    counts: Counter[int] = Counter()
    for moment in done:
        if not isinstance(moment, date):
            raise ForecastInputError("done", "The done times must all be dates or datetimes.")
        index = (week_start(moment) - first).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
    return [counts[index] for index in range(weeks)]


def recent_weeks(throughput: Sequence[int], window: int | None) -> list[int]:
    """Return the last `window` weeks of `throughput` (all of it when `window` is None).

    Throughput drifts, so recent weeks say more about the coming ones than old weeks do.
    """
    counts = check_weekly_counts(throughput, "throughput")
    size = check_window(window)
    if size is None:
        return counts
    return counts[-size:]
