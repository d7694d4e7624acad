"""Capacity-aware scheduling, and what moves with a moved item.

Pure functions over plain data, built on :mod:`headway.planning.dependencies` (the dependency
graph, cycles and the critical path), whose names this module re-exports.

- :func:`schedule` proposes start and finish dates from each item's effort, its team's weekly
  capacity, its dependencies and the priority order: an item never starts before all it depends
  on has finished, and no team is booked past its capacity in any week.
- :func:`moves_with` shows what moving one item does to what depends on it.

Item and team ids are any hashable values (database keys, strings). Everything is deterministic:
ties are broken by the order of the input, never by hashing.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from headway.planning.dependencies import (
    TOLERANCE,
    CriticalPath,
    CycleError,
    Edge,
    ScheduleInputError,
    Timing,
    check_acyclic,
    critical_path,
    dependants_of,
    find_cycle,
    format_cycle,
    indexed_edges,
    is_amount,
    require_order,
)

__all__ = [
    "CriticalPath",
    "CycleError",
    "Edge",
    "Move",
    "MoveResult",
    "Plan",
    "ScheduleInputError",
    "ScheduledItem",
    "Team",
    "Timing",
    "WorkItem",
    "check_acyclic",
    "critical_path",
    "find_cycle",
    "format_cycle",
    "moves_with",
    "schedule",
]


@dataclass(frozen=True, slots=True)
class Team[T: Hashable]:
    """A team and how many points of work it completes in a week."""

    id: T
    capacity: float


@dataclass(frozen=True, slots=True)
class WorkItem[I: Hashable, T: Hashable]:
    """An item to schedule: its effort in points, its team, what it depends on, and optionally
    a date it is pinned to (it starts no earlier than the plan week that contains that date)."""

    id: I
    team: T
    effort: float
    depends_on: tuple[I, ...] = ()
    pinned_start: date | None = None


@dataclass(frozen=True, slots=True)
class ScheduledItem[I: Hashable, T: Hashable]:
    """Where the scheduler put an item.

    Weeks count from the plan's origin; ``end_week`` is exclusive, so the item works in weeks
    ``start_week`` to ``end_week - 1``. ``start`` is the first day and ``finish`` the day after
    the last working week, the first day anything depending on it may start; an item of no
    effort is a milestone with ``start == finish``. ``load`` lists (week, points) booked.
    ``earliest_week`` is the first week its dependencies and pin allowed, ``waits_for`` the
    dependency that set it (``None`` if none did); starting later than ``earliest_week`` means the
    team was fully booked.
    """

    id: I
    team: T
    start_week: int
    end_week: int
    start: date
    finish: date
    load: tuple[tuple[int, float], ...]
    earliest_week: int
    waits_for: I | None

    @property
    def weeks_waiting_for_capacity(self) -> int:
        """Weeks between when the item could start and when its team had room for it."""
        return self.start_week - self.earliest_week


@dataclass(frozen=True, slots=True)
class Plan[I: Hashable, T: Hashable]:
    """A proposed schedule: every item once, in the order given, and each team's weekly load."""

    origin: date
    items: Mapping[I, ScheduledItem[I, T]]
    team_load: Mapping[T, tuple[float, ...]]
    edges: tuple[Edge[I], ...]

    @property
    def weeks(self) -> int:
        """The number of weeks until the last item finishes."""
        return max((item.end_week for item in self.items.values()), default=0)

    def spans(self) -> dict[I, tuple[date, date]]:
        """Each item's (start, finish) dates, the input of :func:`moves_with`."""
        return {item.id: (item.start, item.finish) for item in self.items.values()}

    def moves_with(self, item_id: I, new_start: date) -> MoveResult[I]:
        """What moves if ``item_id`` is moved to start on ``new_start`` (see :func:`moves_with`)."""
        return moves_with(self.spans(), self.edges, item_id, new_start)


class _TeamWeeks:
    """One team's free capacity per week, with a union-find "next week with room" index so that
    skipping fully booked weeks costs almost nothing however many there are."""

    __slots__ = ("capacity", "free", "next_open")

    def __init__(self, capacity: float) -> None:
        self.capacity = capacity
        self.free: list[float] = []
        self.next_open: list[int] = []

    def _grow(self, week: int) -> None:
        while len(self.free) <= week:
            self.next_open.append(len(self.free))
            self.free.append(self.capacity)

    def open_week(self, week: int) -> int:
        """The first week at or after ``week`` with room left."""
        self._grow(week)
        root = week
        while self.next_open[root] != root:
            root = self.next_open[root]
            self._grow(root)
        while self.next_open[week] != root:
            self.next_open[week], week = root, self.next_open[week]
        return root

    def book(self, week: int, points: float) -> float:
        """Book up to ``points`` in ``week`` (which has room); return what was booked."""
        booked = min(self.free[week], points)
        self.free[week] -= booked
        if self.free[week] <= self.capacity * TOLERANCE:
            self.free[week] = 0.0
            self._grow(week + 1)
            self.next_open[week] = week + 1
        return booked


def _validate_teams[T: Hashable](teams: Iterable[Team[T]]) -> dict[T, _TeamWeeks]:
    weeks: dict[T, _TeamWeeks] = {}
    for index, team in enumerate(teams):
        if team.id in weeks:
            raise ScheduleInputError(
                f"teams[{index}].id", f"Team {team.id} appears twice; list each team once."
            )
        if not is_amount(team.capacity, positive=True):
            raise ScheduleInputError(
                f"teams[{index}].capacity",
                f"Team {team.id} needs a capacity above 0 points per week; got {team.capacity!r}.",
            )
        weeks[team.id] = _TeamWeeks(float(team.capacity))
    return weeks


def _validate_items[I: Hashable, T: Hashable](
    items: Sequence[WorkItem[I, T]], teams: Mapping[T, _TeamWeeks]
) -> None:
    seen: set[I] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise ScheduleInputError(
                f"items[{index}].id", f"Item {item.id} appears twice; list each item once."
            )
        seen.add(item.id)
        if item.team not in teams:
            raise ScheduleInputError(
                f"items[{index}].team",
                f"Item {item.id} belongs to team {item.team}, which has no capacity given; "
                "add the team or move the item to another team.",
            )
        if not is_amount(item.effort):
            raise ScheduleInputError(
                f"items[{index}].effort",
                f"The effort of item {item.id} must be zero or more points; got {item.effort!r}.",
            )
        if item.pinned_start is not None and not isinstance(item.pinned_start, date):
            raise ScheduleInputError(
                f"items[{index}].pinned_start",
                f"The pinned start of item {item.id} must be a date; got {item.pinned_start!r}.",
            )


def schedule[I: Hashable, T: Hashable](
    items: Sequence[WorkItem[I, T]],
    teams: Iterable[Team[T]],
    origin: date,
    *,
    needed: Collection[I] | None = None,
) -> Plan[I, T]:
    """Propose start and finish dates for ``items``, listed in priority order (first = most
    important), given each team's weekly capacity, starting on ``origin``.

    Each item starts in the first week in which all it depends on has finished, its pinned date
    (if any) has come, and its team has room; it then takes as much of its team's remaining
    capacity each week as it needs until its effort is booked. Items are placed one at a time in
    priority order, except that an item goes no later than the most important item waiting on it,
    so a prerequisite of urgent work is not queued behind unimportant work. No team is booked past
    its capacity in any week, and the result depends only on the input (ties follow input order).

    With ``needed``, only the items placed before the last of those are placed, and the plan
    holds only them: every item at most as urgent as a needed one is placed before any less
    urgent item (what it waits for is at least as urgent, so it is ready first), and an item's
    dates depend only on what was placed before it, so the needed items get the same dates as
    when everything is scheduled. A roadmap of the first 1,500 of 8,000 features needs a fifth
    of the work.

    Raises :class:`ScheduleInputError` for bad input and :class:`CycleError` for a cycle.
    """
    team_weeks = _validate_teams(teams)
    _validate_items(items, team_weeks)
    ids = [item.id for item in items]
    edges = [(item.id, dependency) for item in items for dependency in item.depends_on]
    depends_on = indexed_edges(ids, edges, "depends_on")
    order = require_order(ids, depends_on)
    count = len(items)
    dependants = dependants_of(depends_on)
    # An item inherits the priority of the most important item that (transitively) waits on it.
    urgency = list(range(count))
    for index in reversed(order):
        for dependant in dependants[index]:
            urgency[index] = min(urgency[index], urgency[dependant])

    last = count
    if needed is not None:
        position = {item_id: index for index, item_id in enumerate(ids)}
        last = max((urgency[position[i]] for i in needed if i in position), default=-1)
    waiting = [len(dependencies) for dependencies in depends_on]
    ready = [(urgency[index], index) for index in range(count) if waiting[index] == 0]
    heapq.heapify(ready)
    placed: list[ScheduledItem[I, T] | None] = [None] * count
    while ready:
        if ready[0][0] > last:
            break  # every needed item is placed; the rest cannot change their dates
        _, index = heapq.heappop(ready)
        placed[index] = _place(items[index], depends_on[index], placed, team_weeks, origin)
        for dependant in dependants[index]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                heapq.heappush(ready, (urgency[dependant], dependant))

    scheduled = {item.id: entry for item, entry in zip(items, placed, strict=True) if entry}
    return Plan(
        origin=origin,
        items=scheduled,
        team_load={
            team: tuple(weeks.capacity - free for free in weeks.free)
            for team, weeks in team_weeks.items()
        },
        edges=tuple(edges),
    )


def _place[I: Hashable, T: Hashable](
    item: WorkItem[I, T],
    dependencies: Sequence[int],
    placed: Sequence[ScheduledItem[I, T] | None],
    team_weeks: Mapping[T, _TeamWeeks],
    origin: date,
) -> ScheduledItem[I, T]:
    earliest = 0
    waits_for: I | None = None
    if item.pinned_start is not None:
        earliest = max(0, (item.pinned_start - origin).days // 7)
    for dependency_index in dependencies:
        dependency = placed[dependency_index]
        # The topological order guarantees every dependency is placed before its dependants.
        assert dependency is not None
        if dependency.end_week > earliest:
            earliest, waits_for = dependency.end_week, dependency.id
    weeks = team_weeks[item.team]
    load: list[tuple[int, float]] = []
    if item.effort <= 0:
        start = end = earliest
    else:
        remaining = float(item.effort)
        week = start = weeks.open_week(earliest)
        while True:
            week = weeks.open_week(week)
            booked = weeks.book(week, remaining)
            load.append((week, booked))
            remaining -= booked
            if remaining <= item.effort * TOLERANCE:
                break
            week += 1
        end = week + 1
    return ScheduledItem(
        id=item.id,
        team=item.team,
        start_week=start,
        end_week=end,
        start=origin + timedelta(weeks=start),
        finish=origin + timedelta(weeks=end),
        load=tuple(load),
        earliest_week=earliest,
        waits_for=waits_for,
    )


@dataclass(frozen=True, slots=True)
class Move[I: Hashable]:
    """One item's dates before and after a move."""

    id: I
    start: date
    finish: date
    new_start: date
    new_finish: date

    @property
    def days(self) -> int:
        """How far the item moved, in days (negative: earlier)."""
        return (self.new_start - self.start).days


@dataclass(frozen=True, slots=True)
class MoveResult[I: Hashable]:
    """What a move does: every item that moves (the moved item first, then its dependants in
    dependency order) and the moved item's dependencies that would now finish after it starts."""

    moves: tuple[Move[I], ...]
    conflicts: tuple[I, ...]


def moves_with[I: Hashable](
    spans: Mapping[I, tuple[date, date]],
    edges: Iterable[Edge[I]],
    item_id: I,
    new_start: date,
) -> MoveResult[I]:
    """Move ``item_id`` to start on ``new_start``, keeping its length, and push back every item
    that depends on it, directly or not, just far enough to start no earlier than what it depends
    on finishes.

    ``spans`` maps items to (start, finish) dates, finish being the first day a dependant may
    start (as in :meth:`Plan.spans`; for inclusive end dates pass the day after). Dependants only
    ever move later: moving an item earlier frees them but does not pull them forward, since other
    constraints may hold them. Capacity is not re-checked here; :func:`schedule` with the item
    pinned gives the capacity-aware plan.
    """
    if item_id not in spans:
        raise ScheduleInputError("item", f"Item {item_id} is not among the items given.")
    for item, (start, finish) in spans.items():
        if finish < start:
            raise ScheduleInputError(
                "spans", f"Item {item} finishes ({finish}) before it starts ({start})."
            )
    ids = list(spans)
    index_of = {item: index for index, item in enumerate(ids)}
    depends_on = indexed_edges(ids, edges, "depends_on")
    dependants = dependants_of(depends_on)

    moved_index = index_of[item_id]
    reachable = {moved_index}
    frontier = [moved_index]
    while frontier:
        for dependant in dependants[frontier.pop()]:
            if dependant not in reachable:
                reachable.add(dependant)
                frontier.append(dependant)
    local_dependencies = [
        [d for d in depends_on[i] if d in reachable] if i in reachable else []
        for i in range(len(ids))
    ]
    order = require_order(ids, local_dependencies)

    start, finish = spans[item_id]
    shift = new_start - start
    new_spans: dict[int, tuple[date, date]] = {moved_index: (new_start, finish + shift)}
    moves: list[Move[I]] = []
    if shift:
        moves.append(Move(item_id, start, finish, new_start, finish + shift))
    for index in order:
        if index == moved_index or index not in reachable:
            continue
        required = max(
            (new_spans[d][1] for d in local_dependencies[index] if d in new_spans), default=None
        )
        old_start, old_finish = spans[ids[index]]
        if required is not None and required > old_start:
            push = required - old_start
            new_spans[index] = (old_start + push, old_finish + push)
            moves.append(Move(ids[index], old_start, old_finish, *new_spans[index]))
    conflicts = tuple(ids[d] for d in depends_on[moved_index] if spans[ids[d]][1] > new_start)
    return MoveResult(moves=tuple(moves), conflicts=conflicts)
