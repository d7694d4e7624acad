"""Measures request latency in-process (Django test client, no network) against a database that
`headway generate` filled. Run by bench/run.py with DATABASE_URL set; prints one JSON document.

Each case: warm-up requests, then N timed requests; p50 and p95 in milliseconds. A case whose
endpoint does not exist yet is reported as missing, never as a number.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
os.environ.setdefault("HEADWAY_API_RATE_LIMIT", "1000000")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from headway.accounts.models import ApiToken, User  # noqa: E402
from headway.discovery.models import Idea  # noqa: E402
from headway.planning.models import Feature  # noqa: E402
from headway.products.models import Product  # noqa: E402
from headway.roadmaps.models import Roadmap  # noqa: E402

WORDS = ["export", "dashboards", "permissions", "invoices"]
RUNS = int(os.environ.get("BENCH_RUNS", "60"))
PAGE_RUNS = int(os.environ.get("BENCH_PAGE_RUNS", "20"))  # whole pages: fewer, slower runs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(call: Callable[[int], Any], runs: int = RUNS) -> dict[str, Any]:
    """p50/p95 of `runs` calls after three warm-up calls (which also detect a missing route)."""
    for i in range(3):
        response = call(-1 - i)
        if response.status_code >= 400:
            return {"missing": True, "status": response.status_code}
    timings = []
    queries = 0
    for i in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call(i)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        if response.status_code >= 400:
            return {"missing": False, "error": response.status_code}
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "runs": runs,
        "queries": queries,
    }


def main() -> None:
    product = Product.objects.get(name=os.environ.get("BENCH_PRODUCT", "Benchmark product"))
    user = User.objects.get(username="bench")
    _, token = ApiToken.issue(user, name="bench")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def page(url: str) -> Callable[[int], Any]:
        # A client of its own per page: API cases before it cannot disturb its session.
        browser = Client()
        browser.force_login(user)
        return lambda i: browser.get(url)

    feature_ids = list(product.features.order_by("id").values_list("id", flat=True)[:500])
    idea = Idea.objects.filter(product=product).order_by("id").first()
    roadmap = Roadmap.objects.filter(product=product, kind="timeline").first()
    pid = product.pk
    open_feature = product.features.exclude(status__in=["done", "cancelled"]).values_list(
        "pk", flat=True
    )[0]
    card = product.scorecards.values_list("pk", flat=True).first()
    formula = product.formulas.values_list("pk", flat=True).first()

    def create(i: int) -> Any:
        return api.post(
            f"/api/v1/products/{pid}/features",
            json.dumps({"title": f"Bench feature {i}", "kind": "enhancement"}),
            content_type="application/json",
        )

    def update(i: int) -> Any:
        fid = feature_ids[i % len(feature_ids)]
        return api.patch(
            f"/api/v1/features/{fid}",
            json.dumps({"description": f"edit {i}"}),
            content_type="application/json",
        )

    def after_an_edit(call: Callable[[int], Any]) -> Callable[[int], Any]:
        # Each request follows a change to a feature's size and reach (the input of the
        # schedule and of the formula), so what the previous request kept cannot be used: the
        # cold path, timed.
        def edited(i: int) -> Any:
            Feature.objects.filter(pk=open_feature).update(points=100 + i, rice_reach=100 + i)
            return call(i)

        return edited

    cases: dict[str, tuple[Callable[[int], Any], float]] = {
        "feature list (50)": (lambda i: api.get(f"/api/v1/products/{pid}/features?limit=50"), 25),
        "feature detail": (lambda i: api.get(f"/api/v1/features/{feature_ids[i % 500]}"), 25),
        "feature create": (create, 25),
        "feature update": (update, 25),
        "feedback list (50)": (lambda i: api.get(f"/api/v1/products/{pid}/feedback?limit=50"), 25),
        "ideas list (50)": (lambda i: api.get(f"/api/v1/products/{pid}/ideas?limit=50"), 25),
        "ranked backlog rice (50)": (
            lambda i: api.get(f"/api/v1/products/{pid}/backlog?framework=rice&limit=50"),
            50,
        ),
        "ranked backlog manual (50)": (
            lambda i: api.get(f"/api/v1/products/{pid}/backlog?framework=manual&limit=50"),
            50,
        ),
        "ranked backlog moscow (50)": (
            lambda i: api.get(f"/api/v1/products/{pid}/backlog?framework=moscow&limit=50"),
            50,
        ),
        "ranked backlog scorecard (50)": (
            lambda i: api.get(
                f"/api/v1/products/{pid}/backlog?framework=scorecard&scorecard={card}&limit=50"
            ),
            50,
        ),
        "ranked backlog formula (50)": (
            lambda i: api.get(
                f"/api/v1/products/{pid}/backlog?framework=formula&formula={formula}&limit=50"
            ),
            50,
        ),
        "ranked backlog formula, after an edit": (
            after_an_edit(
                lambda i: api.get(
                    f"/api/v1/products/{pid}/backlog?framework=formula&formula={formula}&limit=50"
                )
            ),
            50,
        ),
        "feedback full-text search": (
            lambda i: api.get(f"/api/v1/products/{pid}/feedback?q={WORDS[i % 4]}&limit=20"),
            50,
        ),
        "similar ideas": (
            lambda i: api.get(f"/api/v1/ideas/{idea.pk}/similar") if idea else None,
            50,
        ),
        "product page, business lens": (
            page(f"/products/{pid}/?lens=business"),
            200,
        ),
        "product page, technical lens": (
            page(f"/products/{pid}/?lens=technical"),
            200,
        ),
        "product page, technical lens, after an edit": (
            after_an_edit(page(f"/products/{pid}/?lens=technical")),
            200,
        ),
        "roadmap page": (
            page(f"/roadmaps/{roadmap.pk}/"),
            400,
        ),
        "roadmap SVG export": (
            lambda i: (
                api.get(f"/api/v1/roadmaps/{roadmap.pk}/export?format=svg") if roadmap else None
            ),
            200,
        ),
        "roadmap SVG export, after an edit": (
            after_an_edit(lambda i: api.get(f"/api/v1/roadmaps/{roadmap.pk}/export?format=svg")),
            200,
        ),
    }
    only = set(sys.argv[1:])
    results: dict[str, Any] = {}
    for name, (call, target) in cases.items():
        if only and name not in only:
            continue
        print(f"  measuring {name}", file=sys.stderr, flush=True)
        try:
            result = measure(call, PAGE_RUNS if target >= 200 else RUNS)
        except Exception as error:  # noqa: BLE001 - a failing case is reported, not fatal
            result = {"missing": True, "error": f"{type(error).__name__}: {error}"[:200]}
        result["target_ms"] = target
        results[name] = result
    Feature.objects.filter(product=product, title__startswith="Bench feature").delete()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
