"""The vectorized samplers behind the forecasts."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from headway.forecasting.sampling import (
    BATCH_CELLS,
    PoissonTable,
    WeekSource,
    batch_sizes,
    draw_indices,
    simulate_completion,
    simulate_totals,
    week_multipliers,
)


def test_indices_cover_every_value_below_the_bound_and_nothing_else() -> None:
    drawn = draw_indices(np.random.default_rng(1), 26, (10_000,))
    assert set(drawn.tolist()) == set(range(26))


def test_large_bounds_are_drawn_without_overflow() -> None:
    drawn = draw_indices(np.random.default_rng(1), 2_600, (50_000,))
    assert drawn.min() == 0 and drawn.max() == 2_599


def test_indices_are_uniform() -> None:
    drawn = draw_indices(np.random.default_rng(2), 5, (100_000,))
    assert np.bincount(drawn) / drawn.size == pytest.approx([0.2] * 5, abs=0.01)


def test_a_resampled_history_keeps_the_pace_on_average() -> None:
    source = WeekSource(np.array([0, 4, 8], dtype=np.int32), "resampled")
    totals = simulate_totals(np.random.default_rng(1), source, 20_000, 10, None)
    # Whole items only: each trial's scaled total is rounded down, losing half an item on average.
    assert totals.mean() == pytest.approx(39.5, rel=0.02)


def test_resampling_the_pace_widens_the_spread_of_a_short_window() -> None:
    history = np.array([0, 4, 8], dtype=np.int32)
    plain = simulate_totals(
        np.random.default_rng(1), WeekSource(history, "plain"), 20_000, 10, None
    )
    resampled = simulate_totals(
        np.random.default_rng(1), WeekSource(history, "resampled"), 20_000, 10, None
    )
    assert resampled.std() > 1.3 * plain.std()


def test_two_weeks_per_draw_give_the_same_totals_as_one_week_per_draw() -> None:
    history = np.array([0, 1, 5, 9, 2], dtype=np.int32)
    paired = simulate_totals(
        np.random.default_rng(1), WeekSource(history, "plain"), 40_000, 6, None
    )
    single = simulate_totals(
        np.random.default_rng(1), WeekSource(history, "plain"), 40_000, 6, np.ones(6)
    )
    assert paired.mean() == pytest.approx(single.mean(), rel=0.01)
    assert paired.std() == pytest.approx(single.std(), rel=0.02)


def test_completion_weeks_do_not_depend_on_drawing_two_weeks_at_once() -> None:
    history = np.array([0, 3, 7, 1], dtype=np.int32)
    source = WeekSource(history, "plain")
    paired = simulate_completion(
        np.random.default_rng(2),
        source,
        remaining=20,
        trials=40_000,
        horizon=52,
        multipliers=None,
        growth=None,
    )
    weekly = simulate_completion(
        np.random.default_rng(2),
        source,
        remaining=20,
        trials=40_000,
        horizon=52,
        multipliers=np.ones(52),
        growth=None,
    )
    assert np.bincount(np.ceil(paired).astype(int), minlength=40) / 40_000 == pytest.approx(
        np.bincount(np.ceil(weekly).astype(int), minlength=40) / 40_000, abs=0.01
    )


def test_a_window_too_long_to_pair_draws_one_week_at_a_time() -> None:
    history = np.arange(300, dtype=np.int32) % 7
    source = WeekSource(history, "plain")
    assert source.pairs is None
    weeks = simulate_completion(
        np.random.default_rng(1),
        source,
        remaining=30,
        trials=1_000,
        horizon=52,
        multipliers=None,
        growth=None,
    )
    assert np.isfinite(weeks).all() and 5 < weeks.mean() < 15


def test_completion_is_fractional_within_the_week() -> None:
    source = WeekSource(np.array([4], dtype=np.int32), "plain")
    # 4 + 4 reach 8 at the end of week 2; 2 of the 4 items of week 3 finish the backlog of 10.
    weeks = simulate_completion(
        np.random.default_rng(1),
        source,
        remaining=10,
        trials=3,
        horizon=52,
        multipliers=None,
        growth=None,
    )
    assert weeks.tolist() == [2.5, 2.5, 2.5]


def test_completion_continues_past_the_first_chunk() -> None:
    source = WeekSource(np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 40], dtype=np.int32), "plain")
    weeks = simulate_completion(
        np.random.default_rng(1),
        source,
        remaining=400,
        trials=2_000,
        horizon=520,
        multipliers=None,
        growth=None,
    )
    assert np.isfinite(weeks).all() and weeks.max() > 150


def test_a_week_takes_the_multiplier_of_the_month_holding_most_of_its_days() -> None:
    factors = week_multipliers(date(2025, 11, 24), 3, {12: 0.5})
    # 24-30 Nov is November; 1-7 Dec and 8-14 Dec are December.
    assert factors is not None and factors.tolist() == [1.0, 0.5, 0.5]


def test_batches_bound_memory_and_cover_every_trial() -> None:
    sizes = batch_sizes(100_000, 2_600)
    assert sum(sizes) == 100_000 and max(sizes) * 2_600 <= BATCH_CELLS


@pytest.mark.parametrize("rate", [0.3, 4.0, 60.0])
def test_tabulated_poisson_draws_have_poisson_chances(rate: float) -> None:
    drawn = PoissonTable.of(rate).draw(np.random.default_rng(3), (200_000,))
    counts = np.arange(int(rate * 3) + 5)
    chances = np.exp(
        -rate + counts * math.log(rate) - np.array([math.lgamma(k + 1) for k in counts])
    )
    observed = np.bincount(drawn, minlength=counts.size)[: counts.size] / drawn.size
    assert observed == pytest.approx(chances, abs=0.004)
    assert drawn.mean() == pytest.approx(rate, rel=0.01)
