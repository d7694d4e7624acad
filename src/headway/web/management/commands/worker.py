"""`headway worker`: runs queued background tasks (imports, webhooks, recomputations)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend


class Command(BaseCommand):
    help = "Run background tasks from the database queue until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default 1).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "Tasks run immediately in this process (HEADWAY_TASKS_IMMEDIATE is on), so "
                "there is no queue for a worker. Set HEADWAY_TASKS_IMMEDIATE=false in the web "
                "server's and the worker's environment to queue tasks in the database."
            )
        extra = [
            # Every queue: a task never waits because nobody listens to its queue.
            "--queue-name=*",
            f"--interval={options['interval']}",
            # Code reloading restarts a task half-way; a deployment restarts the worker instead.
            "--no-reload",
        ]
        if options["batch"]:
            extra += ["--batch", "--no-startup-delay"]
        if options["max_tasks"]:
            extra.append(f"--max-tasks={options['max_tasks']}")
        call_command("db_worker", *extra, verbosity=options["verbosity"])
