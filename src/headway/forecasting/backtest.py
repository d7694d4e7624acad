"""Backtest: replay a weekly history, forecast from the past only, and score against what happened.

For each week t from `first_origin` on, the forecaster sees weeks [0, t) only and answers two
questions about the next `horizon` weeks:

- *how many*: the count reached at least with probability p. It came true if the items actually
  finished in weeks [t, t + horizon) were at least that count.
- *when*: the week by which a backlog the size of `horizon` weeks of recent work is done with
  probability p. It came true if the actual history finished that many items by then. Origins so
  close to the end of the history that the backlog was never finished are left out.

Calibration is the share of forecasts at level p that came true (an honest forecaster's 85 %
figure comes true about 85 % of the time). Sharpness is how narrow the forecasts were: the mean
width, in items, between the counts reached with 5 % and with 95 % probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from headway.forecasting.montecarlo import DEFAULT_WINDOW, Method, forecast_how_many, forecast_when
from headway.forecasting.summaries import percentile_key
from headway.forecasting.validation import (
    MAX_HORIZON_WEEKS,
    ForecastInputError,
    check_percentiles,
    check_seed,
    check_trials,
    check_weekly_counts,
    check_whole_number,
    check_window,
)

#: Fewer trials than a live forecast: a backtest makes hundreds of forecasts, and the hit rates
#: it reports move by far less than their own sampling noise between 2,000 and 10,000 trials.
DEFAULT_BACKTEST_TRIALS: Final = 2_000
#: The width of the 90 % interval is measured between these two levels.
_OUTER_LEVELS: Final = (5.0, 95.0)
#: `forecast_when` needs a calendar date; a backtest counts weeks, so any Monday does.
_ANY_MONDAY: Final = date(2001, 1, 1)


@dataclass(frozen=True, slots=True)
class BacktestReport:
    """How often a method's past forecasts came true, and how sharp they were."""

    method: str
    horizon_weeks: int
    window: int | None
    #: Number of "how many" forecasts replayed.
    forecasts: int
    #: Level ("85") -> share of "how many" forecasts that came true.
    hit_rates: dict[str, float]
    #: Number of "when" forecasts whose outcome is known.
    when_forecasts: int
    #: Level -> share of "when" forecasts that came true.
    when_hit_rates: dict[str, float]
    #: Mean gap, in items, between the counts reached with 5 % and with 95 % probability.
    mean_width_90: float
    #: Level -> mean "at least" figure, to compare with `mean_actual`.
    mean_items: dict[str, float]
    #: Mean number of items actually finished per horizon.
    mean_actual: float

    def as_json(self) -> dict[str, object]:
        """Return a JSON-friendly dict."""
        return {
            "method": self.method,
            "horizon_weeks": self.horizon_weeks,
            "window": self.window,
            "forecasts": self.forecasts,
            "hit_rates": self.hit_rates,
            "when_forecasts": self.when_forecasts,
            "when_hit_rates": self.when_hit_rates,
            "mean_width_90": self.mean_width_90,
            "mean_items": self.mean_items,
            "mean_actual": self.mean_actual,
        }


def backtest(
    throughput: Sequence[int],
    *,
    horizon: int = 4,
    window: int | None = DEFAULT_WINDOW,
    method: Method = "calibrated",
    first_origin: int | None = None,
    step: int = 1,
    trials: int = DEFAULT_BACKTEST_TRIALS,
    seed: int | None = 0,
    percentiles: Sequence[float] = (50, 85, 95),
) -> BacktestReport:
    """Replay `throughput` (weekly counts, oldest first) and score `method`'s forecasts.

    Origins run from `first_origin` (default: the first week with a full window behind it) to
    the last week whose `horizon` outcome is known, every `step` weeks. Origins whose window
    holds no finished item are skipped, as a live forecast would refuse them.
    """
    history = check_weekly_counts(throughput, "throughput")
    weeks = check_whole_number(horizon, "horizon", minimum=1, maximum=MAX_HORIZON_WEEKS)
    span = check_window(window)
    stride = check_whole_number(step, "step", minimum=1, maximum=MAX_HORIZON_WEEKS)
    trial_count = check_trials(trials)
    base_seed = check_seed(seed)
    levels = check_percentiles(percentiles)
    default_first = span if span is not None else 1
    first = check_whole_number(
        default_first if first_origin is None else first_origin,
        "first_origin",
        minimum=1,
        maximum=len(history),
    )
    origins = [
        origin
        for origin in range(first, len(history) - weeks + 1, stride)
        if any(history[max(0, origin - span) if span else 0 : origin])
    ]
    if not origins:
        raise ForecastInputError(
            "throughput", "The history is too short to replay any forecast at this horizon."
        )

    asked = tuple(sorted(set(levels) | set(_OUTER_LEVELS)))
    hits = {percentile_key(level): 0 for level in levels}
    when_hits = dict.fromkeys(hits, 0)
    totals = dict.fromkeys(hits, 0.0)
    width = 0.0
    actual_total = 0
    when_count = 0
    for origin in origins:
        past = history[:origin]
        trial_seed = None if base_seed is None else base_seed + origin
        how_many = forecast_how_many(
            past,
            weeks,
            trials=trial_count,
            seed=trial_seed,
            percentiles=asked,
            window=span,
            method=method,
        )
        actual = sum(history[origin : origin + weeks])
        actual_total += actual
        width += how_many.items["5"] - how_many.items["95"]
        for key in hits:
            hits[key] += actual >= how_many.items[key]
            totals[key] += how_many.items[key]

        recent = past[-span:] if span else past
        backlog = max(1, round(weeks * sum(recent) / len(recent)))
        finished_in = _weeks_to_finish(history[origin:], backlog)
        if finished_in is None:
            continue
        when = forecast_when(
            past,
            backlog,
            start_date=_ANY_MONDAY,
            trials=trial_count,
            seed=trial_seed,
            percentiles=levels,
            window=span,
            method=method,
        )
        when_count += 1
        for key in when_hits:
            forecast_weeks = when.weeks[key]
            when_hits[key] += forecast_weeks is None or finished_in <= forecast_weeks

    count = len(origins)
    return BacktestReport(
        method=method,
        horizon_weeks=weeks,
        window=span,
        forecasts=count,
        hit_rates={key: value / count for key, value in hits.items()},
        when_forecasts=when_count,
        when_hit_rates={
            key: value / when_count if when_count else 0.0 for key, value in when_hits.items()
        },
        mean_width_90=width / count,
        mean_items={key: value / count for key, value in totals.items()},
        mean_actual=actual_total / count,
    )


def _weeks_to_finish(future: Sequence[int], backlog: int) -> int | None:
    """Return the week (1-based) in which `future` reaches `backlog` items, or None if never."""
    done = 0
    for week, count in enumerate(future, start=1):
        done += count
        if done >= backlog:
            return week
    return None
