"""Where a roadmap item's dates come from, and whether it is at risk.

Pure Python with no Django import. ``services.resolve_dates`` gathers the facts from the
database (the item's own dates, its release, the proposed schedule, the forecast) and runs them
through ``resolve``: the first source in ``STEPS`` that knows a date wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

Source = Literal["own", "release", "schedule", "forecast"]
Span = tuple[date | None, date]

SOURCE_TITLES: dict[Source, str] = {
    "own": "set on the item",
    "release": "the release's target date",
    "schedule": "the proposed schedule",
    "forecast": "the throughput forecast",
}


@dataclass(frozen=True, slots=True)
class DateFacts:
    """Everything known about one item's dates, one field per source.

    ``own_*`` are the dates set on the feature, initiative or marker; ``release_date`` is its
    release's target; ``scheduled`` the span the capacity schedule proposes; ``forecast_end`` the
    day the throughput forecast (85 %) says the work is done; ``done`` whether it has shipped.
    """

    own_start: date | None = None
    own_end: date | None = None
    release_date: date | None = None
    scheduled: tuple[date, date] | None = None
    forecast_end: date | None = None
    done: bool = False


@dataclass(frozen=True, slots=True)
class ResolvedDates:
    """The dates an item is drawn with, where they came from, and whether they are at risk."""

    start: date | None
    end: date | None
    source: Source | None
    expected_end: date | None
    at_risk: bool

    @property
    def is_dated(self) -> bool:
        """Whether any source knew a date (else the item goes to now / next / later)."""
        return self.end is not None or self.start is not None


def from_own(facts: DateFacts) -> Span | None:
    """The dates set on the item itself."""
    if facts.own_end is not None:
        return facts.own_start, facts.own_end
    if facts.own_start is not None:
        return facts.own_start, facts.own_start
    return None


def from_release(facts: DateFacts) -> Span | None:
    """The release's target date as the end, starting where the schedule starts the work."""
    if facts.release_date is None:
        return None
    start = facts.scheduled[0] if facts.scheduled is not None else None
    if start is not None and start > facts.release_date:
        start = None
    return start, facts.release_date


def from_schedule(facts: DateFacts) -> Span | None:
    """The span the capacity schedule proposes."""
    return facts.scheduled


def from_forecast(facts: DateFacts) -> Span | None:
    """The forecast finish as the end (the forecast knows no start)."""
    if facts.forecast_end is None:
        return None
    return None, facts.forecast_end


Step = Callable[[DateFacts], Span | None]
STEPS: tuple[tuple[Source, Step], ...] = (
    ("own", from_own),
    ("release", from_release),
    ("schedule", from_schedule),
    ("forecast", from_forecast),
)


def expected_end(facts: DateFacts) -> date | None:
    """When the work is expected to be done: the later of the schedule's and the forecast's."""
    ends = [d for d in (facts.scheduled[1] if facts.scheduled else None, facts.forecast_end) if d]
    return max(ends, default=None)


def resolve(
    facts: DateFacts, today: date, steps: Sequence[tuple[Source, Step]] = STEPS
) -> ResolvedDates:
    """Run ``facts`` through ``steps``; flag the item at risk when it will miss its date.

    An item is at risk when it is not done and either its committed end (its own, else its
    release's) is already past, or the schedule or forecast expects it to finish later.
    """
    start: date | None = None
    end: date | None = None
    source: Source | None = None
    for name, step in steps:
        span = step(facts)
        if span is not None:
            (start, end), source = span, name
            break
    expected = expected_end(facts)
    committed = facts.own_end if facts.own_end is not None else facts.release_date
    at_risk = False
    if not facts.done and committed is not None:
        at_risk = committed < today or (expected is not None and expected > committed)
    return ResolvedDates(start, end, source, expected, at_risk)
