from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from headway.strategy.progress import goal_progress, progress


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    assert progress(1200, 3000, 1850) == 36.1


def test_a_metric_that_must_fall_progresses_as_it_falls() -> None:
    # Security review time: from 20 days down to 5, now 12.
    assert progress(20, 5, 12) == 53.3


def test_a_falling_metric_that_rose_has_made_no_progress() -> None:
    assert progress(20, 5, 25) == 0.0


def test_progress_is_clamped_at_one_hundred_past_the_target() -> None:
    assert progress(10, 20, 35) == 100.0
    assert progress(20, 5, 1) == 100.0


def test_progress_is_clamped_at_zero_behind_the_baseline() -> None:
    assert progress(10, 20, 4) == 0.0


def test_negative_values_work() -> None:
    assert progress(-10, 10, 0) == 50.0


def test_reaching_the_target_exactly_is_one_hundred_percent() -> None:
    assert progress(4.2, 2.5, 2.5) == 100.0


@pytest.mark.parametrize(
    ("baseline", "target", "current"),
    [(None, 10, 5), (0, None, 5), (0, 10, None), (None, None, None)],
)
def test_progress_is_unknown_while_a_figure_is_missing(
    baseline: float | None, target: float | None, current: float | None
) -> None:
    assert progress(baseline, target, current) is None


def test_a_target_equal_to_the_baseline_has_no_progress_rather_than_dividing_by_zero() -> None:
    assert progress(5, 5, 7) is None


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite, finite, finite)
def test_progress_is_always_between_zero_and_one_hundred(
    baseline: float, target: float, current: float
) -> None:
    result = progress(baseline, target, current)
    assert result is None or 0.0 <= result <= 100.0


@given(finite, finite)
def test_standing_at_the_baseline_is_zero_and_at_the_target_is_one_hundred(
    baseline: float, target: float
) -> None:
    assume(baseline != target)
    assert progress(baseline, target, baseline) == 0.0
    assert progress(baseline, target, target) == 100.0


def test_goal_progress_is_the_mean_of_the_measurable_key_results() -> None:
    assert goal_progress([36.1, 36.0, None]) == 36.0


def test_goal_progress_is_unknown_without_a_measurable_key_result() -> None:
    assert goal_progress([None, None]) is None
    assert goal_progress([]) is None
