"""Tests of dependencies, the critical path and capacity-aware scheduling."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.planning.schedule import (
    CriticalPath,
    CycleError,
    Plan,
    ScheduleInputError,
    Team,
    WorkItem,
    check_acyclic,
    critical_path,
    find_cycle,
    format_cycle,
    moves_with,
    schedule,
)

type Backlog = tuple[list[WorkItem[int, str]], list[Team[str]]]

MONDAY = date(2026, 1, 5)
TEAM = Team("core", 10)


def refused(call: Callable[[], object], field: str) -> ScheduleInputError:
    """Run ``call``, expecting it to refuse the input named ``field`` with a full sentence."""
    with pytest.raises(ScheduleInputError) as caught:
        call()
    assert caught.value.field == field
    assert caught.value.message.endswith("."), caught.value.message
    return caught.value


def week(number: int) -> date:
    """The first day of week ``number`` of a plan starting on MONDAY."""
    return MONDAY + timedelta(weeks=number)


# --- cycles --------------------------------------------------------------------------------


def test_a_dag_has_no_cycle() -> None:
    assert find_cycle([("A", "B"), ("B", "C"), ("A", "C")]) is None


def test_a_cycle_is_found_and_closed() -> None:
    assert find_cycle([("A", "B"), ("B", "C"), ("C", "A")]) == ["A", "B", "C", "A"]


def test_a_new_dependency_that_closes_a_cycle_starts_the_cycle() -> None:
    assert find_cycle([("A", "B"), ("B", "C")], ("C", "A")) == ["C", "A", "B", "C"]


def test_a_new_dependency_that_closes_no_cycle_is_accepted() -> None:
    assert find_cycle([("A", "B"), ("B", "C")], ("A", "C")) is None


def test_a_self_dependency_is_a_cycle() -> None:
    assert find_cycle([], ("A", "A")) == ["A", "A"]


def test_cycle_error_names_the_cycle_with_titles() -> None:
    titles = {1: "Login", 2: "SSO", 3: "Audit log"}
    with pytest.raises(CycleError) as caught:
        check_acyclic([(1, 2), (2, 3)], (3, 1), titles)
    assert caught.value.cycle == [3, 1, 2, 3]
    assert caught.value.field == "depends_on"
    assert "Audit log → Login → SSO → Audit log" in caught.value.message


def test_cycle_error_on_a_self_dependency_says_so() -> None:
    with pytest.raises(CycleError) as caught:
        check_acyclic([], ("A", "A"))
    assert caught.value.message.startswith("An item cannot depend on itself (A → A)")


def test_check_acyclic_passes_a_dag() -> None:
    check_acyclic([("A", "B")], ("B", "C"))
    assert format_cycle(["A", "B", "A"], {"A": "Alpha"}) == "Alpha → B → Alpha"


def closure(nodes: int, edges: set[tuple[int, int]]) -> list[list[bool]]:
    """reaches[a][b]: a path of at least one edge leads from a to b (brute force)."""
    reaches = [[(a, b) in edges for b in range(nodes)] for a in range(nodes)]
    for middle in range(nodes):
        for a in range(nodes):
            if reaches[a][middle]:
                for b in range(nodes):
                    reaches[a][b] = reaches[a][b] or reaches[middle][b]
    return reaches


def is_cycle_of(cycle: list[int], edges: set[tuple[int, int]]) -> bool:
    return (
        len(cycle) >= 2
        and cycle[0] == cycle[-1]
        and all((a, b) in edges for a, b in zip(cycle, cycle[1:], strict=False))
    )


small_graphs = st.integers(1, 6).flatmap(
    lambda n: st.tuples(
        st.just(n), st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12)
    )
)


@settings(max_examples=200)
@given(small_graphs)
def test_cycle_detection_agrees_with_brute_force(graph: tuple[int, set[tuple[int, int]]]) -> None:
    nodes, edges = graph
    reaches = closure(nodes, edges)
    cycle = find_cycle(sorted(edges))
    assert (cycle is not None) == any(reaches[v][v] for v in range(nodes))
    assert cycle is None or is_cycle_of(cycle, edges)


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 8) -> tuple[int, set[tuple[int, int]]]:
    """A random DAG: edges only from later to earlier positions of a hidden order."""
    nodes = draw(st.integers(1, max_nodes))
    order = draw(st.permutations(range(nodes)))
    position = {node: index for index, node in enumerate(order)}
    pairs = draw(st.sets(st.tuples(st.integers(0, nodes - 1), st.integers(0, nodes - 1))))
    return nodes, {(a, b) for a, b in pairs if position[a] > position[b]}


@settings(max_examples=200)
@given(dags(), st.data())
def test_new_edge_check_agrees_with_brute_force(
    graph: tuple[int, set[tuple[int, int]]], data: st.DataObject
) -> None:
    nodes, edges = graph
    item = data.draw(st.integers(0, nodes - 1))
    dependency = data.draw(st.integers(0, nodes - 1))
    reaches = closure(nodes, edges)
    cycle = find_cycle(sorted(edges), (item, dependency))
    assert (cycle is not None) == (item == dependency or reaches[dependency][item])
    if cycle is not None:
        assert cycle[:2] == [item, dependency] and is_cycle_of(cycle, edges | {(item, dependency)})


# --- critical path -------------------------------------------------------------------------


def test_critical_path_of_a_diamond() -> None:
    result = critical_path(
        {"A": 3, "B": 2, "C": 4, "D": 1}, [("B", "A"), ("C", "A"), ("D", "B"), ("D", "C")]
    )
    assert result.length == 8
    assert result.path == ("A", "C", "D")
    assert result.timings["B"].earliest_start == 3 and result.timings["B"].slack == 2
    assert result.timings["C"].critical and not result.timings["B"].critical


def test_critical_path_gives_latest_start_and_finish() -> None:
    timing = critical_path({"A": 3, "B": 2, "C": 4}, [("C", "A")]).timings["B"]
    assert (timing.latest_start, timing.latest_finish, timing.slack) == (5, 7, 5)


def test_critical_path_of_nothing_is_empty() -> None:
    result: CriticalPath[str] = critical_path({}, [])
    assert (result.length, result.path) == (0, ())


def test_critical_path_refuses_a_cycle() -> None:
    with pytest.raises(CycleError):
        critical_path({"A": 1, "B": 1}, [("A", "B"), ("B", "A")])


def test_critical_path_refuses_a_dependency_on_an_unknown_item() -> None:
    refused(lambda: critical_path({"A": 1}, [("A", "Z")]), "depends_on")


def test_critical_path_refuses_a_negative_duration() -> None:
    refused(lambda: critical_path({"A": -1}, []), "duration")


def test_critical_path_refuses_a_duration_that_is_not_a_number() -> None:
    refused(lambda: critical_path({"A": "3"}, []), "duration")  # type: ignore[dict-item]


@settings(max_examples=150)
@given(dags(10), st.data())
def test_critical_path_timings_are_consistent(
    graph: tuple[int, set[tuple[int, int]]], data: st.DataObject
) -> None:
    nodes, edges = graph
    durations = {n: float(data.draw(st.integers(0, 9))) for n in range(nodes)}
    result = critical_path(durations, sorted(edges))
    timings = result.timings
    for item, dependency in edges:
        assert timings[item].earliest_start >= timings[dependency].earliest_finish
        assert timings[dependency].latest_finish <= timings[item].latest_start
    for item, timing in timings.items():
        assert timing.earliest_finish == timing.earliest_start + durations[item]
        assert timing.slack >= 0 and timing.latest_finish <= result.length
    assert result.length == max(t.earliest_finish for t in timings.values())
    assert sum(durations[item] for item in result.path) == result.length
    assert all((b, a) in edges for a, b in zip(result.path, result.path[1:], strict=False))
    assert all(timings[item].critical for item in result.path)


# --- capacity-aware scheduling --------------------------------------------------------------


def test_an_item_starts_when_its_dependency_ends() -> None:
    plan = schedule([WorkItem("A", "core", 10), WorkItem("B", "core", 5, ("A",))], [TEAM], MONDAY)
    assert (plan.items["B"].start_week, plan.items["B"].waits_for) == (1, "A")
    assert plan.items["B"].start == plan.items["A"].finish == week(1)


def test_effort_larger_than_capacity_spreads_over_weeks() -> None:
    plan = schedule([WorkItem("A", "core", 25)], [TEAM], MONDAY)
    assert plan.items["A"].load == ((0, 10.0), (1, 10.0), (2, 5.0))
    assert (plan.items["A"].start, plan.items["A"].finish) == (MONDAY, week(3))


def test_items_of_one_team_share_its_capacity_in_priority_order() -> None:
    plan = schedule([WorkItem("A", "core", 8), WorkItem("B", "core", 8)], [TEAM], MONDAY)
    assert plan.items["A"].load == ((0, 8.0),)
    assert plan.items["B"].load == ((0, 2.0), (1, 6.0))
    assert plan.team_load["core"] == (10.0, 6.0)


def test_an_item_waits_while_its_team_is_fully_booked() -> None:
    plan = schedule([WorkItem("A", "core", 20), WorkItem("B", "core", 3)], [TEAM], MONDAY)
    assert (plan.items["B"].start_week, plan.items["B"].weeks_waiting_for_capacity) == (2, 2)


def test_teams_work_in_parallel() -> None:
    teams = [TEAM, Team("web", 10)]
    plan = schedule([WorkItem("A", "core", 10), WorkItem("B", "web", 10)], teams, MONDAY)
    assert plan.items["A"].start_week == plan.items["B"].start_week == 0


def test_a_prerequisite_of_urgent_work_goes_before_unimportant_work() -> None:
    items = [
        WorkItem("urgent", "web", 1, ("prerequisite",)),
        WorkItem("unimportant", "core", 10),
        WorkItem("prerequisite", "core", 10),
    ]
    plan = schedule(items, [TEAM, Team("web", 10)], MONDAY)
    assert plan.items["prerequisite"].start_week == 0
    assert plan.items["unimportant"].start_week == 1


def test_a_pinned_item_starts_no_earlier_than_the_week_of_its_date() -> None:
    plan = schedule([WorkItem("A", "core", 5, pinned_start=date(2026, 2, 4))], [TEAM], MONDAY)
    assert plan.items["A"].start_week == 4 and plan.items["A"].start == week(4)


def test_a_pin_in_the_past_starts_at_the_origin() -> None:
    plan = schedule([WorkItem("A", "core", 5, pinned_start=date(2025, 6, 1))], [TEAM], MONDAY)
    assert plan.items["A"].start_week == 0


def test_a_dependency_beats_a_pin() -> None:
    items = [WorkItem("A", "core", 30), WorkItem("B", "core", 1, ("A",), pinned_start=MONDAY)]
    assert schedule(items, [TEAM], MONDAY).items["B"].start_week == 3


def test_an_item_without_effort_is_a_milestone() -> None:
    plan = schedule([WorkItem("A", "core", 10), WorkItem("M", "core", 0, ("A",))], [TEAM], MONDAY)
    milestone = plan.items["M"]
    assert milestone.start == milestone.finish == week(1) and milestone.load == ()


def test_the_plan_lists_items_in_the_order_given() -> None:
    items = [WorkItem("B", "core", 1, ("A",)), WorkItem("A", "core", 1)]
    assert list(schedule(items, [TEAM], MONDAY).items) == ["B", "A"]


def test_plan_spans_and_weeks() -> None:
    plan = schedule([WorkItem("A", "core", 15)], [TEAM], MONDAY)
    assert plan.spans() == {"A": (MONDAY, week(2))} and plan.weeks == 2


def test_schedule_refuses_a_cycle_naming_it() -> None:
    items = [WorkItem("A", "core", 1, ("B",)), WorkItem("B", "core", 1, ("A",))]
    with pytest.raises(CycleError) as caught:
        schedule(items, [TEAM], MONDAY)
    assert caught.value.cycle in (["A", "B", "A"], ["B", "A", "B"])


def test_schedule_refuses_a_self_dependency() -> None:
    with pytest.raises(CycleError):
        schedule([WorkItem("A", "core", 1, ("A",))], [TEAM], MONDAY)


def test_schedule_refuses_a_dependency_on_an_unknown_item() -> None:
    refused(lambda: schedule([WorkItem("A", "core", 1, ("Z",))], [TEAM], MONDAY), "depends_on")


def test_schedule_refuses_an_item_listed_twice() -> None:
    items = [WorkItem("A", "core", 1)] * 2
    refused(lambda: schedule(items, [TEAM], MONDAY), "items[1].id")


def test_schedule_refuses_an_item_of_an_unknown_team() -> None:
    refused(lambda: schedule([WorkItem("A", "web", 1)], [TEAM], MONDAY), "items[0].team")


def test_schedule_refuses_negative_effort() -> None:
    refused(lambda: schedule([WorkItem("A", "core", -1)], [TEAM], MONDAY), "items[0].effort")


def test_schedule_refuses_a_pinned_start_that_is_not_a_date() -> None:
    item = WorkItem("A", "core", 1, pinned_start="2026-01-05")  # type: ignore[arg-type]
    refused(lambda: schedule([item], [TEAM], MONDAY), "items[0].pinned_start")


def test_schedule_refuses_a_team_without_capacity() -> None:
    refused(lambda: schedule([], [Team("core", 0)], MONDAY), "teams[0].capacity")


def test_schedule_refuses_a_team_listed_twice() -> None:
    refused(lambda: schedule([], [TEAM, TEAM], MONDAY), "teams[1].id")


@st.composite
def backlogs(draw: st.DrawFn) -> Backlog:
    """A random backlog: items in priority order over a random DAG, teams, efforts and pins."""
    teams = [
        Team(f"t{index}", capacity)
        for index, capacity in enumerate(
            draw(st.lists(st.sampled_from((1, 2.5, 5, 10, 13)), min_size=1, max_size=3))
        )
    ]
    nodes, edges = draw(dags(25))
    depends_on: dict[int, list[int]] = defaultdict(list)
    for item, dependency in sorted(edges):
        depends_on[item].append(dependency)
    items = []
    for node in range(nodes):
        pin = draw(st.one_of(st.none(), st.integers(-10, 60)))
        items.append(
            WorkItem(
                id=node,
                team=draw(st.sampled_from(teams)).id,
                effort=draw(st.sampled_from((0, 0.5, 1, 2, 3, 5, 8, 13, 20))),
                depends_on=tuple(depends_on[node]),
                pinned_start=None if pin is None else MONDAY + timedelta(days=pin),
            )
        )
    return items, teams


@settings(max_examples=150)
@given(backlogs())
def test_no_item_starts_before_any_of_its_dependencies_ends(
    backlog: Backlog,
) -> None:
    items, teams = backlog
    plan = schedule(items, teams, MONDAY)
    for item in items:
        for dependency in item.depends_on:
            assert plan.items[item.id].start_week >= plan.items[dependency].end_week
            assert plan.items[item.id].start >= plan.items[dependency].finish


@settings(max_examples=150)
@given(backlogs())
def test_no_team_week_is_booked_over_capacity(backlog: Backlog) -> None:
    items, teams = backlog
    plan = schedule(items, teams, MONDAY)
    booked: dict[tuple[str, int], float] = defaultdict(float)
    for scheduled in plan.items.values():
        for week_number, points in scheduled.load:
            assert points > 0
            booked[(scheduled.team, week_number)] += points
    capacity = {team.id: team.capacity for team in teams}
    for (team, week_number), points in booked.items():
        assert points <= capacity[team] * (1 + 1e-9)
        assert plan.team_load[team][week_number] == pytest.approx(points)


@settings(max_examples=150)
@given(backlogs())
def test_every_item_is_scheduled_once_with_all_its_effort(
    backlog: Backlog,
) -> None:
    items, teams = backlog
    plan = schedule(items, teams, MONDAY)
    assert list(plan.items) == [item.id for item in items]
    for item in items:
        scheduled = plan.items[item.id]
        assert sum(points for _, points in scheduled.load) == pytest.approx(item.effort)
        assert scheduled.start_week <= scheduled.end_week
        assert all(scheduled.start_week <= w < scheduled.end_week for w, _ in scheduled.load)
        if item.pinned_start is not None:
            assert scheduled.start_week >= (item.pinned_start - MONDAY).days // 7


@settings(max_examples=50)
@given(backlogs())
def test_scheduling_is_deterministic(backlog: Backlog) -> None:
    items, teams = backlog
    assert schedule(items, teams, MONDAY) == schedule(list(items), list(teams), MONDAY)


# --- what moves with an item ----------------------------------------------------------------


def chain_plan() -> Plan[str, str]:
    items = [
        WorkItem("A", "core", 10),
        WorkItem("B", "core", 10, ("A",)),
        WorkItem("C", "core", 10, ("B",)),
        WorkItem("D", "core", 1),
    ]
    return schedule(items, [TEAM], MONDAY)


def test_moving_an_item_later_pushes_its_dependants_by_as_much() -> None:
    result = chain_plan().moves_with("A", week(2))
    assert [(move.id, move.days) for move in result.moves] == [("A", 14), ("B", 14), ("C", 14)]
    assert result.conflicts == ()


def test_dependants_move_only_as_far_as_needed() -> None:
    spans = {"A": (week(0), week(1)), "B": (week(3), week(4))}
    result = moves_with(spans, [("B", "A")], "A", week(1))
    assert [(move.id, move.days) for move in result.moves] == [("A", 7)]


def test_moving_an_item_earlier_does_not_pull_its_dependants() -> None:
    result = chain_plan().moves_with("B", week(0))
    assert [move.id for move in result.moves] == ["B"]


def test_moving_an_item_before_its_dependency_ends_reports_a_conflict() -> None:
    assert chain_plan().moves_with("B", week(0)).conflicts == ("A",)


def test_moving_an_item_nowhere_moves_nothing() -> None:
    assert chain_plan().moves_with("A", MONDAY).moves == ()


def test_moves_with_refuses_an_unknown_item() -> None:
    refused(lambda: chain_plan().moves_with("Z", MONDAY), "item")


def test_moves_with_refuses_a_span_that_ends_before_it_starts() -> None:
    refused(lambda: moves_with({"A": (week(2), week(1))}, [], "A", MONDAY), "spans")


def test_moves_with_refuses_a_cycle_among_the_dependants() -> None:
    spans = {"A": (week(0), week(1)), "B": (week(1), week(2))}
    with pytest.raises(CycleError):
        moves_with(spans, [("B", "A"), ("A", "B")], "A", week(1))


@settings(max_examples=150)
@given(backlogs(), st.data())
def test_after_a_move_no_dependant_starts_before_what_it_depends_on_finishes(
    backlog: Backlog, data: st.DataObject
) -> None:
    items, teams = backlog
    plan = schedule(items, teams, MONDAY)
    moved = data.draw(st.sampled_from(items)).id
    new_start = plan.items[moved].start + timedelta(days=data.draw(st.integers(-30, 60)))
    result = plan.moves_with(moved, new_start)
    spans = plan.spans()
    after = dict(spans)
    for move in result.moves:
        assert move.new_finish - move.new_start == move.finish - move.start
        assert move.id == moved or move.days > 0
        after[move.id] = (move.new_start, move.new_finish)
    moved_ids = {move.id for move in result.moves}
    for item in items:
        moved_dependencies = [d for d in item.depends_on if d in moved_ids]
        if item.id != moved and moved_dependencies:
            required = max(after[d][1] for d in moved_dependencies)
            assert after[item.id][0] == max(spans[item.id][0], required)


@settings(max_examples=150)
@given(backlogs(), st.data())
def test_scheduling_what_is_needed_gives_it_the_same_dates(
    backlog: Backlog, data: st.DataObject
) -> None:
    items, teams = backlog
    needed = data.draw(st.sets(st.sampled_from([item.id for item in items])))
    everything = schedule(items, teams, MONDAY)
    enough = schedule(items, teams, MONDAY, needed=needed)
    assert set(needed) <= set(enough.items)
    for item_id in needed:
        assert enough.items[item_id] == everything.items[item_id]
    for item_id, placed in enough.items.items():  # whatever else it placed is right too
        assert placed == everything.items[item_id]


def test_scheduling_what_is_needed_skips_the_rest() -> None:
    team = Team("core", 5)
    items = [WorkItem(id=n, team="core", effort=5) for n in range(10)]
    plan = schedule(items, [team], MONDAY, needed={2})
    assert list(plan.items) == [0, 1, 2]
    assert plan.items[2].start == week(2)
