"""Background tasks that are retried with back-off and never fail silently.

`django.tasks` runs a task once: if it raises, the database backend marks that one result
failed and nothing else happens. `background()` wraps a task function so that a crash is
retried, `attempts` times in all, each retry waiting twice as long as the one before
(`backoff`, `2 × backoff`, `4 × backoff` … seconds, capped at `max_backoff`), and so that once the
last attempt has failed `on_give_up` records the error on the domain object the task was
working for (an import job, a webhook delivery). Every failed attempt also stays visible as a
failed task result with its traceback (Django admin, `django_tasks_db`).

A retry is a new task enqueued with `run_after` and the attempt number in its keyword
arguments, so it survives a worker restart. Backends that cannot defer a task (the immediate
backend used in development and tests, `HEADWAY_TASKS_IMMEDIATE`) have no queue to wait in: they
retry at once, without the back-off.

A worker that is killed (SIGKILL, out of memory, the machine going down) records nothing: its
task's result stays "running" for ever, and `django_tasks_db` has no way to notice. So
`recover_lost` treats a result still running `HEADWAY_TASK_TIMEOUT` seconds after it started as
lost, fails it with `WorkerLost`, and handles it like a crash: a `background()` task is retried
(the lost attempt counts) or given up on through `on_give_up`. `headway worker` runs it when it
starts and then every minute.

    @background(attempts=3, backoff=10, on_give_up=mark_failed)
    def import_file(job_id: int) -> None: ...

    import_file.enqueue(job.pk)
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connections, transaction
from django.tasks import Task, TaskResultStatus, task

from headway.core import clock

logger = logging.getLogger("headway.tasks")

#: The keyword argument that carries the attempt number from one try to the next.
ATTEMPT = "attempt"


def backoff_seconds(attempt: int, backoff: float, max_backoff: float) -> float:
    """How long to wait after failed attempt number `attempt` (1-based) before the next."""
    return float(min(max_backoff, backoff * 2 ** (attempt - 1)))


def describe(exc: BaseException) -> str:
    """A one-line description of an exception for a person reading a log or a page."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class WorkerLost(Exception):
    """The worker running a task stopped (killed, out of memory, machine down) before the task
    recorded an outcome."""


@dataclass(frozen=True, slots=True)
class Retries:
    """How a `background()` task is retried, and who records its failure."""

    attempts: int
    backoff: float
    max_backoff: float
    on_give_up: Callable[..., None] | None

    def after_failure(
        self,
        the_task: Task[Any, Any],
        name: str,
        args: Any,
        kwargs: dict[str, Any],
        attempt: int,
        error: str,
    ) -> bool:
        """Handle failed attempt number `attempt`: queue the next one after its back-off, or,
        after the last, call `on_give_up`. True when the next attempt is due at once because
        the backend has no queue to wait in."""
        if attempt < self.attempts:
            delay = backoff_seconds(attempt, self.backoff, self.max_backoff)
            logger.warning(
                "%s attempt %d of %d failed (%s); retrying in %.0f s",
                name,
                attempt,
                self.attempts,
                error,
                delay,
            )
            if not the_task.get_backend().supports_defer:
                return True
            the_task.using(run_after=clock.now() + timedelta(seconds=delay)).enqueue(
                *args, **kwargs, **{ATTEMPT: attempt + 1}
            )
            return False
        logger.error("%s failed %d times, giving up: %s", name, self.attempts, error)
        if self.on_give_up is not None:
            self.on_give_up(*args, error=error, **kwargs)
        return False


#: The retry policy of every `background()` task, by its import path (`Task.module_path`).
_RETRIES: dict[str, Retries] = {}


def background(
    *,
    attempts: int = 5,
    backoff: float = 30.0,
    max_backoff: float = 3600.0,
    on_give_up: Callable[..., None] | None = None,
    priority: int = 0,
) -> Callable[[Callable[..., Any]], Task[Any, Any]]:
    """Turn a module-level function into a retried `django.tasks` Task.

    `on_give_up(*args, error=..., **kwargs)` is called with the task's own arguments and a
    description of the last error once every attempt has failed; it must record the failure
    somewhere a person will see it.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(func: Callable[..., Any]) -> Task[Any, Any]:
        retries = Retries(attempts, backoff, max_backoff, on_give_up)

        # `wraps` copies the module and qualified name, so the task's import path names the
        # Task object that this decorator returns under the function's own name.
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                the_task: Task[Any, Any] = getattr(sys.modules[func.__module__], func.__name__)
                now = retries.after_failure(
                    the_task, func.__qualname__, args, kwargs, attempt, describe(exc)
                )
                if now:
                    return run(*args, **kwargs, **{ATTEMPT: attempt + 1})
                raise

        _RETRIES[f"{func.__module__}.{func.__qualname__}"] = retries
        return task(run, priority=priority)

    return decorate


def recover_lost(*, worker_id: str | None = None, starting: bool = False) -> int:
    """Fail every task result left running by a worker that is gone, and retry or give up on
    each as if the task had crashed; the number recovered.

    A result is lost when it has been running longer than `HEADWAY_TASK_TIMEOUT` seconds. The
    worker calling this passes its own id: results it claimed last are lost at once when it is
    `starting` (a worker restarted under a fixed `--worker-id` is running nothing yet), and are
    never touched while it runs (it is alive). Each result is recovered in its own transaction
    by a conditional update, so two workers sweeping at once recover it once.
    """
    from django_tasks_db.models import DBTaskResult

    now = clock.now()
    cutoff = now - timedelta(seconds=settings.TASK_TIMEOUT)
    recovered = 0
    for result in DBTaskResult.objects.running().order_by("started_at"):
        mine = bool(worker_id) and result.worker_ids[-1:] == [worker_id]
        if mine and not starting:
            continue
        if not mine and (result.started_at is None or result.started_at >= cutoff):
            continue
        lost = WorkerLost(
            f"the worker running it ({', '.join(result.worker_ids[-1:]) or 'unknown'}) "
            "stopped before it finished"
        )
        try:
            with transaction.atomic():
                claimed = DBTaskResult.objects.filter(
                    pk=result.pk, status=TaskResultStatus.RUNNING
                ).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    return_value=None,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback="".join(format_exception(lost)),
                )
                if claimed:
                    _follow_up(result, lost)
        except Exception:
            # Left running, so the next sweep tries again; the log says why it did not work.
            logger.exception("could not recover lost task result %s", result.pk)
            continue
        recovered += claimed
    return recovered


def _follow_up(result: Any, lost: WorkerLost) -> None:
    """Retry a lost `background()` task, or give up on it, as after a crash."""
    try:
        the_task = result.task
    except (ImportError, SuspiciousOperation):
        logger.error("%s was lost with its worker and no longer exists", result.task_path)
        return
    retries = _RETRIES.get(result.task_path)
    if retries is None:
        logger.error("%s was lost with its worker and is marked failed", result.task_path)
        return
    kwargs = dict(result.args_kwargs["kwargs"])
    attempt = int(kwargs.pop(ATTEMPT, 1))
    name = result.task_path.rpartition(".")[2]
    retries.after_failure(
        the_task, name, result.args_kwargs["args"], kwargs, attempt, describe(lost)
    )


def recover_periodically(stop: threading.Event, every: float, worker_id: str) -> None:
    """Run `recover_lost` every `every` seconds until `stop` is set: the loop of the thread
    `headway worker` keeps beside the worker, so a task lost by another worker is noticed
    even when no worker restarts."""
    while not stop.wait(every):
        try:
            recovered = recover_lost(worker_id=worker_id)
            if recovered:
                logger.warning("recovered %d task(s) lost with their worker", recovered)
        except Exception:
            logger.exception("looking for lost tasks failed")
        finally:
            # This thread's own connections: the worker's are untouched.
            connections.close_all()
