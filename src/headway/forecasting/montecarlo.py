"""Monte Carlo forecasts from weekly throughput: "when will N items be done?", "how many?".

Both answers come from thousands of simulated futures built out of the team's own recent weeks
(see `sampling`), summarised as figures with a stated confidence:

- *when*: the date by which the remaining items are done in p % of the trials, and the share of
  trials done by a target date;
- *how many*: the count reached **at least** in p % of the trials, so the 85 % figure is the 15th
  percentile of the simulated counts.

`method="calibrated"` (the default) gives each trial its own plausible pace (the window's pace is
itself uncertain) and widens the result by the errors the team's own past forecasts made
(`calibration`). `method="plain"` is the textbook resampling, kept for comparison: on real,
drifting throughput it is overconfident (see docs/forecasting.md for the measurements).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import numpy as np

from headway.forecasting.calibration import MAX_CHECK_HORIZON, Calibration, self_check, widen
from headway.forecasting.sampling import (
    CountArray,
    GrowthSource,
    WeekSource,
    simulate_completion,
    simulate_totals,
    week_multipliers,
)
from headway.forecasting.summaries import (
    CompletionWeeks,
    at_least,
    histogram,
    percentile_key,
    week_end,
    weeks_available,
)
from headway.forecasting.validation import (
    MAX_HORIZON_WEEKS,
    MAX_REMAINING,
    ForecastInputError,
    as_number,
    check_calendar,
    check_date,
    check_percentiles,
    check_seed,
    check_trials,
    check_weekly_counts,
    check_whole_number,
    check_window,
)

Method = Literal["calibrated", "plain"]
METHODS: Final = ("calibrated", "plain")
#: Half a year: long enough to hold a few busy and quiet spells, recent enough to follow drift.
#: On the Hadoop history it was also the sharpest of the 8/13/26-week windows once calibrated.
DEFAULT_WINDOW: Final = 26
DEFAULT_PERCENTILES: Final = (50, 85, 95)
DEFAULT_TRIALS: Final = 10_000
#: Largest scope growth accepted, in items added per week.
MAX_GROWTH_RATE: Final = 100_000.0


@dataclass(frozen=True, slots=True)
class WhenForecast:
    """When `remaining` items will be done, by confidence level (keys such as "85")."""

    remaining: int
    start_date: date
    trials: int
    method: str
    #: Weeks from the start until done, or None when that many trials never finished.
    weeks: dict[str, int | None]
    #: The last day of that week (the start date itself when nothing remains).
    dates: dict[str, date | None]
    #: Share of trials done by `target_date` (None without a target date).
    probability_by: float | None
    target_date: date | None
    #: Completion week -> number of trials, for the histogram of completion dates.
    histogram: dict[int, int]
    #: Trials not done within `horizon_weeks`; they are counted as "later than the horizon".
    unfinished_trials: int
    horizon_weeks: int
    calibration: Calibration | None

    def as_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict (ISO dates, string keys)."""
        return {
            "remaining": self.remaining,
            "start_date": self.start_date.isoformat(),
            "trials": self.trials,
            "method": self.method,
            "weeks": self.weeks,
            "dates": {k: v.isoformat() if v else None for k, v in self.dates.items()},
            "probability_by": self.probability_by,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "histogram": {str(week): count for week, count in self.histogram.items()},
            "unfinished_trials": self.unfinished_trials,
            "horizon_weeks": self.horizon_weeks,
            "calibration": self.calibration.as_json() if self.calibration else None,
        }


@dataclass(frozen=True, slots=True)
class HowManyForecast:
    """How many items will be done in `weeks` weeks, reached at least with each confidence."""

    weeks: int
    trials: int
    method: str
    #: Items finished at least, with the probability given by the key ("85": 15th percentile).
    items: dict[str, int]
    #: Items finished -> number of trials.
    histogram: dict[int, int]
    calibration: Calibration | None

    def as_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict (string keys)."""
        return {
            "weeks": self.weeks,
            "trials": self.trials,
            "method": self.method,
            "items": self.items,
            "histogram": {str(items): count for items, count in self.histogram.items()},
            "calibration": self.calibration.as_json() if self.calibration else None,
        }


def forecast_how_many(
    throughput: Sequence[int],
    weeks: int,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
    window: int | None = DEFAULT_WINDOW,
    calendar: Mapping[int, float] | None = None,
    start_date: date | None = None,
    method: Method = "calibrated",
) -> HowManyForecast:
    """Forecast the number of items finished in the next `weeks` weeks.

    `throughput` is the weekly count of finished items, oldest first, zero weeks included; the
    last `window` weeks are resampled (None: all of it). `calendar` maps months to throughput
    multipliers ({12: 0.5} for a slow December) and needs `start_date`, the first simulated day.
    """
    history = check_weekly_counts(throughput, "throughput")
    horizon = check_whole_number(weeks, "weeks", minimum=1, maximum=MAX_HORIZON_WEEKS)
    trial_count = check_trials(trials)
    levels = check_percentiles(percentiles)
    span = check_window(window)
    months = check_calendar(calendar)
    start = check_date(start_date, "start_date") if start_date is not None else None
    if months and start is None:
        raise ForecastInputError(
            "start_date", "A start date is needed to apply calendar multipliers."
        )
    chosen = _check_method(method)
    recent = _recent_with_work(history, span)
    rng = np.random.default_rng(check_seed(seed))

    source = WeekSource(recent, "plain" if chosen == "plain" else "resampled")
    totals = simulate_totals(
        rng, source, trial_count, horizon, week_multipliers(start, horizon, months)
    )
    calibration = None
    if chosen == "calibrated":
        calibration = self_check(
            np.asarray(history, dtype=np.int64), window=span, horizon=horizon, rng=rng
        )
        widened = widen(np.log1p(totals), calibration.widening_low, calibration.widening_high)
        totals = np.maximum(np.floor(np.expm1(widened) + 1e-9), 0.0)

    ordered = np.sort(totals)
    items = {percentile_key(level): at_least(ordered, level) for level in levels}
    return HowManyForecast(horizon, trial_count, chosen, items, histogram(ordered), calibration)


def forecast_when(
    throughput: Sequence[int],
    remaining: int,
    *,
    start_date: date,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    target_date: date | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
    window: int | None = DEFAULT_WINDOW,
    scope_growth: float | Sequence[int] | None = None,
    calendar: Mapping[int, float] | None = None,
    method: Method = "calibrated",
) -> WhenForecast:
    """Forecast when `remaining` items will be done, starting on `start_date`.

    `scope_growth` adds work as the simulation runs: a rate of items added per week (drawn as a
    Poisson count each week) or a weekly history of added items to resample. `calendar` maps
    months to throughput multipliers. Trials not done within ten years stop there and are
    reported in `unfinished_trials`, so a forecast always returns quickly.
    """
    history = check_weekly_counts(throughput, "throughput")
    backlog = check_whole_number(remaining, "remaining", minimum=0, maximum=MAX_REMAINING)
    start = check_date(start_date, "start_date")
    target = check_date(target_date, "target_date") if target_date is not None else None
    trial_count = check_trials(trials)
    levels = check_percentiles(percentiles)
    span = check_window(window)
    months = check_calendar(calendar)
    growth = _check_growth(scope_growth)
    chosen = _check_method(method)
    recent = _recent_with_work(history, span)
    rng = np.random.default_rng(check_seed(seed))

    source = WeekSource(recent, "plain" if chosen == "plain" else "resampled")
    finished_in = simulate_completion(
        rng,
        source,
        remaining=backlog,
        trials=trial_count,
        horizon=MAX_HORIZON_WEEKS,
        multipliers=week_multipliers(start, MAX_HORIZON_WEEKS, months),
        growth=growth,
    )
    calibration = None
    if chosen == "calibrated" and backlog > 0:
        median = float(np.median(finished_in))
        check_horizon = math.ceil(median) if math.isfinite(median) else MAX_CHECK_HORIZON
        calibration = self_check(
            np.asarray(history, dtype=np.int64), window=span, horizon=check_horizon, rng=rng
        )
        # Fewer items than forecast means later completion: the pessimistic side of "when" is
        # the late side, so it takes the low-side factor.
        finished_in = np.exp(
            widen(np.log(finished_in), calibration.widening_high, calibration.widening_low)
        )
        finished_in[finished_in > MAX_HORIZON_WEEKS] = np.inf

    # A backlog emptied part-way through a week is done by the end of that week.
    completion = CompletionWeeks.of(finished_in, MAX_HORIZON_WEEKS)
    week_figures = {percentile_key(level): completion.done_by(level) for level in levels}
    probability = None
    if target is not None:
        probability = completion.share_by(weeks_available(start, target))
    return WhenForecast(
        remaining=backlog,
        start_date=start,
        trials=trial_count,
        method=chosen,
        weeks=week_figures,
        dates={key: week_end(start, value) for key, value in week_figures.items()},
        probability_by=probability,
        target_date=target,
        histogram=completion.histogram(),
        unfinished_trials=completion.unfinished,
        horizon_weeks=MAX_HORIZON_WEEKS,
        calibration=calibration,
    )


def _check_method(method: object) -> Method:
    if method == "calibrated":
        return "calibrated"
    if method == "plain":
        return "plain"
    raise ForecastInputError("method", f"The method must be one of: {', '.join(METHODS)}.")


def _check_growth(scope_growth: object) -> GrowthSource | None:
    """Return a source of added items per week, or None when the scope is fixed."""
    if scope_growth is None:
        return None
    rate = as_number(scope_growth)
    if rate is not None:
        if not math.isfinite(rate) or rate < 0:
            raise ForecastInputError(
                "scope_growth",
                "The scope growth must be zero or a positive number of items per week.",
            )
        if rate > MAX_GROWTH_RATE:
            raise ForecastInputError(
                "scope_growth",
                f"The scope growth must be at most {MAX_GROWTH_RATE:,g} items per week.",
            )
        return GrowthSource(rate, None) if rate > 0 else None
    added = check_weekly_counts(scope_growth, "scope_growth")
    return GrowthSource(0.0, np.asarray(added, dtype=np.int32)) if any(added) else None


def _recent_with_work(history: list[int], span: int | None) -> CountArray:
    """Return the window of recent weeks, refusing one in which nothing was finished."""
    recent = history if span is None else history[-span:]
    if not any(recent):
        where = "the history" if len(recent) == len(history) else f"the last {len(recent)} weeks"
        raise ForecastInputError(
            "throughput",
            f"No item was finished in {where}, so there is no pace to forecast from.",
        )
    return np.asarray(recent, dtype=np.int32)
