"""`headway serve`: the production server (gunicorn) with a sensible worker count."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = "Serve Headway with gunicorn (static files by whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Worker processes (default: 2 × cores + 1, at most 9).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "gunicorn",
            "headway.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        self.stdout.write(f"Headway at http://{options['host']}:{options['port']}/")
        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
