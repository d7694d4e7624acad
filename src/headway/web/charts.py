"""Geometry of small server-rendered SVG charts. Pure: numbers in, coordinates out.

Templates draw the shapes; keeping the arithmetic here makes it testable and keeps the
templates free of maths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar: its box, its value, its label, and where to write them."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    centre: float  # x of the bar's middle, for the value and label text
    value_y: float  # baseline of the value written just above the bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    baseline: float  # y of the axis line
    label_y: float  # baseline of the labels under the axis
    bars: list[Bar]
    maximum: int
    total: int


def bar_chart(
    values: Sequence[int],
    labels: Sequence[str],
    *,
    width: int = 480,
    height: int = 160,
    gap: float = 4,
    top: float = 18,
    bottom: float = 22,
) -> BarChart:
    """Bars for `values`, scaled so the largest fills the plot; zero draws nothing.

    `top` leaves room for the value written above each bar, `bottom` for the labels.
    """
    if len(values) != len(labels):
        raise ValueError("values and labels must have the same length")
    maximum = max(values, default=0)
    plot = height - top - bottom
    slot = width / len(values) if values else width
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        bar_height = round(plot * value / maximum, 1) if maximum else 0.0
        x = round(index * slot + gap / 2, 1)
        bars.append(
            Bar(
                x=x,
                y=round(top + plot - bar_height, 1),
                width=round(max(slot - gap, 1), 1),
                height=bar_height,
                value=value,
                label=label,
                centre=round(index * slot + slot / 2, 1),
                value_y=round(top + plot - bar_height - 4, 1),
            )
        )
    return BarChart(
        width=width,
        height=height,
        baseline=top + plot,
        label_y=height - 6,
        bars=bars,
        maximum=maximum,
        total=sum(values),
    )
