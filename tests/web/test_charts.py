from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from headway.web.charts import bar_chart


def test_the_largest_bar_fills_the_plot_and_others_scale() -> None:
    chart = bar_chart([2, 4, 0], ["a", "b", "c"], width=300, height=140, top=20, bottom=20)
    heights = [bar.height for bar in chart.bars]
    assert heights == [50.0, 100.0, 0.0]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert (chart.maximum, chart.total) == (4, 6)


def test_bars_sit_side_by_side_within_the_width() -> None:
    chart = bar_chart([1] * 12, [str(n) for n in range(12)], width=480, gap=4)
    assert chart.bars[0].x == 2.0
    assert chart.bars[-1].x + chart.bars[-1].width <= 480
    assert [bar.centre for bar in chart.bars][:2] == [20.0, 60.0]


def test_all_zero_draws_no_bars_and_does_not_divide_by_zero() -> None:
    chart = bar_chart([0, 0], ["a", "b"])
    assert [bar.height for bar in chart.bars] == [0.0, 0.0]


def test_values_and_labels_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        bar_chart([1, 2], ["a"])


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=52))
def test_bars_never_leave_the_plot(values: list[int]) -> None:
    chart = bar_chart(values, ["x"] * len(values))
    for bar in chart.bars:
        assert 0 <= bar.height <= chart.baseline
        assert bar.y >= 0
