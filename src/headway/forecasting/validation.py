"""Input checks shared by the forecasting modules.

Every check raises `ForecastInputError` naming the offending field with a sentence a person
understands, so the API can answer 422 quickly instead of simulating nonsense (or forever).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Final

import numpy as np

#: Largest number of simulated trials: enough for stable 95 % figures, small enough to answer
#: in well under a second.
MAX_TRIALS: Final = 100_000
#: The simulation never looks further ahead than ten years; trials not done by then are reported
#: as unfinished rather than simulated forever.
MAX_HORIZON_WEEKS: Final = 520
#: Longest history accepted (fifty years of weeks): longer input is certainly a mistake.
MAX_HISTORY_WEEKS: Final = 2_600
#: Largest backlog accepted for a "when" forecast.
MAX_REMAINING: Final = 1_000_000
#: Largest count accepted for one week; it also keeps running totals within 32-bit integers.
MAX_WEEKLY_COUNT: Final = 1_000_000
#: Largest calendar multiplier: a month five times as productive as usual is already a typo.
MAX_MULTIPLIER: Final = 5.0


#: How messages name each field, so that every message is a sentence a person can read.
_LABELS: Final = {
    "throughput": "The throughput history",
    "scope_growth": "The scope growth",
    "remaining": "The number of remaining items",
    "weeks": "The number of weeks",
    "trials": "The number of trials",
    "seed": "The seed",
    "window": "The history window",
    "percentiles": "Each percentile",
    "calendar": "The calendar",
    "horizon": "The horizon",
    "step": "The step",
    "first_origin": "The first origin",
    "capacity_per_week": "The capacity per week",
    "estimates": "The list of estimates",
    "method": "The method",
}


class ForecastInputError(ValueError):
    """Bad input to a forecast; `field` names the argument and `message` says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def describe(field: str) -> str:
    """Return how a message names `field`: "trials" -> "The number of trials"."""
    return _LABELS.get(field, "The " + field.replace("_", " "))


def as_number(value: object) -> float | None:
    """Return `value` as a float if it is a real number (a bool is not), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    return float(value)


def as_whole_number(value: object) -> int | None:
    """Return `value` as an int if it is a whole number (3 or 3.0, not True or 3.5), else None."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    number = as_number(value)
    if number is None or not number.is_integer():
        return None
    return int(number)


def check_whole_number(value: object, field: str, *, minimum: int, maximum: int) -> int:
    """Return `value` as an int if it is a whole number in [minimum, maximum]."""
    number = as_whole_number(value)
    if number is None:
        raise ForecastInputError(field, f"{describe(field)} must be a whole number.")
    if number < minimum:
        raise ForecastInputError(field, f"{describe(field)} must be at least {minimum:,}.")
    if number > maximum:
        raise ForecastInputError(field, f"{describe(field)} must be at most {maximum:,}.")
    return number


def check_weekly_counts(values: object, field: str) -> list[int]:
    """Return a list of weekly counts: whole numbers, none negative, at least one week."""
    name = describe(field)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ForecastInputError(field, f"{name} must be a list of weekly counts.")
    if not values:
        raise ForecastInputError(field, f"{name} needs at least one week.")
    if len(values) > MAX_HISTORY_WEEKS:
        raise ForecastInputError(field, f"{name} may hold at most {MAX_HISTORY_WEEKS:,} weeks.")
    counts: list[int] = []
    for position, value in enumerate(values, start=1):
        count = as_whole_number(value)
        where = f"Week {position} of {name[0].lower()}{name[1:]}"
        if count is None:
            raise ForecastInputError(field, f"{where} is not a whole number.")
        if count < 0:
            raise ForecastInputError(field, f"{where} is negative.")
        if count > MAX_WEEKLY_COUNT:
            raise ForecastInputError(field, f"{where} is above {MAX_WEEKLY_COUNT:,}.")
        counts.append(count)
    return counts


def check_trials(trials: object) -> int:
    """Return the number of trials, between 1 and `MAX_TRIALS`."""
    return check_whole_number(trials, "trials", minimum=1, maximum=MAX_TRIALS)


def check_seed(seed: object) -> int | None:
    """Return the seed: None (a fresh random run) or a non-negative whole number."""
    if seed is None:
        return None
    return check_whole_number(seed, "seed", minimum=0, maximum=2**63 - 1)


def check_window(window: object) -> int | None:
    """Return the history window in weeks: None (all history) or a positive whole number."""
    if window is None:
        return None
    return check_whole_number(window, "window", minimum=1, maximum=MAX_HISTORY_WEEKS)


def check_percentiles(percentiles: object) -> tuple[float, ...]:
    """Return the requested confidence levels, each strictly between 0 and 100, sorted."""
    if isinstance(percentiles, (str, bytes)) or not isinstance(percentiles, Sequence):
        raise ForecastInputError(
            "percentiles", "The percentiles must be a list of numbers between 0 and 100."
        )
    if not percentiles:
        raise ForecastInputError("percentiles", "At least one percentile is needed.")
    levels: set[float] = set()
    for value in percentiles:
        level = as_number(value)
        if level is None or not 0 < level < 100:
            raise ForecastInputError(
                "percentiles", "Each percentile must be a number strictly between 0 and 100."
            )
        levels.add(level)
    return tuple(sorted(levels))


def check_date(value: object, field: str) -> date:
    """Return `value` as a plain date (a datetime keeps only its calendar day)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ForecastInputError(field, f"{describe(field)} must be a date.")
    return value


def check_calendar(calendar: object) -> dict[int, float]:
    """Return month multipliers: keys 1-12, factors from 0 to `MAX_MULTIPLIER`."""
    if calendar is None:
        return {}
    if not isinstance(calendar, Mapping):
        raise ForecastInputError(
            "calendar", "The calendar must map month numbers (1-12) to multipliers."
        )
    multipliers: dict[int, float] = {}
    for key, value in calendar.items():
        # JSON object keys arrive as strings, so "12" is as good as 12.
        month = int(key) if isinstance(key, str) and key.isdigit() else as_whole_number(key)
        if month is None or not 1 <= month <= 12:
            raise ForecastInputError(
                "calendar", f"Calendar month {key!r} is not a month number from 1 to 12."
            )
        factor = as_number(value)
        if factor is None or not math.isfinite(factor) or not 0 <= factor <= MAX_MULTIPLIER:
            raise ForecastInputError(
                "calendar",
                f"The multiplier for month {month} must be a number from 0 to {MAX_MULTIPLIER:g}.",
            )
        multipliers[month] = factor
    return multipliers


def check_positive_number(value: object, field: str, *, maximum: float) -> float:
    """Return `value` as a float if it is finite, positive and at most `maximum`."""
    number = as_number(value)
    if number is None or not math.isfinite(number):
        raise ForecastInputError(field, f"{describe(field)} must be a number.")
    if number <= 0:
        raise ForecastInputError(field, f"{describe(field)} must be greater than zero.")
    if number > maximum:
        raise ForecastInputError(field, f"{describe(field)} must be at most {maximum:,g}.")
    return number
