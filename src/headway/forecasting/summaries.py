"""Turning simulated trials into the figures people read: percentiles, dates, histograms."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from headway.forecasting.sampling import FloatArray, IntArray


def percentile_key(level: float) -> str:
    """Return the dict key for a confidence level: 85.0 -> "85", 87.5 -> "87.5"."""
    return f"{level:g}"


def at_least(ordered: FloatArray, level: float) -> int:
    """Return the largest count that at least `level` % of the sorted trials reached.

    With 10,000 trials and level 85 that is the 1,501st smallest count: at most 1,500 trials
    (15 %) fell short of it.
    """
    rank = math.floor((100 - level) * ordered.size / 100 + 1e-9)
    return int(ordered[min(rank, ordered.size - 1)])


@dataclass(frozen=True, slots=True)
class CompletionWeeks:
    """How many trials were done in each week, and how many never were within the horizon.

    Counting trials per week (rather than sorting them) answers every percentile at once.
    """

    #: counts[w] is the number of trials done in week w (0: nothing was left to do).
    counts: IntArray
    unfinished: int

    @classmethod
    def of(cls, weeks: FloatArray, horizon: int) -> CompletionWeeks:
        """Count fractional completion times by the week they fall in (infinite: never)."""
        whole = np.ceil(weeks - 1e-9)
        finite = np.isfinite(whole)
        counts = np.bincount(whole[finite].astype(np.int64), minlength=horizon + 1)
        return cls(counts, int(whole.size - np.count_nonzero(finite)))

    @property
    def trials(self) -> int:
        """All trials, done or not."""
        return int(self.counts.sum()) + self.unfinished

    def done_by(self, level: float) -> int | None:
        """Return the earliest week by which `level` % of the trials were done.

        None when that many trials never finished within the horizon.
        """
        needed = max(1, math.ceil(level * self.trials / 100 - 1e-9))
        week = int(np.searchsorted(np.cumsum(self.counts), needed))
        return week if week < self.counts.size else None

    def share_by(self, week: int) -> float:
        """Return the share of trials done by the end of week `week`."""
        return float(self.counts[: max(0, week) + 1].sum()) / self.trials

    def histogram(self) -> dict[int, int]:
        """Return week -> number of trials done that week, for weeks with any."""
        return {int(week): int(self.counts[week]) for week in np.flatnonzero(self.counts)}


def week_end(start: date, week: int | None) -> date | None:
    """Return the last day of week `week` counted from `start` (`start` itself for week 0)."""
    if week is None:
        return None
    return start + timedelta(days=max(0, 7 * week - 1))


def weeks_available(start: date, target: date) -> int:
    """Return how many whole weeks from `start` end on or before `target`."""
    return max(0, ((target - start).days + 1) // 7)


def histogram(values: FloatArray) -> dict[int, int]:
    """Return value -> number of trials, for whole-number values."""
    found, counts = np.unique(values, return_counts=True)
    return {int(value): int(count) for value, count in zip(found, counts, strict=True)}
