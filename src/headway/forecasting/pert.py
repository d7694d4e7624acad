"""Three-point (PERT) estimates: their mean and spread, sampling, and effort-based forecasts.

An estimate is optimistic O <= most likely M <= pessimistic P. PERT summarises it as mean
(O + 4M + P) / 6 and standard deviation (P - O) / 6, and models the effort as a beta
distribution on [O, P] with shape parameters 1 + 4 (M - O) / (P - O) and 1 + 4 (P - M) / (P - O),
whose mean is exactly the PERT mean. Sampling that distribution for every item and adding the
samples gives the spread of the total, including its skew, which the sum of means hides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from headway.forecasting.sampling import FloatArray, week_multipliers
from headway.forecasting.summaries import (
    CompletionWeeks,
    percentile_key,
    week_end,
    weeks_available,
)
from headway.forecasting.validation import (
    MAX_HORIZON_WEEKS,
    ForecastInputError,
    as_number,
    check_calendar,
    check_date,
    check_percentiles,
    check_positive_number,
    check_seed,
    check_trials,
)

#: Most estimates accepted in one forecast (a release, not a whole company's backlog).
MAX_ESTIMATES: Final = 10_000
#: Largest capacity accepted, in effort units (points, days) per week.
MAX_CAPACITY: Final = 1e9
_BATCH_CELLS: Final = 4_000_000


@dataclass(frozen=True, slots=True)
class ThreePointEstimate:
    """An effort estimate: optimistic <= likely <= pessimistic, all zero or more."""

    optimistic: float
    likely: float
    pessimistic: float

    @property
    def mean(self) -> float:
        """PERT mean (O + 4M + P) / 6."""
        return pert_mean(self.optimistic, self.likely, self.pessimistic)

    @property
    def sigma(self) -> float:
        """PERT standard deviation (P - O) / 6."""
        return pert_sigma(self.optimistic, self.likely, self.pessimistic)


@dataclass(frozen=True, slots=True)
class EffortForecast:
    """When a set of estimated items is done at a given capacity, by confidence level."""

    estimates: int
    capacity_per_week: float
    start_date: date
    trials: int
    #: Total effort not exceeded with the probability given by the key ("85").
    effort: dict[str, float]
    #: Weeks until done, or None when that many trials did not finish within ten years.
    weeks: dict[str, int | None]
    dates: dict[str, date | None]
    probability_by: float | None
    target_date: date | None
    #: Sum of PERT means and the PERT standard deviation of the total (items independent).
    mean_effort: float
    sigma_effort: float
    #: Completion week -> number of trials.
    histogram: dict[int, int]
    unfinished_trials: int

    def as_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict (ISO dates, string keys)."""
        return {
            "estimates": self.estimates,
            "capacity_per_week": self.capacity_per_week,
            "start_date": self.start_date.isoformat(),
            "trials": self.trials,
            "effort": self.effort,
            "weeks": self.weeks,
            "dates": {k: v.isoformat() if v else None for k, v in self.dates.items()},
            "probability_by": self.probability_by,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "mean_effort": self.mean_effort,
            "sigma_effort": self.sigma_effort,
            "histogram": {str(week): count for week, count in self.histogram.items()},
            "unfinished_trials": self.unfinished_trials,
        }


def pert_mean(optimistic: float, likely: float, pessimistic: float) -> float:
    """Return the PERT mean (O + 4M + P) / 6 of a valid three-point estimate."""
    estimate = check_estimate(optimistic, likely, pessimistic)
    return (estimate.optimistic + 4 * estimate.likely + estimate.pessimistic) / 6


def pert_sigma(optimistic: float, likely: float, pessimistic: float) -> float:
    """Return the PERT standard deviation (P - O) / 6 of a valid three-point estimate."""
    estimate = check_estimate(optimistic, likely, pessimistic)
    return (estimate.pessimistic - estimate.optimistic) / 6


def check_estimate(
    optimistic: object, likely: object, pessimistic: object, field: str = "estimate"
) -> ThreePointEstimate:
    """Return a validated estimate: finite numbers, none negative, O <= M <= P."""
    values: list[float] = []
    for part, value in (
        ("optimistic", optimistic),
        ("likely", likely),
        ("pessimistic", pessimistic),
    ):
        number = as_number(value)
        if number is None or not math.isfinite(number):
            raise ForecastInputError(f"{field}.{part}", f"The {part} estimate must be a number.")
        if number < 0:
            raise ForecastInputError(
                f"{field}.{part}", f"The {part} estimate must not be negative."
            )
        values.append(number)
    low, mode, high = values
    if low > mode:
        raise ForecastInputError(
            f"{field}.likely", "The likely estimate must not be below the optimistic one."
        )
    if mode > high:
        raise ForecastInputError(
            f"{field}.pessimistic", "The pessimistic estimate must not be below the likely one."
        )
    return ThreePointEstimate(low, mode, high)


def sample_pert(
    optimistic: npt.ArrayLike,
    likely: npt.ArrayLike,
    pessimistic: npt.ArrayLike,
    size: int | tuple[int, ...],
    rng: np.random.Generator,
) -> FloatArray:
    """Draw samples of the PERT beta distribution; the three bounds broadcast against `size`.

    With arrays of bounds (one entry per item) and size (trials, items), one call samples every
    item of every trial. A zero-width estimate (O = P) always samples O.
    """
    low = np.asarray(optimistic, dtype=np.float64)
    mode = np.asarray(likely, dtype=np.float64)
    high = np.asarray(pessimistic, dtype=np.float64)
    if not (np.isfinite(low).all() and np.isfinite(mode).all() and np.isfinite(high).all()):
        raise ForecastInputError("estimate", "Every estimate must be a finite number.")
    if (low > mode).any():
        raise ForecastInputError(
            "estimate.likely", "The likely estimate must not be below the optimistic one."
        )
    if (mode > high).any():
        raise ForecastInputError(
            "estimate.pessimistic", "The pessimistic estimate must not be below the likely one."
        )
    spread = high - low
    # A zero-width estimate has no shape; any valid parameters will do, as the width is zero.
    safe_spread = np.where(spread > 0, spread, 1.0)
    alpha = np.where(spread > 0, 1 + 4 * (mode - low) / safe_spread, 1.0)
    beta = np.where(spread > 0, 1 + 4 * (high - mode) / safe_spread, 1.0)
    samples: FloatArray = low + spread * rng.beta(alpha, beta, size=size)
    return samples


def forecast_effort(
    estimates: Sequence[ThreePointEstimate | Sequence[float] | Mapping[str, float]],
    capacity_per_week: float,
    *,
    start_date: date,
    trials: int = 10_000,
    seed: int | None = None,
    target_date: date | None = None,
    percentiles: Sequence[float] = (50, 85, 95),
    calendar: Mapping[int, float] | None = None,
) -> EffortForecast:
    """Forecast when estimated items are done, burning `capacity_per_week` effort a week.

    Each estimate is a `ThreePointEstimate`, an (optimistic, likely, pessimistic) triple, or a
    mapping with those keys. Every trial samples each item's effort from its PERT distribution;
    the total is done when the weekly capacity (scaled by `calendar` month multipliers) adds up
    to it, assuming effort is spent evenly through a week.
    """
    parsed = _check_estimates(estimates)
    capacity = check_positive_number(capacity_per_week, "capacity_per_week", maximum=MAX_CAPACITY)
    start = check_date(start_date, "start_date")
    target = check_date(target_date, "target_date") if target_date is not None else None
    trial_count = check_trials(trials)
    levels = check_percentiles(percentiles)
    months = check_calendar(calendar)
    rng = np.random.default_rng(check_seed(seed))

    low = np.array([e.optimistic for e in parsed])
    mode = np.array([e.likely for e in parsed])
    high = np.array([e.pessimistic for e in parsed])
    per_batch = max(1, _BATCH_CELLS // len(parsed))
    totals = np.concatenate(
        [
            sample_pert(
                low, mode, high, (min(per_batch, trial_count - done), len(parsed)), rng
            ).sum(axis=1)
            for done in range(0, trial_count, per_batch)
        ]
    )

    multipliers = week_multipliers(start, MAX_HORIZON_WEEKS, months)
    weekly = capacity * (multipliers if multipliers is not None else np.ones(MAX_HORIZON_WEEKS))
    finished_in = _fractional_weeks(totals, np.concatenate([[0.0], np.cumsum(weekly)]))
    completion = CompletionWeeks.of(finished_in, MAX_HORIZON_WEEKS)
    week_figures = {percentile_key(level): completion.done_by(level) for level in levels}
    ordered_totals = np.sort(totals)
    probability = None
    if target is not None:
        probability = completion.share_by(weeks_available(start, target))
    return EffortForecast(
        estimates=len(parsed),
        capacity_per_week=capacity,
        start_date=start,
        trials=trial_count,
        effort={
            percentile_key(level): float(np.quantile(ordered_totals, level / 100))
            for level in levels
        },
        weeks=week_figures,
        dates={key: week_end(start, value) for key, value in week_figures.items()},
        probability_by=probability,
        target_date=target,
        mean_effort=float(sum(e.mean for e in parsed)),
        sigma_effort=math.sqrt(sum(e.sigma**2 for e in parsed)),
        histogram=completion.histogram(),
        unfinished_trials=completion.unfinished,
    )


def _check_estimates(
    estimates: Sequence[ThreePointEstimate | Sequence[float] | Mapping[str, float]],
) -> list[ThreePointEstimate]:
    """Return the estimates as validated `ThreePointEstimate`s."""
    if isinstance(estimates, (str, bytes)) or not isinstance(estimates, Sequence):
        raise ForecastInputError(
            "estimates", "The estimates must be a list of three-point estimates."
        )
    if not estimates:
        raise ForecastInputError("estimates", "At least one estimate is needed.")
    if len(estimates) > MAX_ESTIMATES:
        raise ForecastInputError(
            "estimates", f"A forecast may use at most {MAX_ESTIMATES:,} estimates."
        )
    parsed: list[ThreePointEstimate] = []
    for position, item in enumerate(estimates):
        field = f"estimates[{position}]"
        if isinstance(item, ThreePointEstimate):
            parts: tuple[object, object, object] = (item.optimistic, item.likely, item.pessimistic)
        elif isinstance(item, Mapping):
            parts = (item.get("optimistic"), item.get("likely"), item.get("pessimistic"))
        elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 3:
            parts = (item[0], item[1], item[2])
        else:
            raise ForecastInputError(
                field, "Each estimate must be (optimistic, likely, pessimistic)."
            )
        parsed.append(check_estimate(*parts, field=field))
    return parsed


def _fractional_weeks(totals: FloatArray, capacity_by_week_end: FloatArray) -> FloatArray:
    """Return when each total is reached on the cumulative capacity curve, in weeks.

    `capacity_by_week_end[k]` is the effort available by the end of week k (0 at the start).
    Totals beyond the last week get infinity.
    """
    week = np.searchsorted(capacity_by_week_end, totals, side="left")
    inside = (week > 0) & (week < capacity_by_week_end.size)
    result = np.where(totals <= 0, 0.0, np.inf)
    index = week[inside]
    before = capacity_by_week_end[index - 1]
    after = capacity_by_week_end[index]
    # Weeks with zero capacity (a multiplier of 0) are never where a total is first reached.
    result[inside] = index - 1 + (totals[inside] - before) / (after - before)
    return result
