"""`headway worker`: runs queued background tasks (imports, webhooks, recomputations)."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend

from headway.core.tasks import recover_lost, recover_periodically

#: Seconds between two looks for tasks lost with another worker.
RECOVER_EVERY = 60.0


def default_worker_id() -> str:
    """Host, process and a random part: readable in the task results, and never reused."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def worker_id(value: str) -> str:
    if not value or len(value) > 64:
        raise ValueError(value)
    return value


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
        parser.add_argument(
            "--worker-id",
            type=worker_id,
            default=None,
            help=(
                "A fixed id (at most 64 characters), unique among running workers: on start, "
                "tasks this id left running are recovered at once (default: host, pid, random)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "Tasks run immediately in this process (HEADWAY_TASKS_IMMEDIATE is on), so "
                "there is no queue for a worker. Set HEADWAY_TASKS_IMMEDIATE=false in the web "
                "server's and the worker's environment to queue tasks in the database."
            )
        me = options["worker_id"] or default_worker_id()
        recovered = recover_lost(worker_id=me, starting=True)
        if recovered and options["verbosity"]:
            self.stderr.write(f"Recovered {recovered} task(s) left running by a lost worker.")
        extra = [
            # Every queue: a task never waits because nobody listens to its queue.
            "--queue-name=*",
            f"--worker-id={me}",
            f"--interval={options['interval']}",
            # Code reloading restarts a task half-way; a deployment restarts the worker instead.
            "--no-reload",
        ]
        if options["batch"]:
            extra += ["--batch", "--no-startup-delay"]
        if options["max_tasks"]:
            extra.append(f"--max-tasks={options['max_tasks']}")
        stop = threading.Event()
        if not options["batch"]:
            # A thread beside the worker looks for tasks lost with another worker, so they are
            # noticed even when no worker restarts.
            threading.Thread(
                target=recover_periodically,
                args=(stop, RECOVER_EVERY, me),
                name="recover-lost-tasks",
                daemon=True,
            ).start()
        try:
            call_command("db_worker", *extra, verbosity=options["verbosity"])
        finally:
            stop.set()
