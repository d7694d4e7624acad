"""`headway import KIND FILE --product ID`: import a file now, in this process (docs/cli.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.accounts.models import User
from headway.interchange import services
from headway.interchange.errors import MappingInvalid
from headway.interchange.models import ImportKind, ImportStatus
from headway.products.models import Product


class Command(BaseCommand):
    help = "Import a Jira CSV, a GitHub issues JSON or a mapped CSV into a product."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--product", type=int, required=True, help="The product's id.")
        parser.add_argument(
            "--mapping",
            help='CSV only: JSON {"target": "features", "columns": {...}}, or @FILE holding it.',
        )
        parser.add_argument("--timezone", default="UTC", help="Zone of times without one.")
        parser.add_argument("--user", help="Record the import as done by this user.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        product = Product.objects.filter(pk=options["product"]).first()
        if product is None:
            raise CommandError(f"There is no product {options['product']}.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['user']}.")
        mapping = options["mapping"]
        if mapping and mapping.startswith("@"):
            mapping = Path(mapping[1:]).read_text(encoding="utf-8")
        try:
            with path.open("rb") as source:
                job = services.start_import(
                    product,
                    user,
                    kind=options["kind"],
                    chunks=iter(lambda: source.read(1 << 20), b""),
                    file_name=path.name,
                    mapping=mapping,
                    timezone=options["timezone"],
                    enqueue=False,
                )
        except MappingInvalid as error:
            raise CommandError(f"{error.field}: {error.message}") from None
        bar = _Bar(self.stderr._out) if self.stderr.isatty() else None
        try:
            job = services.execute_import(job.pk, progress=bar)
        except Exception as error:
            services.give_up(job.pk, f"{type(error).__name__}: {error}")
            raise CommandError(f"The import stopped unexpectedly: {error}") from error
        finally:
            if bar is not None:
                bar.close()
        if job.status == ImportStatus.DONE:
            self.stdout.write(f"Imported {path.name} into {product.name}: {_summary(job.counts)}.")
            for note in job.notes:
                self.stdout.write(f"note: line {note['line']}: {note['message']}")
            return
        for problem in job.errors:
            where = f"line {problem['line']}" if problem["line"] is not None else "file"
            if problem["column"] is not None:
                where += f", column {problem['column']}"
            self.stderr.write(f"{path.name}: {where}: {problem['message']}")
        if job.error_count > len(job.errors):
            self.stderr.write(f"… and {job.error_count - len(job.errors)} more problems.")
        self.stderr.write(f"Nothing was imported ({job.error_count} problems).")
        sys.exit(1)


def _summary(counts: dict[str, Any]) -> str:
    parts = []
    for name, tally in counts.items():
        if isinstance(tally, dict) and "created" in tally:
            figures = ", ".join(f"{value} {key}" for key, value in tally.items() if value)
            if figures:
                parts.append(f"{name} {figures}")
        elif name == "pull_requests_skipped" and tally:
            parts.append(f"{tally} pull requests skipped")
    return "; ".join(parts) or "nothing to do"


class _Bar:
    """A one-line progress bar on a terminal."""

    def __init__(self, out: Any, width: int = 40) -> None:
        self.out = out
        self.width = width
        self.shown = -1

    def __call__(self, percent: float) -> None:
        whole = int(percent)
        if whole == self.shown:
            return
        self.shown = whole
        filled = self.width * whole // 100
        self.out.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {whole:3d}%")
        self.out.flush()

    def close(self) -> None:
        if self.shown >= 0:
            self.out.write("\n")
            self.out.flush()
