"""`headway generate --features N --feedback M [--product NAME] [--seed S]`."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.web.synthetic import generate


class Command(BaseCommand):
    help = "Create deterministic synthetic data (a workspace and product) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--features", type=int, default=1_000)
        parser.add_argument("--feedback", type=int, default=10_000)
        parser.add_argument("--product", default="Benchmark product", help="Product name.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["features"] < 0 or options["feedback"] < 0:
            raise CommandError("--features and --feedback must be zero or more.")
        started = time.perf_counter()
        result = generate(
            options["features"],
            options["feedback"],
            product_name=options["product"],
            seed=options["seed"],
            progress=lambda step: self.stderr.write(f"  {step}"),
        )
        took = time.perf_counter() - started
        summary = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(
            f"Product {result.product.name!r} (id {result.product.pk}): {summary} "
            f"in {took:.1f} s. Sign in as bench / headway-bench."
        )
