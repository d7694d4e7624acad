"""PERT mean and sigma, beta sampling, and estimate-based forecasts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.forecasting import (
    ThreePointEstimate,
    forecast_effort,
    pert_mean,
    pert_sigma,
    sample_pert,
)

MONDAY = date(2025, 1, 6)


def test_pert_mean_weights_the_likely_estimate_four_times() -> None:
    assert pert_mean(2, 4, 12) == pytest.approx((2 + 16 + 12) / 6)


def test_pert_sigma_is_a_sixth_of_the_range() -> None:
    assert pert_sigma(2, 4, 12) == pytest.approx(10 / 6)


def test_an_estimate_knows_its_own_mean_and_sigma() -> None:
    estimate = ThreePointEstimate(1, 2, 9)
    assert estimate.mean == pytest.approx(3.0)
    assert estimate.sigma == pytest.approx(4 / 3)


def test_a_certain_estimate_has_no_spread() -> None:
    assert (pert_mean(5, 5, 5), pert_sigma(5, 5, 5)) == (5, 0)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0, 100),
    st.floats(0, 1),
    st.floats(0, 100),
    st.integers(0, 2**32),
)
def test_samples_stay_within_the_estimate_and_average_to_the_pert_mean(
    low: float, share: float, width: float, seed: int
) -> None:
    high = low + width
    likely = low + share * width
    samples = sample_pert(low, likely, high, 20_000, np.random.default_rng(seed))
    assert samples.min() >= low and samples.max() <= high
    assert samples.mean() == pytest.approx(pert_mean(low, likely, high), abs=0.02 * width + 1e-9)


def test_sampling_is_vectorized_over_items_and_trials() -> None:
    samples = sample_pert([1, 10], [2, 20], [3, 40], (5_000, 2), np.random.default_rng(1))
    assert samples.shape == (5_000, 2)
    assert samples.mean(axis=0) == pytest.approx([2.0, 65 / 3], rel=0.02)


def test_a_zero_width_estimate_always_samples_its_value() -> None:
    samples = sample_pert([4, 1], [4, 2], [4, 3], (100, 2), np.random.default_rng(1))
    assert (samples[:, 0] == 4).all()


def test_certain_estimates_at_constant_capacity_finish_on_a_known_week() -> None:
    forecast = forecast_effort([(3, 3, 3), (4, 4, 4)], 2, start_date=MONDAY, trials=200, seed=1)
    assert forecast.weeks == {"50": 4, "85": 4, "95": 4}
    assert forecast.dates["85"] == date(2025, 2, 2)
    assert forecast.effort["85"] == pytest.approx(7)


def test_effort_forecast_percentiles_are_ordered() -> None:
    forecast = forecast_effort(
        [(1, 3, 10)] * 20, 12, start_date=MONDAY, trials=2_000, seed=3, target_date=MONDAY
    )
    assert forecast.effort["50"] <= forecast.effort["85"] <= forecast.effort["95"]
    assert forecast.weeks["50"] <= forecast.weeks["85"] <= forecast.weeks["95"]  # type: ignore[operator]
    assert forecast.mean_effort == pytest.approx(20 * (1 + 12 + 10) / 6)
    assert forecast.sigma_effort == pytest.approx((20 * (9 / 6) ** 2) ** 0.5)


def test_a_slow_month_delays_an_effort_forecast() -> None:
    estimates = [{"optimistic": 5, "likely": 5, "pessimistic": 5}] * 4
    usual = forecast_effort(estimates, 5, start_date=date(2025, 12, 1), trials=100, seed=1)
    slow = forecast_effort(
        estimates, 5, start_date=date(2025, 12, 1), trials=100, seed=1, calendar={12: 0.5}
    )
    # Four December weeks at half pace give 10 of the 20 units; January finishes it in two more.
    assert (usual.weeks["50"], slow.weeks["50"]) == (4, 6)


def test_the_probability_by_a_date_counts_trials_done_by_then() -> None:
    forecast = forecast_effort(
        [(0, 5, 10)], 1, start_date=MONDAY, trials=4_000, seed=2, target_date=date(2025, 2, 9)
    )
    # Five weeks of capacity 1 against a symmetric PERT(0, 5, 10): about half the trials.
    assert forecast.probability_by == pytest.approx(0.5, abs=0.03)
