"""Discovery at scale, through the API and pages, on the database DATABASE_URL names.

Needs a database filled by `headway generate --features 10000 --feedback 100000`; tops the
benchmark product up to 10,000 ideas (their text taken from the generated feedback), builds the
product's similarity index once (timed), then times warm requests in-process:

- `GET /ideas/{id}/similar` and the suggestions shown while typing, among 10,000 ideas;
- full-text search of 100,000 feedback items (`?q=`), and the plain lists of feedback and ideas.

    DATABASE_URL=... .venv/bin/python bench/bench_discovery.py   # writes bench/results/

p50 and p95 in milliseconds over `BENCH_RUNS` requests after three warm-up requests.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
os.environ.setdefault("HEADWAY_API_RATE_LIMIT", "1000000")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from headway.accounts.models import ApiToken, User  # noqa: E402
from headway.discovery import suggestions  # noqa: E402
from headway.discovery.models import Feedback, Idea  # noqa: E402
from headway.products.models import Product  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))
IDEAS = 10_000
WORDS = ["export", "dashboards", "permissions", "invoices", "slow", "sso login"]
DRAFTS = [
    "Export the dashboard to PDF",
    "Alerts when a report fails",
    "Faster search in the audit log",
    "Share dashboards with customers",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def measure(call: Callable[[int], Any]) -> dict[str, Any]:
    for i in range(3):
        assert call(-1 - i).status_code == 200
    timings, queries = [], 0
    for i in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call(i)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "runs": RUNS,
        "queries": queries,
    }


def top_up_ideas(product: Product) -> int:
    missing = IDEAS - Idea.objects.filter(product=product).count()
    if missing > 0:
        texts = Feedback.objects.filter(product=product).values_list("text", flat=True)
        batch = [
            Idea(product=product, title=text[:120], description=text)
            for text in texts.order_by("id")[:missing]
        ]
        Idea.objects.bulk_create(batch, batch_size=2000)
    return Idea.objects.filter(product=product).count()


def main() -> None:
    product = Product.objects.get(name=os.environ.get("BENCH_PRODUCT", "Benchmark product"))
    user = User.objects.get(username="bench")
    _, token = ApiToken.issue(user, name="bench-discovery")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    browser = Client()
    browser.force_login(user)
    ideas = top_up_ideas(product)
    feedback = Feedback.objects.filter(product=product).count()
    started = time.perf_counter()
    suggestions.build(product.pk)
    build_s = round(time.perf_counter() - started, 1)
    idea_ids = list(Idea.objects.filter(product=product).values_list("id", flat=True)[:500])
    pid = product.pk
    cases: dict[str, Callable[[int], Any]] = {
        "similar ideas (API, 10,000 ideas)": lambda i: api.get(
            f"/api/v1/ideas/{idea_ids[i % len(idea_ids)]}/similar"
        ),
        "suggestions while typing (page fragment)": lambda i: browser.get(
            f"/products/{pid}/ideas/suggestions/",
            {"title": DRAFTS[i % len(DRAFTS)]},
            HTTP_HX_REQUEST="true",
        ),
        "feedback full-text search (20)": lambda i: api.get(
            f"/api/v1/products/{pid}/feedback", {"q": WORDS[i % len(WORDS)], "limit": 20}
        ),
        "feedback list (50)": lambda i: api.get(f"/api/v1/products/{pid}/feedback?limit=50"),
        "ideas list by votes (50)": lambda i: api.get(f"/api/v1/products/{pid}/ideas?limit=50"),
        "ideas search (50)": lambda i: api.get(
            f"/api/v1/products/{pid}/ideas", {"q": WORDS[i % len(WORDS)]}
        ),
        "triage page": lambda i: browser.get(f"/products/{pid}/feedback/triage/"),
    }
    results = {name: measure(call) for name, call in cases.items()}
    report = {
        "database": connection.vendor,
        "ideas": ideas,
        "feedback": feedback,
        "similarity_build_s": build_s,
        "load_average": os.getloadavg(),
        "cases": results,
    }
    out = ROOT / "bench" / "results" / f"discovery-{connection.vendor}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
