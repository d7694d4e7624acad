"""`make bench`: benchmarks on SQLite and PostgreSQL, results in bench/results/*.json and the
table in docs/performance.md (between the bench markers).

Steps per database: a fresh database, `headway migrate`, `headway generate --features 10000
--feedback 100000` (timed), then bench/measure_api.py. Then the pure benchmarks (Monte Carlo,
SVG, scheduling, similarity, import), each a script writing its own JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
PY = sys.executable
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/headway")
FEATURES = int(os.environ.get("BENCH_FEATURES", "10000"))
FEEDBACK = int(os.environ.get("BENCH_FEEDBACK", "100000"))
PURE = [
    "bench_montecarlo.py",
    "bench_svg.py",
    "bench_schedule.py",
    "bench_similarity.py",
    "bench_import.py",
]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)


def fresh_database(backend: str) -> str:
    if backend == "sqlite":
        TMP.mkdir(parents=True, exist_ok=True)
        path = TMP / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base, _, _ = PG_URL.rpartition("/")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS headway_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE headway_bench")
    return f"{base}/headway_bench"


def bench_database(backend: str) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": fresh_database(backend), "PYTHONPATH": str(ROOT / "src")}
    migrate = run([PY, "-m", "headway.cli", "migrate", "-v0"], env)
    if migrate.returncode:
        raise SystemExit(migrate.stderr)
    started = time.perf_counter()
    generate = run(
        [
            PY,
            "-m",
            "headway.cli",
            "generate",
            "--features",
            str(FEATURES),
            "--feedback",
            str(FEEDBACK),
        ],
        env,
    )
    took = time.perf_counter() - started
    if generate.returncode:
        raise SystemExit(generate.stderr)
    measured = run([PY, str(ROOT / "bench" / "measure_api.py")], env)
    if measured.returncode:
        raise SystemExit(measured.stderr)
    return {
        "generate_s": round(took, 1),
        "generate_output": generate.stdout.strip(),
        "api": json.loads(measured.stdout),
    }


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "features": FEATURES,
        "feedback": FEEDBACK,
    }
    for backend in ("sqlite", "postgres"):
        print(f"== {backend}", flush=True)
        result = {"meta": meta, **bench_database(backend)}
        (RESULTS / f"api-{backend}.json").write_text(json.dumps(result, indent=2) + "\n")
        for name, case in result["api"].items():
            print(f"  {name:32} {case}", flush=True)
    for script in PURE:
        path = ROOT / "bench" / script
        if not path.exists():
            print(f"== {script}: not written yet")
            continue
        print(f"== {script}", flush=True)
        done = run([PY, str(path)], {**os.environ, "PYTHONPATH": str(ROOT / "src")})
        print(done.stdout[-2000:], done.stderr[-1000:] if done.returncode else "", flush=True)
    subprocess.run([PY, str(ROOT / "bench" / "report.py")], check=True)


if __name__ == "__main__":
    main()
