"""How often do forecasts come true? Backtest plain vs Headway's default on real Hadoop history.

Reads ../shared/data/hadoop-jira-bugs.csv (Apache Hadoop Jira bugs, CC BY 4.0, see the data
README), turns the `Resolved` column into weekly throughput (Monday weeks, zero weeks kept), and
replays week by week from the first week of 2021: at each week the forecaster sees only the
weeks before it, says how many items the next 4 or 8 weeks bring "at least" with 50/85/95 %
confidence, and is scored against what happened. A stationary control (a Poisson series with
Hadoop's mean rate) shows what the default method costs on a team whose pace does not drift.

    .venv/bin/python bench/forecast_calibration.py [--trials 2000] [--csv PATH]

Prints a table and writes bench/results/forecast_calibration.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from headway.forecasting import backtest, week_start, weekly_throughput  # noqa: E402
from headway.forecasting.backtest import BacktestReport  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "hadoop-jira-bugs.csv"
RESULTS = ROOT / "bench" / "results" / "forecast_calibration.json"
REPLAY_FROM = date(2021, 1, 1)
HORIZONS = (4, 8)
WINDOWS = (8, 13, 26)
METHODS = ("plain", "calibrated")


def hadoop_throughput(path: Path) -> tuple[date, list[int]]:
    """Return the first Monday and the weekly count of resolved issues in the Jira export."""
    resolved: list[datetime] = []
    # newline="" lets the csv module keep the multi-line quoted descriptions intact.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            text = (row.get("Resolved") or "").strip()
            if text:
                # The export names no time zone; only the calendar day matters here.
                stamp = datetime.strptime(text, "%d/%b/%y %H:%M").replace(tzinfo=UTC)
                resolved.append(stamp)
    first, last = min(resolved).date(), max(resolved).date()
    return week_start(first), weekly_throughput(resolved, first, last)


def run(name: str, history: list[int], first_origin: int, trials: int) -> list[dict[str, object]]:
    """Backtest every method, horizon and window on `history`; print and return the rows."""
    rows: list[dict[str, object]] = []
    for horizon in HORIZONS:
        for window in WINDOWS:
            for method in METHODS:
                started = time.perf_counter()
                report = backtest(
                    history,
                    horizon=horizon,
                    window=window,
                    method=method,
                    first_origin=first_origin,
                    trials=trials,
                    seed=0,
                )
                print_row(name, report, time.perf_counter() - started)
                rows.append({"data": name, **report.as_json()})
    return rows


def print_row(name: str, report: BacktestReport, seconds: float) -> None:
    """Print one line of the table."""
    hits = report.hit_rates
    when = report.when_hit_rates
    print(
        f"{name:<10} {report.method:<10} {report.horizon_weeks:>2}w {report.window:>3}w "
        f"{report.forecasts:>4} | {100 * hits['50']:5.1f} {100 * hits['85']:5.1f} "
        f"{100 * hits['95']:5.1f} | {100 * when['50']:5.1f} {100 * when['85']:5.1f} "
        f"{100 * when['95']:5.1f} | {report.mean_width_90:6.1f} {report.mean_items['85']:6.1f} "
        f"{report.mean_actual:6.1f} | {seconds:5.1f}s",
        flush=True,
    )


def main() -> None:
    """Run the backtests and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--trials", type=int, default=2_000)
    arguments = parser.parse_args()

    first_monday, history = hadoop_throughput(arguments.csv)
    first_origin = next(
        week
        for week in range(len(history))
        if first_monday.toordinal() + 7 * week >= REPLAY_FROM.toordinal()
    )
    control = np.random.default_rng(2021).poisson(np.mean(history), size=len(history)).tolist()
    print(
        f"Hadoop: {len(history)} weeks from {first_monday}, mean {np.mean(history):.2f} a week; "
        f"replayed from week {first_origin} with {arguments.trials} trials per forecast.\n"
    )
    print(
        "data       method     hor win    n | how many hit %   |  when hit %       |"
        " width90  P85  actual"
    )
    print("                                    |  50    85    95  |  50    85    95   |")
    rows = run("hadoop", history, first_origin, arguments.trials)
    rows += run("stationary", control, first_origin, arguments.trials)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "source": "hadoop-jira-bugs.csv, Resolved column, weekly (Monday) counts incl. zero weeks",
        "weeks": len(history),
        "first_week": first_monday.isoformat(),
        "replayed_from_week": first_origin,
        "trials_per_forecast": arguments.trials,
        "control": "Poisson weeks with Hadoop's mean rate, numpy seed 2021",
        "rows": rows,
    }
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
