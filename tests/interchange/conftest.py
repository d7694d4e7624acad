"""Fixtures of the interchange tests: the real exports in shared/data, and a database queue."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.tasks import task_backends


def shared_data() -> Path:
    """The project's shared data folder (`shared/data` beside the checkout or a worktree)."""
    override = os.environ.get("HEADWAY_SHARED_DATA")
    if override:
        return Path(override)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "data"
        if (candidate / "hadoop-jira-bugs.csv").exists():
            return candidate
    return Path(__file__).resolve().parents[3] / "shared" / "data"


SHARED = shared_data()
HADOOP = SHARED / "hadoop-jira-bugs.csv"
NPM = SHARED / "npm-github-closed-issues.jsonl"
FIXTURES = Path(__file__).parent / "fixtures"


def _reset_task_backends() -> None:
    # django.tasks caches its backends and their settings; a settings override must drop them.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None  # type: ignore[attr-defined]
    for alias in ("default",):
        if hasattr(task_backends._connections, alias):
            delattr(task_backends._connections, alias)


@pytest.fixture
def database_tasks(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Queue tasks in the database (django_tasks_db), as production does, instead of
    running them at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops stale connections between tasks; in a test the one connection holds
    # the test's transaction, so it must stay.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    _reset_task_backends()
    yield
    _reset_task_backends()


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
