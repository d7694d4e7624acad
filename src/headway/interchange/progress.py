"""Progress of a running import, readable while the import's transaction is still open.

An import writes everything in one transaction, so a progress figure written to the database
inside it would stay invisible until the end, and on SQLite a second connection cannot write
at all while that transaction holds the write lock. The running import therefore writes its
progress to a small file next to the uploaded file (`DATA_DIR/imports/<job id>.progress`), which
the web process reads when it answers `GET /imports/{id}`. The worker and the web process
already share `DATA_DIR`, since the worker reads the uploaded file from there.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

#: Called with a percentage, 0–100.
ProgressCallback = Callable[[float], None]
#: Seconds between two writes of a progress file (the page polls every second).
MIN_INTERVAL = 0.25


def imports_dir() -> Path:
    """Where uploaded files and progress files live."""
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job_id: int) -> Path:
    return imports_dir() / f"{job_id}.progress"


class ProgressFile:
    """Writes one job's progress, at most a few times a second, atomically (write and rename)."""

    def __init__(self, job_id: int, min_interval: float | None = None) -> None:
        self.path = progress_path(job_id)
        self.min_interval = MIN_INTERVAL if min_interval is None else min_interval
        self._last_value = -1.0
        self._last_time = 0.0

    def __call__(self, percent: float) -> None:
        now = time.monotonic()
        value = round(max(0.0, min(100.0, percent)), 1)
        if value == self._last_value or (now - self._last_time < self.min_interval and value < 100):
            return
        temporary = self.path.with_suffix(".progress-tmp")
        temporary.write_text(str(value))
        os.replace(temporary, self.path)
        self._last_value, self._last_time = value, now

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def read_progress(job_id: int) -> float | None:
    """The progress a running job last reported, or None when it has reported none."""
    try:
        return float(progress_path(job_id).read_text())
    except (OSError, ValueError):
        return None


def ticking[T](
    items: Iterable[T],
    stream: IO[bytes],
    callback: ProgressCallback | None,
    start: float,
    end: float,
    every: int = 200,
) -> Iterator[T]:
    """Yield `items` unchanged, reporting how far through `stream` the reading is, scaled to
    the `start`–`end` share of the whole import."""
    if callback is None:
        yield from items
        return
    size = max(1, os.fstat(stream.fileno()).st_size)
    span = end - start
    callback(start)
    for count, item in enumerate(items, start=1):
        if count % every == 0:
            callback(start + span * min(1.0, _position(stream) / size))
        yield item
    callback(end)


def _position(stream: Any) -> int:
    try:
        return int(stream.tell())
    except (OSError, ValueError):
        return 0
