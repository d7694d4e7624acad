"""Speed of the Monte Carlo forecasts: 10,000 trials for 1,000 remaining items.

Times `forecast_when` (plain and the default, calibrated method) against reference
implementations of the same algorithms written as plain Python loops, one iteration per trial
and week, which is how a forecast is usually first written. The history is two years of Poisson
weeks (mean 8), so the calibrated method's self-check replays its full year of past forecasts.

    .venv/bin/python bench/bench_montecarlo.py [--runs 21] [--python-runs 5]

Prints milliseconds (median of the runs) and speed-ups, and writes bench/results/montecarlo.json.
The machine may be shared: CPU time is reported next to wall time, and medians damp the noise.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from headway.forecasting import forecast_how_many, forecast_when  # noqa: E402
from headway.forecasting.calibration import (  # noqa: E402
    CHECK_ORIGINS,
    CHECK_TRIALS,
    CLAIMED_LEVEL,
    MAX_CHECK_HORIZON,
    MIN_CHECKED,
    MIN_HISTORY_AT_ORIGIN,
)
from headway.forecasting.montecarlo import DEFAULT_WINDOW  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "montecarlo.json"
TRIALS = 10_000
REMAINING = 1_000
HORIZON = 520
START = date(2025, 1, 6)


# --- reference implementations: plain Python, a loop per trial and per week --------------------


def python_plain_when(history: list[int], remaining: int, trials: int, seed: int) -> int:
    """The textbook forecast as a Python loop; returns the 85 % week."""
    rng = random.Random(seed)
    window = history[-DEFAULT_WINDOW:]
    finished: list[float] = []
    for _ in range(trials):
        done, week = 0, 0
        while done < remaining and week < HORIZON:
            done += rng.choice(window)
            week += 1
        finished.append(week if done >= remaining else math.inf)
    finished.sort()
    return int(finished[math.ceil(0.85 * trials) - 1])


def python_calibrated_when(history: list[int], remaining: int, trials: int, seed: int) -> int:
    """Headway's default method as Python loops (resampled paces + self-check)."""
    rng = random.Random(seed)
    window = history[-DEFAULT_WINDOW:]
    window_total = sum(window)
    finished: list[float] = []
    for _ in range(trials):
        pace = sum(rng.choice(window) for _ in window)
        if pace == 0:
            finished.append(math.inf)
            continue
        need = remaining * window_total / pace
        done, week, before = 0, 0, 0
        while done < need and week < HORIZON:
            before = done
            done += rng.choice(window)
            week += 1
        finished.append(week - 1 + (need - before) / (done - before) if done >= need else math.inf)
    finished.sort()
    center = math.log(finished[len(finished) // 2])
    low, high = python_self_check(history, min(MAX_CHECK_HORIZON, math.ceil(math.exp(center))), rng)
    widened = sorted(
        math.exp(center + (low if math.log(value) > center else high) * (math.log(value) - center))
        if math.isfinite(value)
        else math.inf
        for value in finished
    )
    return math.ceil(widened[math.ceil(0.85 * trials) - 1] - 1e-9)


def python_self_check(history: list[int], horizon: int, rng: random.Random) -> tuple[float, float]:
    """Replay past forecasts in Python; return the (low, high) widening factors."""
    origins = [
        origin
        for origin in range(MIN_HISTORY_AT_ORIGIN, len(history) - horizon + 1)
        if any(history[max(0, origin - DEFAULT_WINDOW) : origin])
    ][-CHECK_ORIGINS:]
    if len(origins) < MIN_CHECKED:
        return 1.0, 1.0
    below: list[float] = []
    above: list[float] = []
    for origin in origins:
        window = history[max(0, origin - DEFAULT_WINDOW) : origin]
        window_total = sum(window)
        totals = []
        for _ in range(CHECK_TRIALS):
            pace = sum(rng.choice(window) for _ in window)
            raw = sum(rng.choice(window) for _ in range(horizon))
            totals.append(math.log1p(raw * pace // window_total))
        totals.sort()
        median = statistics.median(totals)
        low = totals[int((1 - CLAIMED_LEVEL) * CHECK_TRIALS)]
        high = totals[int(CLAIMED_LEVEL * CHECK_TRIALS)]
        residual = math.log1p(sum(history[origin : origin + horizon])) - median
        below.append(-residual / (median - low) if median > low else 0.0)
        above.append(residual / (high - median) if high > median else 0.0)
    rank = min(math.ceil((len(origins) + 1) * CLAIMED_LEVEL), len(origins))
    return max(1.0, sorted(below)[rank - 1]), max(1.0, sorted(above)[rank - 1])


# --- timing ------------------------------------------------------------------------------------


def timed(call: Callable[[], object], runs: int) -> dict[str, float]:
    """Return the median wall and CPU milliseconds of `runs` calls (after one warm-up call)."""
    call()
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    return {"wall_ms": statistics.median(walls), "cpu_ms": statistics.median(cpus), "runs": runs}


def main() -> None:
    """Time every variant and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python-runs", type=int, default=5)
    arguments = parser.parse_args()
    history = np.random.default_rng(8).poisson(8, size=104).tolist()

    def numpy_when(method: str) -> Callable[[], object]:
        return lambda: forecast_when(
            history,
            REMAINING,
            start_date=START,
            trials=TRIALS,
            seed=1,
            method=method,  # type: ignore[arg-type]
        )

    results: dict[str, dict[str, float]] = {
        "numpy_plain_when": timed(numpy_when("plain"), arguments.runs),
        "numpy_calibrated_when": timed(numpy_when("calibrated"), arguments.runs),
        "numpy_calibrated_how_many_8_weeks": timed(
            lambda: forecast_how_many(history, 8, trials=TRIALS, seed=1), arguments.runs
        ),
        "python_plain_when": timed(
            lambda: python_plain_when(history, REMAINING, TRIALS, 1), arguments.python_runs
        ),
        "python_calibrated_when": timed(
            lambda: python_calibrated_when(history, REMAINING, TRIALS, 1), arguments.python_runs
        ),
    }
    answers = {
        "numpy_plain_p85_weeks": forecast_when(
            history, REMAINING, start_date=START, trials=TRIALS, seed=1, method="plain"
        ).weeks["85"],
        "python_plain_p85_weeks": python_plain_when(history, REMAINING, TRIALS, 1),
        "numpy_calibrated_p85_weeks": forecast_when(
            history, REMAINING, start_date=START, trials=TRIALS, seed=1
        ).weeks["85"],
        "python_calibrated_p85_weeks": python_calibrated_when(history, REMAINING, TRIALS, 1),
    }

    def ratio(slow: str, fast: str, clock: str) -> float:
        return results[slow][clock] / results[fast][clock]

    # CPU time is the fairer clock on a shared machine: waiting for another process's turn on
    # the processor is not work either implementation did. Wall-clock ratios are kept too.
    speedups = {
        f"{name}_{clock.removesuffix('_ms')}": ratio(slow, fast, clock)
        for name, slow, fast in (
            ("plain", "python_plain_when", "numpy_plain_when"),
            ("calibrated", "python_calibrated_when", "numpy_calibrated_when"),
            ("calibrated_vs_python_plain", "python_plain_when", "numpy_calibrated_when"),
        )
        for clock in ("cpu_ms", "wall_ms")
    }
    print(f"{TRIALS:,} trials, {REMAINING:,} remaining items, 104 weeks of history")
    for name, figures in results.items():
        print(
            f"  {name:<36} {figures['wall_ms']:9.1f} ms wall {figures['cpu_ms']:9.1f} ms CPU"
            f"  (median of {figures['runs']})"
        )
    for name, factor in speedups.items():
        print(f"  speed-up {name:<32} {factor:7.1f}x")
    print(f"  85 % weeks: {answers}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "trials": TRIALS,
        "remaining": REMAINING,
        "history": "104 Poisson(8) weeks, numpy seed 8",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "timings": results,
        "speedups": speedups,
        "answers": answers,
    }
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
