"""Every input rule of the forecasting functions refuses bad input with a field and a sentence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from headway.forecasting import (
    ForecastInputError,
    backtest,
    forecast_effort,
    forecast_how_many,
    forecast_when,
    pert_mean,
    recent_weeks,
    sample_pert,
    weekly_throughput,
)

MONDAY = date(2025, 1, 6)
HISTORY = [3, 5, 4, 6]


def refused(call: Callable[[], object], field: str) -> bool:
    """Run `call`, expecting it to refuse the input named `field` with a full sentence."""
    with pytest.raises(ForecastInputError) as caught:
        call()
    assert caught.value.message[0].isupper() and caught.value.message.endswith("."), caught.value
    return caught.value.field == field


def when(**changes: object) -> Callable[[], object]:
    """A `forecast_when` call with valid arguments except `changes`."""
    arguments: dict[str, object] = {
        "throughput": HISTORY,
        "remaining": 10,
        "start_date": MONDAY,
        "trials": 100,
    }
    arguments.update(changes)
    return lambda: forecast_when(**arguments)  # type: ignore[arg-type]


def how_many(**changes: object) -> Callable[[], object]:
    """A `forecast_how_many` call with valid arguments except `changes`."""
    arguments: dict[str, object] = {"throughput": HISTORY, "weeks": 4, "trials": 100}
    arguments.update(changes)
    return lambda: forecast_how_many(**arguments)  # type: ignore[arg-type]


def effort(**changes: object) -> Callable[[], object]:
    """A `forecast_effort` call with valid arguments except `changes`."""
    arguments: dict[str, object] = {
        "estimates": [(1, 2, 3)],
        "capacity_per_week": 2,
        "start_date": MONDAY,
        "trials": 100,
    }
    arguments.update(changes)
    return lambda: forecast_effort(**arguments)  # type: ignore[arg-type]


# --- throughput history ------------------------------------------------------------------


def test_an_empty_history_is_refused() -> None:
    assert refused(how_many(throughput=[]), "throughput")


def test_an_all_zero_history_is_refused() -> None:
    assert refused(when(throughput=[0, 0, 0]), "throughput")


def test_a_history_whose_window_is_all_zero_is_refused() -> None:
    assert refused(how_many(throughput=[9, 9] + [0] * 26), "throughput")


def test_a_negative_week_is_refused() -> None:
    assert refused(how_many(throughput=[3, -1, 4]), "throughput")


def test_a_fractional_week_is_refused() -> None:
    assert refused(how_many(throughput=[3, 1.5, 4]), "throughput")


def test_a_history_that_is_not_a_list_is_refused() -> None:
    assert refused(how_many(throughput="3,4,5"), "throughput")


def test_a_history_of_more_than_fifty_years_is_refused() -> None:
    assert refused(how_many(throughput=[1] * 2_601), "throughput")


def test_an_absurd_weekly_count_is_refused() -> None:
    assert refused(how_many(throughput=[1, 2_000_000]), "throughput")


def test_a_boolean_week_is_refused() -> None:
    assert refused(how_many(throughput=[3, True]), "throughput")


# --- sizes ---------------------------------------------------------------------------------


def test_negative_remaining_is_refused() -> None:
    assert refused(when(remaining=-1), "remaining")


def test_fractional_remaining_is_refused() -> None:
    assert refused(when(remaining=2.5), "remaining")


def test_absurd_remaining_is_refused() -> None:
    assert refused(when(remaining=1_000_001), "remaining")


def test_zero_trials_are_refused() -> None:
    assert refused(how_many(trials=0), "trials")


def test_more_than_a_hundred_thousand_trials_are_refused() -> None:
    assert refused(when(trials=100_001), "trials")


def test_zero_weeks_are_refused() -> None:
    assert refused(how_many(weeks=0), "weeks")


def test_more_than_ten_years_of_weeks_are_refused() -> None:
    assert refused(how_many(weeks=521), "weeks")


def test_a_zero_window_is_refused() -> None:
    assert refused(how_many(window=0), "window")


def test_a_negative_seed_is_refused() -> None:
    assert refused(how_many(seed=-1), "seed")


# --- levels, dates, options -----------------------------------------------------------------


def test_no_percentiles_are_refused() -> None:
    assert refused(how_many(percentiles=[]), "percentiles")


def test_a_percentile_of_100_is_refused() -> None:
    assert refused(when(percentiles=[50, 100]), "percentiles")


def test_a_percentile_of_0_is_refused() -> None:
    assert refused(how_many(percentiles=[0]), "percentiles")


def test_a_start_date_that_is_not_a_date_is_refused() -> None:
    assert refused(when(start_date="2025-01-06"), "start_date")


def test_a_target_date_that_is_not_a_date_is_refused() -> None:
    assert refused(when(target_date="soon"), "target_date")


def test_an_unknown_method_is_refused() -> None:
    assert refused(how_many(method="magic"), "method")


def test_a_calendar_month_13_is_refused() -> None:
    assert refused(when(calendar={13: 0.5}), "calendar")


def test_a_negative_calendar_multiplier_is_refused() -> None:
    assert refused(when(calendar={12: -0.5}), "calendar")


def test_an_absurd_calendar_multiplier_is_refused() -> None:
    assert refused(when(calendar={12: 50}), "calendar")


def test_calendar_multipliers_without_a_start_date_are_refused() -> None:
    assert refused(how_many(calendar={12: 0.5}), "start_date")


def test_negative_scope_growth_is_refused() -> None:
    assert refused(when(scope_growth=-1.0), "scope_growth")


def test_a_scope_growth_history_with_a_negative_week_is_refused() -> None:
    assert refused(when(scope_growth=[1, -2]), "scope_growth")


def test_infinite_scope_growth_is_refused() -> None:
    assert refused(when(scope_growth=float("inf")), "scope_growth")


# --- history, estimates, backtests ----------------------------------------------------------


def test_a_throughput_range_ending_before_it_starts_is_refused() -> None:
    assert refused(lambda: weekly_throughput([], date(2025, 2, 1), date(2025, 1, 1)), "end")


def test_done_times_that_are_not_dates_are_refused() -> None:
    assert refused(lambda: weekly_throughput(["x"], MONDAY, MONDAY), "done")  # type: ignore[list-item]


def test_a_recent_window_of_zero_weeks_is_refused() -> None:
    assert refused(lambda: recent_weeks([1, 2], 0), "window")


def test_a_likely_estimate_below_the_optimistic_one_is_refused() -> None:
    assert refused(lambda: pert_mean(3, 2, 5), "estimate.likely")


def test_a_pessimistic_estimate_below_the_likely_one_is_refused() -> None:
    assert refused(lambda: pert_mean(1, 4, 3), "estimate.pessimistic")


def test_a_negative_estimate_is_refused() -> None:
    assert refused(lambda: pert_mean(-1, 2, 3), "estimate.optimistic")


def test_a_nan_estimate_is_refused() -> None:
    assert refused(lambda: pert_mean(1, float("nan"), 3), "estimate.likely")


def test_sampling_an_unordered_estimate_is_refused() -> None:
    assert refused(lambda: sample_pert([1, 5], [2, 4], [3, 6], 10, None), "estimate.likely")  # type: ignore[arg-type]


def test_no_estimates_are_refused() -> None:
    assert refused(effort(estimates=[]), "estimates")


def test_an_estimate_that_is_not_a_triple_is_refused() -> None:
    assert refused(effort(estimates=[(1, 2)]), "estimates[0]")


def test_an_unordered_estimate_in_a_list_names_its_position() -> None:
    assert refused(effort(estimates=[(1, 2, 3), (4, 2, 5)]), "estimates[1].likely")


def test_zero_capacity_is_refused() -> None:
    assert refused(effort(capacity_per_week=0), "capacity_per_week")


def test_a_backtest_of_a_too_short_history_is_refused() -> None:
    assert refused(lambda: backtest([1, 2, 3], horizon=4, window=2), "throughput")


def test_a_backtest_with_a_zero_horizon_is_refused() -> None:
    assert refused(lambda: backtest([1] * 30, horizon=0), "horizon")
