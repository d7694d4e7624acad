"""Weekly throughput: Monday-aligned weeks, zero weeks kept, and recent windows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from headway.forecasting import recent_weeks, week_start, weekly_throughput


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2025, 1, 12)) == date(2025, 1, 6)
    assert week_start(date(2025, 1, 6)) == date(2025, 1, 6)


def test_weeks_with_nothing_done_count_as_zero() -> None:
    done = [date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 27)]
    assert weekly_throughput(done, date(2025, 1, 6), date(2025, 2, 2)) == [2, 0, 0, 1]


def test_the_range_covers_whole_weeks_from_the_start_week_to_the_end_week() -> None:
    done = [date(2025, 1, 6), date(2025, 1, 19), date(2025, 1, 20)]
    # Start on a Wednesday, end on a Tuesday: both partial weeks are counted whole, from the
    # Monday before the start to the Sunday after the end.
    assert weekly_throughput(done, date(2025, 1, 8), date(2025, 1, 14)) == [1, 1]


def test_datetimes_count_on_their_own_calendar_day() -> None:
    sunday_night = datetime(2025, 1, 12, 23, 59, tzinfo=UTC)
    monday_morning = datetime(2025, 1, 13, 0, 1, tzinfo=UTC)
    counts = weekly_throughput([sunday_night, monday_morning], date(2025, 1, 6), date(2025, 1, 13))
    assert counts == [1, 1]


def test_items_done_outside_the_range_are_ignored() -> None:
    done = [date(2024, 12, 31), date(2025, 1, 8), date(2025, 3, 1)]
    assert weekly_throughput(done, date(2025, 1, 6), date(2025, 1, 12)) == [1]


def test_a_range_with_nothing_done_is_all_zero_weeks() -> None:
    assert weekly_throughput([], date(2025, 1, 6), date(2025, 1, 26)) == [0, 0, 0]


def test_recent_weeks_keeps_the_last_weeks_of_the_window() -> None:
    assert recent_weeks([1, 2, 3, 4, 5], 3) == [3, 4, 5]


def test_recent_weeks_without_a_window_keeps_everything() -> None:
    assert recent_weeks([1, 2, 3], None) == [1, 2, 3]
