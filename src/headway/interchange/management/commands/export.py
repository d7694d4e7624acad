"""`headway export`: features, stories, ideas or feedback as CSV or XLSX, or a product as JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.interchange import exports
from headway.products.models import Product


class Command(BaseCommand):
    help = "Export a product's records as CSV or XLSX, or the whole product as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--product", type=int, required=True, help="The product's id.")
        parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="csv")
        parser.add_argument(
            "--what", choices=exports.WHAT, default="features", help="For csv and xlsx."
        )
        parser.add_argument("--output", type=Path, help="Write here instead of standard output.")
        parser.add_argument("--q", help="Only records whose text holds these words.")
        parser.add_argument("--status", action="append", default=[], help="Repeat for several.")
        parser.add_argument("--kind", help="Features of this kind only.")
        parser.add_argument("--source", help="Feedback from this source only.")
        parser.add_argument("--state", help="Feedback in this state only.")

    def handle(self, *args: Any, **options: Any) -> None:
        product = Product.objects.filter(pk=options["product"]).first()
        if product is None:
            raise CommandError(f"There is no product {options['product']}.")
        output: Path | None = options["output"]
        file_format = options["format"]
        if file_format == "json":
            self._write_text(exports.product_document(product), output)
            return
        filters = exports.Filters(
            q=options["q"],
            status=tuple(options["status"]),
            kind=options["kind"],
            source=options["source"],
            state=options["state"],
        )
        header, rows = exports.table(options["what"], product, filters)
        if file_format == "csv":
            self._write_text(exports.csv_lines(header, rows), output)
            return
        data = exports.xlsx_bytes(options["what"], header, rows)
        if output is None:
            if sys.stdout.isatty():
                raise CommandError("XLSX is binary: name a file with --output.")
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)

    def _write_text(self, pieces: Any, output: Path | None) -> None:
        if output is None:
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        with output.open("w", encoding="utf-8", newline="") as stream:
            for piece in pieces:
                stream.write(piece)
