"""Writes the summary table of docs/performance.md (between the bench markers) from the JSON
files in bench/results/. Run by `make bench` after the measurements; safe to run alone."""

from __future__ import annotations

import json
import platform
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value <= target else "**missed**"


def api_rows() -> list[str]:
    rows = []
    backends = {b: load(f"api-{b}") for b in ("sqlite", "postgres")}
    names: list[str] = []
    for result in backends.values():
        for name in (result or {}).get("api", {}):
            if name not in names:
                names.append(name)
    for name in names:
        cells = []
        target = None
        for result in backends.values():
            case = (result or {}).get("api", {}).get(name)
            if case is None:
                cells.append("—")
                continue
            target = case.get("target_ms", target)
            if "p95_ms" in case:
                cells.append(
                    f"{case['p50_ms']} / {case['p95_ms']} ms ({case['queries']} q) "
                    f"{verdict(case['p95_ms'], case['target_ms'])}"
                )
            else:
                cells.append(f"missing ({case.get('status') or case.get('error')})")
        rows.append(f"| {name} | p95 ≤ {target} ms | {cells[0]} | {cells[1]} |")
    for backend, result in backends.items():
        if result:
            rows.append(
                f"| `headway generate` 10,000 features + 100,000 feedback ({backend}) "
                f"| ≤ 120 s | {result['generate_s']} s "
                f"{verdict(result['generate_s'], 120)} | |"
            )
    return rows


def pure_rows() -> list[str]:
    rows = []
    mc = load("montecarlo")
    if mc:
        wall = mc["timings"]["numpy_calibrated_when"]["wall_ms"]
        cpu = mc["timings"]["numpy_calibrated_when"]["cpu_ms"]
        speed = mc["speedups"].get("calibrated_cpu") or mc["speedups"].get("plain_cpu")
        rows.append(
            f"| Monte Carlo, 10,000 trials × 1,000 items | ≤ 100 ms, ≥ 50× Python | "
            f"{wall:.1f} ms wall, {cpu:.1f} ms CPU, {speed:.0f}× a Python loop "
            f"{verdict(wall, 100)} |"
        )
    svg = load("svg")
    if svg:
        ms = svg["timeline_month"]["median_ms"]
        rows.append(
            f"| Roadmap SVG, 1,000 items (layout + render) | ≤ 200 ms | {ms} ms "
            f"{verdict(ms, 200)} |"
        )
    schedule = load("schedule")
    if schedule:
        ms = schedule["schedule"]["median_ms"]
        rows.append(
            f"| Schedule 2,000 features, 5,000 dependencies | ≤ 1,000 ms | {ms} ms "
            f"{verdict(ms, 1000)} |"
        )
    similarity = load("similarity_speed")
    if similarity:
        p95 = similarity["query_draft_title_and_body"]["p95_ms"]
        rows.append(
            f"| Similar ideas, one query among 10,000 | ≤ 50 ms | "
            f"p50 {similarity['query_draft_title_and_body']['median_ms']} ms, "
            f"p95 {p95} ms {verdict(p95, 50)} |"
        )
    imported = load("import")
    if imported:
        for backend in ("sqlite", "postgresql"):
            run = imported.get(backend, {}).get("first_import")
            if run:
                ok = run["seconds"] <= 15 and run["peak_rss_mib"] <= 250
                rows.append(
                    f"| Jira CSV import, 50,000 rows ({backend}) | ≤ 15 s, ≤ 250 MB | "
                    f"{run['seconds']} s ({run['cpu_seconds']} s CPU), "
                    f"{run['peak_rss_mib']} MiB {'met' if ok else '**missed**'} |"
                )
    load_run = load("load")
    if load_run:
        ok = load_run["failures"] == 0 and load_run["lost_writes"] == 0
        rows.append(
            f"| Load: {load_run['requests']} requests, worker killed mid-run | 0 errors, "
            f"0 lost writes | {load_run['requests_per_s']} req/s, p50 "
            f"{load_run['p50_ms']} ms, p95 {load_run['p95_ms']} ms, p99 "
            f"{load_run['p99_ms']} ms, {load_run['failures']} errors, "
            f"{load_run['lost_writes']} lost of {load_run['acknowledged_writes']} "
            f"{'met' if ok else '**missed**'} |"
        )
    return rows


def table() -> str:
    meta = (load("api-sqlite") or load("api-postgres") or {}).get("meta", {})
    lines = [
        START,
        f"Measured {meta.get('date', 'n/a')} on {meta.get('cpus', '?')} cores "
        f"({platform.machine()}), Python {meta.get('python', platform.python_version())}; "
        "API figures are in-process (Django test client, no network), p50 / p95 of "
        f"{'60'} requests after warm-up (20 for whole pages), with the SQL queries per request. "
        "The page targets (200 ms product page, 400 ms roadmap page) are ours; the others are "
        "DESIGN.md §4's.",
        "",
        "| request | target | SQLite p50 / p95 | PostgreSQL p50 / p95 |",
        "|---|---|---|---|",
        *api_rows(),
        "",
        "| benchmark | target | result |",
        "|---|---|---|",
        *pure_rows(),
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    text = DOC.read_text() if DOC.exists() else "# Performance\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + table() + after
    else:
        title, _, body = text.partition("\n")
        text = f"{title}\n\n## Summary (`make bench`)\n\n{table()}\n{body}"
    DOC.write_text(text)
    print(table())


if __name__ == "__main__":
    main()
