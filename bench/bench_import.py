"""Time and peak memory of a WHOLE 50,000-row Jira CSV import (parse, check, write), on SQLite
and on PostgreSQL.

The file comes from `bench/gen_jira_csv.py` (epics, stories, sub-tasks, multi-line fields, long
descriptions). For each database a fresh one is migrated in one child process; a second child
then does only what an import does — store the upload, read and check the file, write it in one
transaction — and reports its wall time and its peak resident memory (VmHWM, this process alone,
Django included). A third run re-imports the same file into the now full product (every record
matched, none changed).

    .venv/bin/python bench/bench_import.py                 # writes bench/results/import.json
    .venv/bin/python bench/bench_import.py --pg postgres://postgres@127.0.0.1:5432/headway_bench
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "import.json"
TMP = ROOT / "bench" / "results" / "tmp"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/headway_bench_import"


def peak_resident_bytes() -> int:
    """This process's peak resident set (VmHWM), or 0 where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def child_prepare() -> None:
    """Migrate the database and create the product the import goes into."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from headway.accounts.models import Workspace
    from headway.products.models import Product

    workspace = Workspace.objects.create(name="Bench")
    product = Product.objects.create(workspace=workspace, name="Bench import")
    print(json.dumps({"product": product.pk}))


def child_import(path: Path, product_id: int) -> None:
    """The measured run: everything an import does, from the stored upload to the commit."""
    started = time.perf_counter()
    import django

    django.setup()
    from headway.interchange import services
    from headway.products.models import Product

    product = Product.objects.get(pk=product_id)
    with path.open("rb") as source:
        job = services.start_import(
            product,
            None,
            kind="jira_csv",
            chunks=iter(lambda: source.read(1 << 20), b""),
            file_name=path.name,
            enqueue=False,
        )
    job = services.execute_import(job.pk)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "status": job.status,
                "errors": job.errors[:3],
                "counts": job.counts,
                "seconds": round(seconds, 2),
                # CPU time of this process (Django, parsing, the SQLite engine in-process; not
                # the PostgreSQL server's): a figure that other load on the machine does not
                # inflate the way it inflates wall time.
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
                "load_average_1min": round(os.getloadavg()[0], 1),
                "peak_rss_mib": round(peak_resident_bytes() / 2**20, 1),
            }
        )
    )


def run_child(database_url: str, *args: str) -> dict[str, Any]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="headway.settings",
        HEADWAY_DATA_DIR=str(TMP / "data"),
        PYTHONPATH=str(ROOT / "src"),
    )
    completed = subprocess.run(
        [sys.executable, __file__, *args], env=env, check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def fresh_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def measure(database_url: str, path: Path) -> dict[str, Any]:
    prepared = run_child(database_url, "--child", "prepare")
    first = run_child(database_url, "--child", "import", str(path), str(prepared["product"]))
    again = run_child(database_url, "--child", "import", str(path), str(prepared["product"]))
    return {"first_import": first, "reimport_same_file": again}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pg", default=DEFAULT_PG, help="PostgreSQL URL (the database is recreated)"
    )
    parser.add_argument("--child", nargs="+")
    arguments = parser.parse_args()
    if arguments.child:
        if arguments.child[0] == "prepare":
            child_prepare()
        else:
            child_import(Path(arguments.child[1]), int(arguments.child[2]))
        return

    TMP.mkdir(parents=True, exist_ok=True)
    path = TMP / f"jira-{arguments.rows // 1000}k.csv"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_jira_csv.py"), "--out", str(path)]
            + ["--rows", str(arguments.rows), "--seed", str(arguments.seed)],
            check=True,
        )
    sqlite_file = TMP / "bench-import.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
    results: dict[str, Any] = {
        "file": {"rows": arguments.rows, "seed": arguments.seed, "bytes": path.stat().st_size},
        "sqlite": measure(f"sqlite:///{sqlite_file}", path),
    }
    fresh_postgres(arguments.pg)
    results["postgresql"] = measure(arguments.pg, path)
    results["targets"] = {"whole_import_seconds": 15, "whole_import_peak_mib": 250}
    results["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    results["command"] = "bench/bench_import.py"
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
