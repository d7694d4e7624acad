"""Where a roadmap item's dates come from, whether it is at risk, and what a move drags along.

Pure Python with no Django import. ``services.resolve_dates`` gathers the facts from the
database (the item's own dates, its release, the proposed schedule, the forecast) and runs them
through ``resolve``: the first source in ``STEPS`` that knows a date wins.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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


def shifted(span: tuple[date, date], days: int) -> tuple[date, date]:
    """``span`` moved by ``days`` (negative is earlier), keeping its length."""
    delta = timedelta(days=days)
    return span[0] + delta, span[1] + delta


def cascade[K: Hashable](
    moved: K,
    new_span: tuple[date, date],
    spans: Mapping[K, tuple[date, date]],
    depends_on: Mapping[K, Sequence[K]],
) -> dict[K, tuple[date, date]]:
    """The new spans after moving ``moved`` to ``new_span``: it, and every dependant pushed.

    A dependant must start the day after everything it depends on ends; one that would now
    start earlier moves later by just enough, keeping its length, and pushes its own
    dependants in turn. Nothing is ever pulled earlier. Items without a span are left alone
    (and push nothing). ``depends_on`` maps an item to its prerequisites and must be acyclic.
    """
    if new_span[1] < new_span[0]:
        raise ValueError("The end of the new span is before its start.")
    dependants: dict[K, list[K]] = {}
    for item, prerequisites in depends_on.items():
        for prerequisite in prerequisites:
            dependants.setdefault(prerequisite, []).append(item)
    # The items downstream of the moved one, in an order where prerequisites come first.
    reachable: set[K] = set()
    queue: deque[K] = deque([moved])
    while queue:
        for dependant in dependants.get(queue.popleft(), ()):
            if dependant not in reachable and dependant != moved:
                reachable.add(dependant)
                queue.append(dependant)
    waiting = {
        item: sum(1 for p in depends_on.get(item, ()) if p in reachable or p == moved)
        for item in reachable
    }
    result: dict[K, tuple[date, date]] = {moved: new_span}
    ready: deque[K] = deque([moved])
    while ready:
        current = ready.popleft()
        for dependant in dependants.get(current, ()):
            if dependant not in waiting:
                continue
            waiting[dependant] -= 1
            if waiting[dependant]:
                continue
            ready.append(dependant)
            span = spans.get(dependant)
            if span is None:
                continue
            ends = [
                known[1]
                for p in depends_on.get(dependant, ())
                if (known := result.get(p) or spans.get(p)) is not None
            ]
            earliest = max(ends, default=None)
            if earliest is not None and span[0] <= earliest:
                result[dependant] = shifted(span, (earliest - span[0]).days + 1)
    return result
