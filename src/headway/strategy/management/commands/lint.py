"""`headway lint [--product ID|SLUG]`: the strategy check on the command line (exit 1 on errors)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from headway.products.models import Product
from headway.strategy import services


class Command(BaseCommand):
    help = (
        "List strategy mistakes (features tied to no goal, unmeasurable key results, work past "
        "its dates, …) as 'product: level: message (link)' lines; exit status 1 on any error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--product", help="Check one product (its id or slug); default: every product."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        selector = options.get("product")
        products = list(Product.objects.order_by("name", "id"))
        if selector:
            by_id = Q(pk=int(selector)) if selector.isdigit() else Q(pk__in=[])
            products = list(Product.objects.filter(by_id | Q(slug=selector)).order_by("id")[:1])
            if not products:
                raise CommandError(f"No product with id or slug {selector!r}.", returncode=2)
        errors = warnings = 0
        for product in products:
            findings = services.strategy_check(product)
            for finding in findings:
                self.stdout.write(finding.line(product.slug))
            found_errors = sum(1 for f in findings if f.level == "error")
            errors += found_errors
            warnings += len(findings) - found_errors
        summary = (
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''} "
            f"in {len(products)} product{'s' if len(products) != 1 else ''}."
        )
        self.stderr.write(summary)
        if errors:
            sys.exit(1)
