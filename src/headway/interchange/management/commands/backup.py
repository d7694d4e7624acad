"""`headway backup FILE`: the whole database as one versioned JSON document (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from headway.interchange import backup


class Command(BaseCommand):
    help = (
        "Write the whole database to FILE as a versioned JSON backup (gzipped if FILE ends in .gz)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        report = backup.backup(path)
        self.stdout.write(
            f"Backed up {report.total:,} rows of {len(report.rows)} tables to {path} "
            f"(format {backup.VERSION})."
        )
