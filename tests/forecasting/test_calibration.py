"""The self-check: replaying past forecasts and widening by their errors."""

from __future__ import annotations

import numpy as np
import pytest

from headway.forecasting.calibration import (
    CHECK_ORIGINS,
    MIN_CHECKED,
    Calibration,
    self_check,
    widen,
)


def check(history: list[int], horizon: int = 4, window: int | None = 26) -> Calibration:
    return self_check(
        np.asarray(history, dtype=np.int64),
        window=window,
        horizon=horizon,
        rng=np.random.default_rng(5),
    )


def test_a_steady_history_needs_no_widening() -> None:
    calibration = check([7] * 80)
    assert (calibration.widening_low, calibration.widening_high) == (1.0, 1.0)
    assert calibration.hit_rate_before == 1.0


def test_a_falling_history_widens_the_pessimistic_side() -> None:
    calibration = check([max(1, 60 - week) for week in range(60)])
    assert calibration.widening_low > 1.5
    assert calibration.hit_rate_before is not None and calibration.hit_rate_before < 0.5


def test_a_rising_history_widens_the_optimistic_side() -> None:
    calibration = check([5 + week for week in range(60)])
    assert calibration.widening_high > 1.5


def test_at_most_a_year_of_past_forecasts_is_replayed() -> None:
    assert check([3, 8, 1, 6] * 40).checked_forecasts == CHECK_ORIGINS


def test_a_history_too_short_to_check_is_left_alone() -> None:
    calibration = check([3, 8, 1, 6, 2, 5] * 3)
    assert calibration.checked_forecasts < MIN_CHECKED
    assert (calibration.widening_low, calibration.hit_rate_before) == (1.0, None)


def test_weeks_whose_window_had_no_work_are_not_replayed() -> None:
    # Work starts in week 40; origins 41 to 56 (the last with 4 weeks of outcome) are replayed.
    assert check([0] * 40 + [3, 4] * 10, window=8).checked_forecasts == 16


def test_long_horizons_reuse_the_longest_checked_horizon() -> None:
    assert check([3, 8, 1, 6] * 40, horizon=200).horizon_weeks == 26


def test_widening_moves_values_away_from_the_median_by_side() -> None:
    values = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert widen(values, 2.0, 3.0).tolist() == [-1.0, 1.0, 3.0, 6.0, 9.0]


def test_widening_keeps_unfinished_trials_unfinished() -> None:
    values = np.array([1.0, 2.0, 3.0, np.inf])
    assert widen(values, 1.0, 2.0)[-1] == np.inf


def test_the_note_reports_the_past_hit_rate_and_the_factor() -> None:
    note = Calibration(52, 8, 0.74, 1.4, 1.1).note
    assert note == (
        "Of 52 past 8-week forecasts, 74 % met their 85 % figure; "
        "the pessimistic side was widened by 1.40x."
    )


@pytest.mark.parametrize("horizon", [4, 8])
def test_a_stationary_history_is_rarely_widened_much(horizon: int) -> None:
    rng = np.random.default_rng(11)
    factors = [
        self_check(rng.poisson(8, size=104), window=26, horizon=horizon, rng=rng).widening_low
        for _ in range(40)
    ]
    # Noise in a year of overlapping outcomes widens some forecasts; most stay near 1.
    assert float(np.median(factors)) < 1.35
