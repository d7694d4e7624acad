"""After `make load`: read locust's summary, check that every acknowledged write is in the
database, write bench/results/load.json, and exit 1 on errors or lost writes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")

import django  # noqa: E402

django.setup()

from headway.planning.models import Feature  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _read(path: Path) -> str | None:
    return path.read_text().strip() if path.exists() else None


def main(stats_path: str, ack_path: str) -> int:
    with open(stats_path) as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    acknowledged = (
        [int(line) for line in Path(ack_path).read_text().split()]
        if Path(ack_path).exists()
        else []
    )
    found = Feature.objects.filter(pk__in=acknowledged).count()
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "worker_killed": _read(Path(ack_path).parent / "killed.txt"),
        "connections_retried": _read(Path(ack_path).parent / "retried.txt"),
        "acknowledged_writes": len(acknowledged),
        "lost_writes": len(acknowledged) - found,
        "by_request": {
            name: {
                "requests": int(r["Request Count"]),
                "failures": int(r["Failure Count"]),
                "p95_ms": float(r["95%"]),
            }
            for name, r in rows.items()
            if name != "Aggregated"
        },
    }
    (ROOT / "bench" / "results" / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "by_request"}, indent=2))
    killed = result["worker_killed"] is not None
    return 1 if result["failures"] or result["lost_writes"] or not killed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
