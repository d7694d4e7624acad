"""The dependency graph between work items: cycles refused, and the critical path.

Pure functions over plain data. A dependency is a pair ``(item, depends_on)``: the item cannot
start before ``depends_on`` ends; drawn as an arrow ``item → depends_on``, so a cycle reads
"A → B → C → A" (A depends on B, which depends on C, which depends on A).

- :func:`find_cycle` and :func:`check_acyclic` keep the dependency graph a DAG.
- :func:`critical_path` gives the earliest and latest start and finish of every item from its
  duration (any unit: days, weeks), its slack, and the chain of items with none.

:mod:`headway.planning.schedule` builds capacity-aware dates on top of this module and re-exports
its names. Item ids are any hashable values; ties are broken by input order, never by hashing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

# Item ids (I) are whatever the caller uses: database keys, strings.
type Edge[I: Hashable] = tuple[I, I]

# Durations, efforts and capacities are floats; sums of them drift in the last bits, so "no slack"
# and "week full" are decided with a tolerance rather than by exact equality.
TOLERANCE: Final = 1e-9


class ScheduleInputError(ValueError):
    """Bad input to the planning functions: ``field`` names it, ``message`` says what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def format_cycle[I: Hashable](cycle: Sequence[I], titles: Mapping[I, str] | None = None) -> str:
    """Write a cycle as "A → B → C → A", using ``titles`` where it has one for an id."""
    names = titles or {}
    return " → ".join(names.get(item, str(item)) for item in cycle)


class CycleError(ScheduleInputError):
    """Dependencies that would form a cycle.

    ``cycle`` lists the ids along it, the first repeated at the end (``[A, B, C, A]``: A depends
    on B, B on C, C on A); the message names them with their titles.
    """

    def __init__[I: Hashable](
        self, cycle: Sequence[I], titles: Mapping[I, str] | None = None
    ) -> None:
        self.cycle: list[Hashable] = list(cycle)
        path = format_cycle(cycle, titles)
        if len(self.cycle) == 2:
            message = f"An item cannot depend on itself ({path}); remove that dependency."
        else:
            message = (
                f"These dependencies would form a cycle: {path}. "
                "Remove one of them so that the work has an order."
            )
        super().__init__("depends_on", message)


def _adjacency[I: Hashable](edges: Iterable[Edge[I]]) -> dict[I, list[I]]:
    """Map each item to what it depends on, without duplicates, in input order."""
    depends_on: dict[I, dict[I, None]] = {}
    for item, dependency in edges:
        depends_on.setdefault(item, {})[dependency] = None
        depends_on.setdefault(dependency, {})
    return {item: list(targets) for item, targets in depends_on.items()}


def _path_between[I: Hashable](
    depends_on: Mapping[I, list[I]], source: I, target: I
) -> list[I] | None:
    """A shortest chain of dependencies from ``source`` to ``target`` (breadth first)."""
    parents: dict[I, I | None] = {source: None}
    queue = deque([source])
    while queue:
        current = queue.popleft()
        if current == target:
            path = [current]
            while (parent := parents[path[-1]]) is not None:
                path.append(parent)
            path.reverse()
            return path
        for following in depends_on.get(current, ()):
            if following not in parents:
                parents[following] = current
                queue.append(following)
    return None


def find_cycle[I: Hashable](
    edges: Iterable[Edge[I]], new_edge: Edge[I] | None = None
) -> list[I] | None:
    """A cycle among ``edges`` as ``[A, B, …, A]``, or ``None`` if they form a DAG.

    With ``new_edge`` (item, depends_on), only cycles through that edge are looked for, and the
    cycle starts with it; the existing edges are taken to be acyclic already, as they are when
    every dependency was added through this check. That search visits only what the new
    dependency reaches, so it stays fast on large graphs.
    """
    depends_on = _adjacency(edges)
    if new_edge is not None:
        item, dependency = new_edge
        if item == dependency:
            return [item, item]
        path = _path_between(depends_on, dependency, item)
        return None if path is None else [item, *path]
    # Iterative depth-first search; an edge back to a node still on the stack closes a cycle.
    unvisited, on_stack, done = 0, 1, 2
    state = dict.fromkeys(depends_on, unvisited)
    for root in depends_on:
        if state[root] != unvisited:
            continue
        stack: list[tuple[I, int]] = [(root, 0)]
        state[root] = on_stack
        while stack:
            node, next_child = stack[-1]
            children = depends_on[node]
            if next_child == len(children):
                state[node] = done
                stack.pop()
                continue
            stack[-1] = (node, next_child + 1)
            child = children[next_child]
            if state[child] == on_stack:
                trail = [entry[0] for entry in stack]
                return [*trail[trail.index(child) :], child]
            if state[child] == unvisited:
                state[child] = on_stack
                stack.append((child, 0))
    return None


def check_acyclic[I: Hashable](
    edges: Iterable[Edge[I]],
    new_edge: Edge[I] | None = None,
    titles: Mapping[I, str] | None = None,
) -> None:
    """Raise :class:`CycleError` naming the cycle if ``edges`` (plus ``new_edge``) have one."""
    cycle = find_cycle(edges, new_edge)
    if cycle is not None:
        raise CycleError(cycle, titles)


def dependants_of(depends_on: Sequence[Sequence[int]]) -> list[list[int]]:
    """For each index, the indices that depend on it."""
    dependants: list[list[int]] = [[] for _ in depends_on]
    for index, dependencies in enumerate(depends_on):
        for dependency in dependencies:
            dependants[dependency].append(index)
    return dependants


def is_amount(value: object, *, positive: bool = False) -> bool:
    """Whether ``value`` is a finite number (not a bool) at least 0, or above 0 if ``positive``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return value > 0 if positive else value >= 0


def topological_order(count: int, depends_on: Sequence[Sequence[int]]) -> list[int] | None:
    """Indices in an order where every item follows what it depends on, or ``None`` on a cycle.

    Among items that are ready at the same time the lower index goes first.
    """
    waiting = [len(dependencies) for dependencies in depends_on]
    dependants = dependants_of(depends_on)
    ready = deque(index for index in range(count) if waiting[index] == 0)
    order: list[int] = []
    while ready:
        index = ready.popleft()
        order.append(index)
        for dependant in dependants[index]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                ready.append(dependant)
    return order if len(order) == count else None


def indexed_edges[I: Hashable](
    ids: Sequence[I], edges: Iterable[Edge[I]], field: str
) -> list[list[int]]:
    """Dependencies as index lists, refusing ids that are not among ``ids``."""
    position = {item: index for index, item in enumerate(ids)}
    depends_on: list[dict[int, None]] = [{} for _ in ids]
    for item, dependency in edges:
        for end in (item, dependency):
            if end not in position:
                raise ScheduleInputError(
                    field,
                    f"The dependency {item} → {dependency} names {end}, which is not among the "
                    "items given; add it or drop the dependency.",
                )
        if item == dependency:
            raise CycleError([item, item])
        depends_on[position[item]][position[dependency]] = None
    return [list(dependencies) for dependencies in depends_on]


def require_order[I: Hashable](ids: Sequence[I], depends_on: Sequence[Sequence[int]]) -> list[int]:
    order = topological_order(len(ids), depends_on)
    if order is None:
        cycle = find_cycle(
            (ids[index], ids[dependency])
            for index, dependencies in enumerate(depends_on)
            for dependency in dependencies
        )
        raise CycleError(cycle or [])
    return order


@dataclass(frozen=True, slots=True)
class Timing:
    """When an item can happen, in the unit of the durations, counted from 0."""

    earliest_start: float
    earliest_finish: float
    latest_start: float
    latest_finish: float
    slack: float

    @property
    def critical(self) -> bool:
        """Whether any delay of this item delays the whole plan."""
        return self.slack <= TOLERANCE


@dataclass(frozen=True, slots=True)
class CriticalPath[I: Hashable]:
    """The result of :func:`critical_path`."""

    length: float
    path: tuple[I, ...]
    timings: Mapping[I, Timing]


def critical_path[I: Hashable](
    durations: Mapping[I, float], edges: Iterable[Edge[I]]
) -> CriticalPath[I]:
    """Earliest and latest start and finish of every item, its slack, and the critical path.

    ``durations`` maps each item to its duration (≥ 0, any unit); ``edges`` are (item,
    depends_on) pairs among those items. ``path`` is one longest chain, first item first; where
    several chains tie, the one through items listed earlier in ``durations`` is chosen.
    """
    ids = list(durations)
    for item, duration in durations.items():
        if not is_amount(duration):
            raise ScheduleInputError(
                "duration", f"The duration of {item} must be a number ≥ 0; got {duration!r}."
            )
    length_of = [float(durations[item]) for item in ids]
    depends_on = indexed_edges(ids, edges, "depends_on")
    order = require_order(ids, depends_on)
    dependants = dependants_of(depends_on)

    earliest_start = [0.0] * len(ids)
    earliest_finish = [0.0] * len(ids)
    for index in order:
        start = max((earliest_finish[d] for d in depends_on[index]), default=0.0)
        earliest_start[index] = start
        earliest_finish[index] = start + length_of[index]
    total = max(earliest_finish, default=0.0)
    latest_finish = [total] * len(ids)
    latest_start = [0.0] * len(ids)
    for index in reversed(order):
        finish = min((latest_start[d] for d in dependants[index]), default=total)
        latest_finish[index] = finish
        latest_start[index] = finish - length_of[index]
    timings = {
        item: Timing(
            earliest_start[i],
            earliest_finish[i],
            latest_start[i],
            latest_finish[i],
            slack=max(0.0, latest_start[i] - earliest_start[i]),
        )
        for i, item in enumerate(ids)
    }
    path: list[int] = []
    candidates = [i for i in range(len(ids)) if abs(earliest_finish[i] - total) <= TOLERANCE]
    while candidates:
        current = candidates[0]
        path.append(current)
        candidates = sorted(
            d
            for d in depends_on[current]
            if abs(earliest_finish[d] - earliest_start[current]) <= TOLERANCE
        )
    return CriticalPath(
        length=total, path=tuple(ids[index] for index in reversed(path)), timings=timings
    )
