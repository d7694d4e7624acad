"""Benchmark of the pure planning scheduler: 2,000 items with 5,000 dependencies.

Run it with ``python bench/bench_schedule.py`` from the repository root. It prints the median,
fastest and slowest of several runs in milliseconds and writes them to
``bench/results/schedule.json``. DESIGN.md asks for the capacity-aware schedule within 1 s.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from headway.planning.schedule import (  # noqa: E402  (the path is set just above)
    Team,
    WorkItem,
    check_acyclic,
    critical_path,
    find_cycle,
    schedule,
)

ITEMS = 2_000
DEPENDENCIES = 5_000
TEAMS = 10
REPEATS = 7
BUDGET_MS = 1_000.0


def generate(seed: int = 4) -> tuple[list[WorkItem[int, str]], list[Team[str]]]:
    """A deterministic backlog: items in priority order, each dependency pointing from a later
    item of a hidden topological order to an earlier one, so the graph is acyclic."""
    rng = random.Random(seed)
    hidden_order = list(range(ITEMS))
    rng.shuffle(hidden_order)
    edges: set[tuple[int, int]] = set()
    while len(edges) < DEPENDENCIES:
        first, second = sorted(rng.sample(range(ITEMS), 2))
        edges.add((hidden_order[second], hidden_order[first]))
    depends_on: dict[int, list[int]] = {item: [] for item in range(ITEMS)}
    for item, dependency in sorted(edges):
        depends_on[item].append(dependency)
    teams = [
        Team(id=f"team-{number}", capacity=rng.choice((20, 30, 40))) for number in range(TEAMS)
    ]
    items = [
        WorkItem(
            id=item,
            team=f"team-{rng.randrange(TEAMS)}",
            effort=rng.choice((1, 2, 3, 5, 8, 13, 20)),
            depends_on=tuple(depends_on[item]),
        )
        for item in range(ITEMS)
    ]
    return items, teams


def measure(run: Callable[[], object]) -> dict[str, float]:
    """Run ``run`` once to warm up, then REPEATS times; times in milliseconds."""
    run()
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
    }


def main() -> int:
    """Measure, print, write the results file; exit 1 if the schedule misses its budget."""
    items, teams = generate()
    edges = [(item.id, dependency) for item in items for dependency in item.depends_on]
    durations = {item.id: float(item.effort) for item in items}
    origin = date(2026, 1, 5)
    plan = schedule(items, teams, origin)
    timings = {
        "schedule": measure(lambda: schedule(items, teams, origin)),
        "critical_path": measure(lambda: critical_path(durations, edges)),
        "check_acyclic_whole_graph": measure(lambda: check_acyclic(edges)),
        "find_cycle_new_edge": measure(lambda: find_cycle(edges, (edges[0][1], edges[0][0]))),
    }
    for name, figures in timings.items():
        print(
            f"{name:27} median {figures['median_ms']:8.2f} ms "
            f"(min {figures['min_ms']:.2f}, max {figures['max_ms']:.2f}, {REPEATS} runs)"
        )
    print(f"{ITEMS} items, {len(edges)} dependencies, {TEAMS} teams, {plan.weeks} weeks planned")
    results = {
        "items": ITEMS,
        "dependencies": len(edges),
        "teams": TEAMS,
        "repeats": REPEATS,
        "weeks_planned": plan.weeks,
        "python": platform.python_version(),
        "budget_ms": BUDGET_MS,
        **timings,
    }
    output = ROOT / "bench" / "results" / "schedule.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {output.relative_to(ROOT)}")
    return 0 if timings["schedule"]["median_ms"] <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
