"""Headway's self-check: widen a forecast by the errors the team's own past forecasts made.

A plain Monte Carlo forecast assumes the coming weeks look like a random draw of the recent
ones. Real throughput drifts (people join and leave, a release freezes work, a backlog of easy
bugs runs dry), so its "85 %" figure comes true less often than it claims: 69-76 % of the time on
the Apache Hadoop history. Rather than guess how much drift to expect, Headway asks the history:

1. Replay the forecast the same method would have made at each of the last `CHECK_ORIGINS` weeks
   for which the outcome `horizon` weeks later is known.
2. Measure each outcome's shortfall below that forecast's median, in units of the forecast's own
   spread on the log scale (the distance from its median to its 85 % figure).
3. The widening factor is the shortfall that the claimed 85 % of past outcomes stayed within,
   taken with the usual finite-sample (split conformal) correction: rank ceil((n + 1) * 0.85).
   Never below 1: a history that behaved better than claimed does not make the forecast bolder.
4. Every trial of the new forecast is moved away from the median by that factor (log scale).

The same is done on the optimistic side with outcomes above the median. The median itself is
not moved. With fewer than `MIN_CHECKED` past outcomes there is nothing to learn from and the
forecast is left as simulated, which the result says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from headway.forecasting.sampling import CountArray, FloatArray, IntArray, draw_indices

#: Replay at most a year of past weekly forecasts: long enough to contain quiet and busy
#: seasons, short enough to follow a team whose behaviour has changed.
CHECK_ORIGINS: Final = 52
#: Fewer past outcomes than this cannot tell a miss from bad luck.
MIN_CHECKED: Final = 8
#: A past forecast needs at least this many weeks of history behind it to count.
MIN_HISTORY_AT_ORIGIN: Final = 8
#: Trials per replayed forecast: its median and 15th/85th percentiles are all that is used.
CHECK_TRIALS: Final = 500
#: Longest horizon checked directly; longer forecasts reuse the factor found at this horizon,
#: because a history rarely holds enough independent outcomes that far ahead.
MAX_CHECK_HORIZON: Final = 26
#: The confidence level the factor is fitted at: Headway's headline figure.
CLAIMED_LEVEL: Final = 0.85
#: A cap on the factor, so one freak week against a zero-spread forecast cannot explode it.
MAX_WIDENING: Final = 10.0


@dataclass(frozen=True, slots=True)
class Calibration:
    """What the self-check found and how much the forecast was widened."""

    checked_forecasts: int
    horizon_weeks: int
    hit_rate_before: float | None
    widening_low: float
    widening_high: float

    @property
    def note(self) -> str:
        """One sentence for people: what was checked and what was done about it."""
        if self.checked_forecasts < MIN_CHECKED:
            return (
                f"Not enough history to check past forecasts ({self.checked_forecasts} of "
                f"{MIN_CHECKED} needed); the spread is as simulated and may be too narrow."
            )
        rate = round(100 * (self.hit_rate_before or 0.0))
        return (
            f"Of {self.checked_forecasts} past {self.horizon_weeks}-week forecasts, {rate} % met "
            f"their 85 % figure; the pessimistic side was widened by {self.widening_low:.2f}x."
        )

    def as_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict."""
        return {
            "checked_forecasts": self.checked_forecasts,
            "horizon_weeks": self.horizon_weeks,
            "hit_rate_before": self.hit_rate_before,
            "widening_low": self.widening_low,
            "widening_high": self.widening_high,
            "note": self.note,
        }


def self_check(
    history: IntArray, *, window: int | None, horizon: int, rng: np.random.Generator
) -> Calibration:
    """Replay past forecasts over `history` at `horizon` weeks and derive widening factors."""
    horizon = max(1, min(horizon, MAX_CHECK_HORIZON))
    span = window if window is not None else history.size
    first = min(span, MIN_HISTORY_AT_ORIGIN)
    origins = [
        origin
        for origin in range(first, history.size - horizon + 1)
        if history[max(0, origin - span) : origin].any()
    ][-CHECK_ORIGINS:]
    if len(origins) < MIN_CHECKED:
        return Calibration(len(origins), horizon, None, 1.0, 1.0)
    totals = _replay(history, origins, span, horizon, rng)
    logs = np.log1p(totals)
    median = np.median(logs, axis=1)
    low = np.quantile(logs, 1 - CLAIMED_LEVEL, axis=1)
    high = np.quantile(logs, CLAIMED_LEVEL, axis=1)
    actual = np.log1p(np.array([history[o : o + horizon].sum() for o in origins], dtype=np.float64))
    residual = actual - median
    hit_rate = float(np.mean(actual >= low - 1e-12))
    widening_low = _conformal_factor(_in_spread_units(-residual, median - low))
    widening_high = _conformal_factor(_in_spread_units(residual, high - median))
    return Calibration(len(origins), horizon, hit_rate, widening_low, widening_high)


def widen(values: FloatArray, below: float, above: float) -> FloatArray:
    """Move every value away from the median: by `below` times below it, `above` times above it.

    Infinite values (trials that never finished) stay infinite.
    """
    finite = values[np.isfinite(values)]
    if finite.size * 2 <= values.size or (below == 1.0 and above == 1.0):
        return values
    center = float(np.median(values))
    offsets = values - center
    with np.errstate(invalid="ignore"):
        factor = np.where(offsets < 0, below, above)
        return np.where(np.isfinite(values), center + factor * offsets, values)


def _replay(
    history: IntArray, origins: list[int], span: int, horizon: int, rng: np.random.Generator
) -> FloatArray:
    """Return (origins, CHECK_TRIALS) totals the default method would have simulated.

    Every origin with the same window length replays the same random draws (common random
    numbers): each replayed forecast is still an exact simulation of its own window, and the
    draws reduce to counts of how often each window position was picked, so a whole year of
    forecasts is two small matrix products.
    """
    lengths = [min(span, origin) for origin in origins]
    totals = np.empty((len(origins), CHECK_TRIALS))
    for length in sorted(set(lengths)):
        rows = [row for row, size in enumerate(lengths) if size == length]
        windows = np.stack([history[origins[row] - length : origins[row]] for row in rows]).astype(
            np.float64
        )
        resample = _position_counts(draw_indices(rng, length, (CHECK_TRIALS, length)), length)
        future = _position_counts(draw_indices(rng, length, (CHECK_TRIALS, horizon)), length)
        # Whole numbers, and for any realistic history products below 2**53, so float arithmetic
        # is exact. einsum rather than matmul: BLAS would start threads, which cost more than
        # these small products (ten times more on a busy two-core machine).
        paces = np.einsum("ow,tw->ot", windows, resample)
        raw = np.einsum("ow,tw->ot", windows, future)
        totals[rows] = np.floor_divide(raw * paces, windows.sum(axis=1, keepdims=True))
    return totals


def _position_counts(picks: CountArray, length: int) -> FloatArray:
    """Return, per row of `picks`, how often each position 0..length-1 was picked."""
    trials = picks.shape[0]
    flat = picks + (np.arange(trials, dtype=np.int32) * length)[:, np.newaxis]
    counts = np.bincount(flat.ravel(), minlength=trials * length)
    return counts.reshape(trials, length).astype(np.float64)


def _in_spread_units(shortfall: FloatArray, spread: FloatArray) -> FloatArray:
    """Express each shortfall in units of its forecast's spread (zero spread: 0 or the cap)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        units = np.where(spread > 0, shortfall / spread, np.where(shortfall > 0, MAX_WIDENING, 0.0))
    return np.minimum(units, MAX_WIDENING)


def _conformal_factor(units: FloatArray) -> float:
    """Return the split-conformal CLAIMED_LEVEL quantile of `units`, floored at 1."""
    ordered = np.sort(units)
    rank = min(math.ceil((ordered.size + 1) * CLAIMED_LEVEL), ordered.size)
    return max(1.0, float(ordered[rank - 1]))
