"""The task wrapper: back-off figures, retries, and a failure that is recorded, never lost."""

from __future__ import annotations

from typing import Any

import pytest

from headway.core.tasks import backoff_seconds, describe
from headway.interchange import services
from headway.interchange.models import ImportJob, ImportStatus
from tests.conftest import World
from tests.interchange.conftest import FIXTURES


def test_back_off_doubles_after_each_attempt_up_to_its_cap() -> None:
    assert [backoff_seconds(n, 30, 3600) for n in range(1, 9)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600,
    ]  # fmt: skip


def test_an_error_is_described_in_one_line() -> None:
    assert describe(ValueError("bad\nsecond line")) == "ValueError: bad"
    assert describe(KeyError()) == "KeyError"


def test_with_immediate_tasks_a_crash_is_retried_at_once_and_then_recorded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def flaky(job: ImportJob, progress: Any) -> Any:
        calls.append(job.attempts)
        if len(calls) < 3:
            raise TimeoutError("database busy")
        return real(job, progress)

    real = services._run
    monkeypatch.setattr(services, "_run", flaky)
    with (FIXTURES / "jira-quirky.csv").open("rb") as source:
        job = services.start_import(
            world.product, world.pm, kind="jira_csv", chunks=[source.read()], file_name="q.csv"
        )
    job.refresh_from_db()
    assert calls == [1, 2, 3]
    assert job.status == ImportStatus.DONE
    assert job.attempts == 3
