"""Benchmark of roadmap rendering: layout plus SVG for 1,000 items, for each roadmap kind.

Run it with ``python bench/bench_svg.py`` from the repository root. It prints the median,
fastest and slowest of several runs in milliseconds and writes them to ``bench/results/svg.json``.
DESIGN.md asks for a roadmap SVG of 1,000 items within 200 ms; the exit status is 1 when the
timeline's median misses that budget.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from headway.roadmaps.layout import (  # noqa: E402  (the path is set just above)
    BUCKETS,
    TECHNOLOGY_LAYERS,
    Item,
    Lane,
    View,
    layout_now_next_later,
    layout_technology,
    layout_timeline,
)
from headway.roadmaps.radar import RINGS, Blip, RingMove, layout_radar, render_radar_svg  # noqa: E402
from headway.roadmaps.svg import render_svg  # noqa: E402

ITEMS = 1_000
LANES = 10
REPEATS = 15
BUDGET_MS = 200.0
TODAY = date(2026, 3, 16)
WORDS = (
    "checkout billing search export import sync audit dashboard onboarding sso permissions "
    "notifications webhooks mobile offline reporting forecast migration api gateway cache"
).split()


def generate(seed: int = 5, lane_keys: tuple[str, ...] | None = None) -> list[Item]:
    """A deterministic roadmap: two years of bars, some markers, risks, dependencies, undated."""
    rng = random.Random(seed)
    keys = lane_keys or tuple(f"lane-{n}" for n in range(LANES))
    origin = TODAY - timedelta(days=180)
    items: list[Item] = []
    for number in range(ITEMS):
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(2, 6)))
        lane = keys[rng.randrange(len(keys))]
        earlier = [f"item-{n}" for n in rng.sample(range(number), min(number, 2))]
        depends_on = tuple(earlier) if rng.random() < 0.25 else ()
        roll = rng.random()
        url = f"/features/{number}/"
        if roll < 0.05:
            items.append(
                Item(
                    f"item-{number}",
                    title,
                    lane,
                    bucket=rng.choice(BUCKETS),
                    url=url,
                    depends_on=depends_on,
                )
            )
            continue
        start = origin + timedelta(days=rng.randrange(720))
        if roll < 0.12:
            kind = rng.choice(("milestone", "end_of_life", "deprecation"))
            items.append(
                Item(f"item-{number}", title, lane, end=start, kind=kind, depends_on=depends_on)  # type: ignore[arg-type]
            )
            continue
        end = start + timedelta(days=rng.randint(7, 120))
        at_risk = rng.random() < 0.15
        items.append(
            Item(f"item-{number}", title, lane, start, end, "bar", at_risk, url, depends_on)
        )
    return items


def measure(run: Callable[[], str]) -> dict[str, float]:
    """Run ``run`` twice to warm up, then REPEATS times; times in milliseconds."""
    run()
    size = len(run().encode())
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "min_ms": round(min(timings), 2),
        "max_ms": round(max(timings), 2),
        "svg_bytes": size,
    }


def radar_blips(seed: int = 6, count: int = 100) -> list[Blip]:
    """A deterministic radar of ``count`` blips with a move or two each."""
    rng = random.Random(seed)
    quadrants = ("techniques", "tools", "platforms", "languages_frameworks")
    blips = []
    for number in range(count):
        ring = rng.choice(RINGS)
        history = (
            RingMove(TODAY - timedelta(days=400), rng.choice(RINGS)),
            RingMove(TODAY - timedelta(days=rng.randrange(200)), ring),
        )
        blips.append(
            Blip(f"blip-{number}", f"Technology {number}", rng.choice(quadrants), ring, history)  # type: ignore[arg-type]
        )
    return blips


def main() -> int:
    """Measure, print, write the results file; exit 1 if the timeline misses its budget."""
    lanes = [Lane(f"lane-{n}", f"Lane {n}", n) for n in range(LANES)]
    items = generate()
    tech_items = generate(lane_keys=tuple(layer.key for layer in TECHNOLOGY_LAYERS))
    view = View(today=TODAY)
    quarter = View(today=TODAY, zoom="quarter")
    collapsed = View(today=TODAY, collapsed=frozenset(lane.key for lane in lanes[:5]))
    blips = radar_blips()
    since = TODAY - timedelta(days=90)
    timings = {
        "timeline_month": measure(lambda: render_svg(layout_timeline(items, lanes, view))),
        "timeline_quarter": measure(lambda: render_svg(layout_timeline(items, lanes, quarter))),
        "timeline_half_collapsed": measure(
            lambda: render_svg(layout_timeline(items, lanes, collapsed))
        ),
        "technology": measure(lambda: render_svg(layout_technology(tech_items, view))),
        "now_next_later": measure(lambda: render_svg(layout_now_next_later(items, lanes, view))),
        "radar_100_blips": measure(lambda: render_radar_svg(layout_radar(blips, since=since))),
    }
    for name, figures in timings.items():
        print(
            f"{name:24} median {figures['median_ms']:7.2f} ms "
            f"(min {figures['min_ms']:.2f}, max {figures['max_ms']:.2f}, {REPEATS} runs), "
            f"{figures['svg_bytes'] / 1024:.0f} KiB"
        )
    results = {
        "items": ITEMS,
        "lanes": LANES,
        "repeats": REPEATS,
        "measures": "layout + SVG rendering, wall clock, one process",
        "python": platform.python_version(),
        "budget_ms": BUDGET_MS,
        **timings,
    }
    output = ROOT / "bench" / "results" / "svg.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {output.relative_to(ROOT)}")
    return 0 if timings["timeline_month"]["median_ms"] <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
