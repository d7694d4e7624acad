"""Key-result progress: how far a metric has moved from its baseline towards its target.

Pure arithmetic, no Django: the model, the API, the pages and the strategy check all call it.
"""

from __future__ import annotations

from collections.abc import Iterable


def progress(baseline: float | None, target: float | None, current: float | None) -> float | None:
    """Share of the way from `baseline` to `target`, in percent, clamped to 0–100.

    `(current − baseline) / (target − baseline)` works for a metric that must fall (a target below
    its baseline) as well as for one that must rise: both differences change sign together.
    Unknown (None) when any of the three is missing or when the target equals the baseline, which
    validation refuses anyway because there is no way to measure progress towards it.
    """
    if baseline is None or target is None or current is None or target == baseline:
        return None
    share = (current - baseline) / (target - baseline)
    return round(100 * min(1.0, max(0.0, share)), 1)


def goal_progress(key_results: Iterable[float | None]) -> float | None:
    """A goal's progress: the mean of its measurable key results' progress, or None if none is."""
    known = [value for value in key_results if value is not None]
    if not known:
        return None
    return round(sum(known) / len(known), 1)
