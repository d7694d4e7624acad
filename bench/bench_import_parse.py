"""Time and memory of parsing and planning a 50,000-row Jira CSV (the import without the DB).

The import streams the file twice: pass 1 validates every row and plans features and stories
(`plan_jira`), pass 2 reads it again and maps each issue to the record the DB layer writes
(`JiraPlan.record_for`). Each measurement runs in a fresh process, so `ru_maxrss` is that run's
peak resident memory; tracemalloc's peak (Python allocations only) is taken in a separate run
because tracing slows everything down. Figures are medians of `--repeat` runs.

    .venv/bin/python bench/bench_import_parse.py          # writes bench/results/import_parse.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from headway.interchange.jira import iter_jira_csv, plan_jira  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "import_parse.json"
DEFAULT_FILE = ROOT / "bench" / "results" / "tmp" / "jira-50k.csv"
MODES = ("baseline", "parse", "plan", "import", "import-traced")


def run_mode(mode: str, path: Path) -> dict[str, float | int]:
    """Run one measurement in this process and return its figures."""
    result: dict[str, float | int] = {}
    if mode == "import-traced":
        tracemalloc.start()
    started = time.perf_counter()
    if mode == "parse":
        result["issues"] = sum(1 for _ in iter_jira_csv(path))
    elif mode == "plan":
        plan = plan_jira(iter_jira_csv(path))
        result["features"], result["stories"] = plan.feature_count, plan.story_count
    elif mode in ("import", "import-traced"):
        plan = plan_jira(iter_jira_csv(path))
        result["pass1_seconds"] = time.perf_counter() - started
        stories = sum(1 for issue in iter_jira_csv(path) if plan.record_for(issue).kind == "story")
        result["features"], result["stories"] = plan.feature_count, stories
    result["seconds"] = time.perf_counter() - started
    if mode == "import-traced":
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # On Linux ru_maxrss is in kibibytes. It survives exec, so it also holds the launching
    # process's peak at fork time; VmHWM belongs to this program's address space alone.
    result["maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result["vmhwm_bytes"] = peak_resident_bytes()
    return result


def peak_resident_bytes() -> int:
    """This process's peak resident set (VmHWM) from /proc, or 0 where there is no /proc."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def in_child(mode: str, path: Path) -> dict[str, float | int]:
    """Run one measurement in a fresh interpreter, so its peak memory is its own."""
    completed = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float | int] = json.loads(completed.stdout)
    return figures


def median_of(runs: list[dict[str, float | int]], key: str) -> float:
    """The median of one figure over several runs."""
    return statistics.median(float(run[key]) for run in runs)


def main() -> None:
    """Generate the file if needed, measure each mode, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="measure this Jira CSV instead of generating one")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=MODES)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(run_mode(arguments.child, arguments.file)))
        return

    path: Path = arguments.file or DEFAULT_FILE
    if arguments.file is None:
        # A separate process, so the generator's memory never counts in the measured runs
        # (a forked child inherits its parent's ru_maxrss).
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_jira_csv.py"), "--out", str(path)]
            + ["--rows", str(arguments.rows), "--seed", str(arguments.seed)],
            check=True,
        )
    in_child("parse", path)  # warm the page cache so every timed run reads from memory
    runs = {mode: [in_child(mode, path) for _ in range(arguments.repeat)] for mode in MODES[:4]}
    traced = in_child("import-traced", path)
    imported = runs["import"][0]
    mib = 1024 * 1024
    results = {
        "file": {
            "issues": int(imported["features"]) + int(imported["stories"]),
            "generated_with_seed": None if arguments.file else arguments.seed,
            "bytes": path.stat().st_size,
            "features": imported["features"],
            "stories": imported["stories"],
        },
        "repeat": arguments.repeat,
        "median_seconds": {
            "parse_only": round(median_of(runs["parse"], "seconds"), 3),
            "parse_and_plan_pass1": round(median_of(runs["plan"], "seconds"), 3),
            "two_pass_import_without_db": round(median_of(runs["import"], "seconds"), 3),
        },
        "all_seconds": {
            mode: [round(float(run["seconds"]), 3) for run in runs[mode]] for mode in MODES[1:4]
        },
        "memory_mib": {
            "maxrss_interpreter_baseline": round(
                median_of(runs["baseline"], "maxrss_bytes") / mib, 1
            ),
            "maxrss_two_pass_import": round(median_of(runs["import"], "maxrss_bytes") / mib, 1),
            "vmhwm_interpreter_baseline": round(
                median_of(runs["baseline"], "vmhwm_bytes") / mib, 1
            ),
            "vmhwm_two_pass_import": round(median_of(runs["import"], "vmhwm_bytes") / mib, 1),
            "tracemalloc_peak_two_pass_import": round(
                float(traced["tracemalloc_peak_bytes"]) / mib, 1
            ),
        },
        "targets": {"whole_import_seconds": 15, "whole_import_peak_mib": 250},
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "command": "bench/bench_import_parse.py " + " ".join(sys.argv[1:]),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
