"""`headway restore FILE`: a backup into an empty, just-migrated database (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.interchange import backup


class Command(BaseCommand):
    help = "Restore a backup written by `headway backup` into an empty, just-migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            report = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {report.total:,} rows of {len(report.rows)} tables from {path}."
        )
