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

    @background(attempts=3, backoff=10, on_give_up=mark_failed)
    def import_file(job_id: int) -> None: ...

    import_file.enqueue(job.pk)
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.tasks import Task, task

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
        # `wraps` copies the module and qualified name, so the task's import path names the
        # Task object that this decorator returns under the function's own name.
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                error = describe(exc)
                if attempt < attempts:
                    delay = backoff_seconds(attempt, backoff, max_backoff)
                    logger.warning(
                        "%s attempt %d of %d failed (%s); retrying in %.0f s",
                        func.__qualname__,
                        attempt,
                        attempts,
                        error,
                        delay,
                    )
                    the_task: Task[Any, Any] = getattr(sys.modules[func.__module__], func.__name__)
                    if the_task.get_backend().supports_defer:
                        the_task.using(run_after=clock.now() + timedelta(seconds=delay)).enqueue(
                            *args, **kwargs, **{ATTEMPT: attempt + 1}
                        )
                        raise
                    return run(*args, **kwargs, **{ATTEMPT: attempt + 1})
                logger.error(
                    "%s failed %d times, giving up: %s", func.__qualname__, attempts, error
                )
                if on_give_up is not None:
                    on_give_up(*args, error=error, **kwargs)
                raise

        return task(run, priority=priority)

    return decorate
