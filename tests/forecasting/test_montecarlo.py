"""Monte Carlo "when" and "how many" forecasts: properties, definitions and options."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from headway.forecasting import forecast_how_many, forecast_when
from headway.forecasting.calibration import MIN_CHECKED
from headway.forecasting.montecarlo import HowManyForecast, Method, WhenForecast

MONDAY = date(2025, 1, 6)
METHODS: st.SearchStrategy[Method] = st.sampled_from(["calibrated", "plain"])
HISTORIES = st.lists(st.integers(0, 30), min_size=1, max_size=40).filter(lambda h: any(h[-26:]))


def spread(histogram: dict[int, int], beyond: int = 0, unfinished: int = 0) -> float:
    """Standard deviation of the trials in `histogram`, plus `unfinished` trials at `beyond`."""
    values = np.repeat(list(histogram) + [beyond], list(histogram.values()) + [unfinished])
    return float(values.std())


def date_spread(forecast: WhenForecast) -> float:
    """Spread of completion weeks, counting trials never done as done just after the horizon."""
    return spread(forecast.histogram, forecast.horizon_weeks + 1, forecast.unfinished_trials)


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(HISTORIES, st.integers(0, 300), METHODS, st.integers(0, 2**32))
def test_when_percentiles_are_ordered(
    history: list[int], remaining: int, method: Method, seed: int
) -> None:
    forecast = forecast_when(
        history,
        remaining,
        start_date=MONDAY,
        trials=500,
        seed=seed,
        method=method,
    )
    weeks = [forecast.weeks[key] for key in ("50", "85", "95")]
    finite = [week for week in weeks if week is not None]
    assert finite == sorted(finite)
    # Once a level is beyond the horizon, the higher levels are too.
    assert weeks[len(finite) :] == [None] * (3 - len(finite))
    dates = [day for day in forecast.dates.values() if day is not None]
    assert dates == sorted(dates)


@settings(max_examples=60, deadline=None)
@given(HISTORIES, st.integers(1, 30), METHODS, st.integers(0, 2**32))
def test_how_many_percentiles_are_ordered(
    history: list[int], weeks: int, method: Method, seed: int
) -> None:
    forecast = forecast_how_many(history, weeks, trials=500, seed=seed, method=method)
    assert forecast.items["50"] >= forecast.items["85"] >= forecast.items["95"] >= 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=2, max_size=6), st.integers(0, 2**32))
def test_more_history_at_the_same_rate_narrows_the_spread(pattern: list[int], seed: int) -> None:
    assume(len(set(pattern)) > 1)
    short, long = pattern, pattern * 3
    # Both stay below the length at which the self-check starts widening forecasts, so the
    # comparison isolates what more history of the same rate teaches: the rate itself.
    assert len(long) < 8 + 8 + MIN_CHECKED - 1
    narrow = forecast_how_many(long, 8, trials=4_000, seed=seed)
    wide = forecast_how_many(short, 8, trials=4_000, seed=seed)
    assert spread(narrow.histogram) < spread(wide.histogram)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 20), min_size=2, max_size=6), st.integers(0, 2**32))
def test_more_history_at_the_same_rate_narrows_the_completion_dates(
    pattern: list[int], seed: int
) -> None:
    assume(len(set(pattern)) > 1)
    # A backlog of about 100 weeks of work, so the dates spread over many whole weeks and the
    # comparison is not decided by how a narrow spread happens to straddle a week boundary.
    remaining = 100 * sum(pattern) // len(pattern)
    narrow = forecast_when(pattern * 3, remaining, start_date=MONDAY, trials=4_000, seed=seed)
    wide = forecast_when(pattern, remaining, start_date=MONDAY, trials=4_000, seed=seed)
    assert date_spread(narrow) < date_spread(wide)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 20), st.integers(1, 60), st.integers(0, 500), METHODS, st.integers(0, 2**32))
def test_a_zero_variance_history_gives_a_deterministic_answer(
    pace: int, length: int, remaining: int, method: Method, seed: int
) -> None:
    history = [pace] * length
    how_many = forecast_how_many(history, 6, trials=300, seed=seed, method=method)
    assert set(how_many.items.values()) == {6 * pace}
    assert how_many.histogram == {6 * pace: 300}
    when = forecast_when(
        history, remaining, start_date=MONDAY, trials=300, seed=seed, method=method
    )
    assert set(when.weeks.values()) == {-(-remaining // pace)}
    assert len(when.histogram) == 1


@settings(max_examples=30, deadline=None)
@given(HISTORIES, st.integers(1, 200), st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_forecast(
    history: list[int], remaining: int, seed: int
) -> None:
    def run() -> tuple[WhenForecast, HowManyForecast]:
        return (
            forecast_when(history, remaining, start_date=MONDAY, trials=300, seed=seed),
            forecast_how_many(history, 5, trials=300, seed=seed),
        )

    assert run() == run()


# --- definitions -------------------------------------------------------------------------------


def test_the_85_percent_count_is_reached_by_at_least_85_percent_of_trials() -> None:
    forecast = forecast_how_many([2, 9, 4, 0, 7, 5, 3, 8], 6, trials=10_000, seed=7)
    counts = np.repeat(list(forecast.histogram), list(forecast.histogram.values()))
    figure = forecast.items["85"]
    assert np.mean(counts >= figure) >= 0.85
    # ...and it is the largest such count: the 15th percentile of the simulated counts.
    assert np.mean(counts >= figure + 1) < 0.85


def test_the_85_percent_date_is_the_earliest_week_85_percent_of_trials_are_done_by() -> None:
    forecast = forecast_when([2, 9, 4, 0, 7, 5, 3, 8], 60, start_date=MONDAY, trials=10_000, seed=7)
    weeks = np.repeat(list(forecast.histogram), list(forecast.histogram.values()))
    figure = forecast.weeks["85"]
    assert figure is not None
    assert np.mean(weeks <= figure) >= 0.85 > np.mean(weeks <= figure - 1)


def test_a_date_is_the_last_day_of_its_week() -> None:
    forecast = forecast_when([5], 10, start_date=MONDAY, trials=10, seed=1)
    assert (forecast.weeks["50"], forecast.dates["50"]) == (2, date(2025, 1, 19))


def test_nothing_remaining_is_done_on_the_start_date() -> None:
    forecast = forecast_when([5, 3], 0, start_date=MONDAY, target_date=MONDAY, trials=10)
    assert (forecast.weeks["95"], forecast.dates["95"], forecast.probability_by) == (0, MONDAY, 1.0)


def test_the_probability_by_the_85_percent_date_is_at_least_85_percent() -> None:
    first = forecast_when([1, 6, 3, 0, 4, 5], 40, start_date=MONDAY, trials=5_000, seed=3)
    target = first.dates["85"]
    again = forecast_when(
        [1, 6, 3, 0, 4, 5], 40, start_date=MONDAY, trials=5_000, seed=3, target_date=target
    )
    assert again.probability_by is not None and again.probability_by >= 0.85


def test_a_target_date_before_the_start_has_no_chance() -> None:
    forecast = forecast_when([5], 10, start_date=MONDAY, target_date=MONDAY - timedelta(days=1))
    assert forecast.probability_by == 0.0


def test_a_forecast_is_json_friendly() -> None:
    when = forecast_when([3, 4, 0, 6] * 8, 30, start_date=MONDAY, target_date=MONDAY, trials=200)
    how_many = forecast_how_many([3, 4, 0, 6] * 8, 4, trials=200)
    text = json.dumps([when.as_json(), how_many.as_json()])
    assert '"dates": {"50": "2025-' in text and '"items": {"50": ' in text


# --- options -----------------------------------------------------------------------------------


def test_the_window_uses_only_recent_weeks() -> None:
    forecast = forecast_how_many([50] * 20 + [2] * 4, 4, window=4, trials=200, seed=1)
    assert forecast.items["50"] == 8


def test_scope_growth_delays_completion() -> None:
    fixed = forecast_when([5] * 8, 100, start_date=MONDAY, trials=2_000, seed=1)
    growing = forecast_when([5] * 8, 100, start_date=MONDAY, trials=2_000, seed=1, scope_growth=1.0)
    assert fixed.weeks["50"] == 20
    assert growing.weeks["50"] is not None and 23 <= growing.weeks["50"] <= 27


def test_scope_growth_can_be_a_history_of_added_items() -> None:
    forecast = forecast_when(
        [6] * 8, 60, start_date=MONDAY, trials=200, seed=1, scope_growth=[2, 2, 2]
    )
    assert forecast.weeks["50"] == 15


def test_scope_growing_as_fast_as_work_is_done_never_finishes_and_says_so() -> None:
    forecast = forecast_when([5] * 8, 10, start_date=MONDAY, trials=300, seed=1, scope_growth=[5])
    assert forecast.weeks == {"50": None, "85": None, "95": None}
    assert forecast.unfinished_trials == 300 and forecast.horizon_weeks == 520


def test_a_slow_december_slows_how_many() -> None:
    forecast = forecast_how_many(
        [10] * 8, 4, start_date=date(2025, 12, 1), calendar={12: 0.5}, trials=100
    )
    assert forecast.items["50"] == 20


def test_a_slow_december_delays_when() -> None:
    usual = forecast_when([10] * 8, 80, start_date=date(2025, 11, 3), trials=100)
    slow = forecast_when(
        [10] * 8,
        80,
        start_date=date(2025, 11, 3),
        trials=100,
        calendar={"12": 0.5},  # type: ignore[dict-item]  # as it arrives from JSON
    )
    assert (usual.weeks["50"], slow.weeks["50"]) == (8, 10)


def test_the_default_method_widens_a_forecast_when_past_forecasts_missed() -> None:
    # Throughput that keeps falling: every past forecast was too optimistic.
    falling = [max(0, 40 - week // 2) for week in range(70)]
    plain = forecast_how_many(falling, 4, trials=2_000, seed=1, method="plain")
    calibrated = forecast_how_many(falling, 4, trials=2_000, seed=1)
    assert calibrated.calibration is not None
    assert calibrated.calibration.widening_low > 1
    assert calibrated.calibration.hit_rate_before is not None
    assert calibrated.items["85"] < plain.items["85"]
    assert "widened" in calibrated.calibration.note


def test_a_short_history_is_not_checked_and_the_result_says_so() -> None:
    forecast = forecast_how_many([3, 5, 4, 6, 2], 4, trials=200, seed=1)
    assert forecast.calibration is not None
    assert forecast.calibration.widening_low == 1.0
    assert forecast.calibration.note.startswith("Not enough history")


def test_the_plain_method_reports_no_calibration() -> None:
    forecast = forecast_how_many([3, 5, 4, 6, 2] * 10, 4, trials=200, seed=1, method="plain")
    assert forecast.calibration is None and forecast.method == "plain"


def test_a_hopeless_forecast_returns_quickly_instead_of_hanging() -> None:
    started = time.perf_counter()
    forecast = forecast_when([0] * 25 + [1], 1_000_000, start_date=MONDAY, trials=20_000, seed=1)
    assert forecast.unfinished_trials == 20_000
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("method", ["calibrated", "plain"])
def test_ten_thousand_trials_for_a_thousand_items_take_well_under_a_second(method: Method) -> None:
    history = list(np.random.default_rng(3).poisson(8, size=104))
    started = time.perf_counter()
    forecast_when(history, 1_000, start_date=MONDAY, seed=1, method=method)
    # The benchmark holds the real target (100 ms); this bound only catches a regression to
    # loop-per-trial speed on a busy test machine.
    assert time.perf_counter() - started < 1
