"""Three-point estimates (PERT) and the cut line: pure functions over plain numbers.

PERT mean = (O + 4M + P) ÷ 6 and σ = (P − O) ÷ 6 for an optimistic O ≤ most likely M ≤
pessimistic P. The cut line walks a ranked backlog and keeps the items whose cumulative size fits
in the capacity available before a date.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from headway.planning.scoring import ScoringInputError, format_number


@dataclass(frozen=True, slots=True)
class Pert:
    """A three-point estimate's mean and standard deviation, with the sentence that explains it."""

    mean: float
    sigma: float
    explanation: str


def _amount(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoringInputError(field, f"The {field.split('.')[-1]} estimate must be a number.")
    if value < 0:
        raise ScoringInputError(
            field, f"The {field.split('.')[-1]} estimate must be zero or more; got {value:g}."
        )
    return float(value)


def pert(optimistic: float, likely: float, pessimistic: float) -> Pert:
    """PERT mean and σ of a three-point estimate, refusing one out of order."""
    o = _amount("estimate.optimistic", optimistic)
    m = _amount("estimate.likely", likely)
    p = _amount("estimate.pessimistic", pessimistic)
    if o > m:
        raise ScoringInputError(
            "estimate.likely",
            f"The most likely estimate ({format_number(m)}) cannot be below the optimistic one "
            f"({format_number(o)}); use optimistic ≤ likely ≤ pessimistic.",
        )
    if m > p:
        raise ScoringInputError(
            "estimate.pessimistic",
            f"The pessimistic estimate ({format_number(p)}) cannot be below the most likely one "
            f"({format_number(m)}); use optimistic ≤ likely ≤ pessimistic.",
        )
    mean = (o + 4 * m + p) / 6
    sigma = (p - o) / 6
    return Pert(
        mean=mean,
        sigma=sigma,
        explanation=(
            f"PERT mean {format_number(mean)} = ({format_number(o)} + 4 × {format_number(m)} + "
            f"{format_number(p)}) ÷ 6; σ {format_number(sigma)} = ({format_number(p)} − "
            f"{format_number(o)}) ÷ 6"
        ),
    )


@dataclass(frozen=True, slots=True)
class CutLine[I: Hashable]:
    """Which items of a ranked list fit in ``capacity``: ``fits`` in order, then ``after``.

    ``used`` is the capacity the fitting items take; ``unestimated`` lists items that had no size
    (they count as zero, and the page says so rather than guessing).
    """

    capacity: float
    used: float
    fits: tuple[I, ...]
    after: tuple[I, ...]
    unestimated: tuple[I, ...]


def cut_line[I: Hashable](items: Sequence[tuple[I, float | None]], capacity: float) -> CutLine[I]:
    """Walk ``items`` (id, size) in priority order; the cut falls before the first item that
    would take the cumulative size past ``capacity``. Everything from there on is below it, so
    the order is never rearranged to squeeze a small item in."""
    if isinstance(capacity, bool) or not math.isfinite(capacity) or capacity < 0:
        raise ScoringInputError("throughput", "The capacity must be a number of zero or more.")
    used = 0.0
    fits: list[I] = []
    unestimated: list[I] = []
    cut = len(items)
    for index, (item, size) in enumerate(items):
        amount = 0.0 if size is None else float(size)
        if size is None:
            unestimated.append(item)
        if used + amount > capacity + 1e-9:
            cut = index
            break
        used += amount
        fits.append(item)
    return CutLine(
        capacity=capacity,
        used=used,
        fits=tuple(fits),
        after=tuple(item for item, _ in items[cut:]),
        unestimated=tuple(unestimated),
    )
