"""The task wrapper: back-off figures, retries, a failure that is recorded, never lost, and
tasks left running by a killed worker recovered."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from headway.activity.tasks import send_digest_task
from headway.core import tasks
from headway.core.tasks import backoff_seconds, describe, recover_lost
from headway.interchange import services, webhooks
from headway.interchange.models import (
    DeliveryStatus,
    ImportJob,
    ImportStatus,
    Webhook,
    WebhookDelivery,
)
from headway.interchange.tasks import deliver_webhook
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


# --- tasks lost with a killed worker --------------------------------------------------------------


def start_import(world: World) -> ImportJob:
    with (FIXTURES / "jira-quirky.csv").open("rb") as source:
        return services.start_import(
            world.product, world.pm, kind="jira_csv", chunks=[source.read()], file_name="q.csv"
        )


def killed_while_running(job: ImportJob, worker: str = "dead-worker", minutes: int = 60) -> Any:
    """What a worker killed by SIGKILL half-way through the import leaves behind: the task
    result and the job both say running, and nothing will ever finish them."""
    result = DBTaskResult.objects.get(status="READY")
    result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes)
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, attempts=F("attempts") + 1
    )
    return result


def test_a_task_running_past_the_timeout_is_failed_and_retried_with_back_off(
    world: World, database_tasks: None, settings: Any
) -> None:
    settings.TASK_TIMEOUT = 1800
    job = start_import(world)
    lost = killed_while_running(job, minutes=31)

    call_command("worker", "--batch", verbosity=0)

    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "headway.core.tasks.WorkerLost"
    assert "dead-worker" in lost.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs == {"args": [job.pk], "kwargs": {"attempt": 2}}
    assert 9 <= (retry.run_after - timezone.now()).total_seconds() <= 10
    # Once its back-off has passed, the next worker run imports the file.
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.attempts == 2


def test_a_task_lost_on_its_last_attempt_is_recorded_on_the_import(
    world: World, database_tasks: None
) -> None:
    job = start_import(world)
    DBTaskResult.objects.update(args_kwargs={"args": [job.pk], "kwargs": {"attempt": 3}})
    killed_while_running(job)

    assert recover_lost() == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "WorkerLost" in job.errors[0]["message"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_webhook_delivery_lost_on_its_last_attempt_is_marked_failed(
    world: World, database_tasks: None
) -> None:
    hook = Webhook.objects.create(
        workspace=world.workspace, url="https://hooks.example.com/in", events=["idea.created"]
    )
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="idea.created", body="{}", attempts=webhooks.ATTEMPTS
    )
    deliver_webhook.using(run_after=None).enqueue(delivery.pk, attempt=webhooks.ATTEMPTS)
    result = DBTaskResult.objects.get()
    result.claim("dead-worker")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=1))

    assert recover_lost() == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "WorkerLost" in delivery.error


def test_a_task_running_within_the_timeout_is_left_to_its_worker(
    world: World, database_tasks: None, settings: Any
) -> None:
    settings.TASK_TIMEOUT = 1800
    job = start_import(world)
    running = killed_while_running(job, minutes=29)

    assert recover_lost() == 0

    running.refresh_from_db()
    assert running.status == "RUNNING"


def test_a_worker_restarted_under_its_fixed_id_recovers_its_task_at_once(
    world: World, database_tasks: None
) -> None:
    job = start_import(world)
    mine = killed_while_running(job, worker="web1-worker", minutes=0)
    theirs_job = start_import(world)
    theirs = killed_while_running(theirs_job, worker="web2-worker", minutes=0)

    call_command("worker", "--batch", "--worker-id=web1-worker", verbosity=0)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "FAILED"
    assert theirs.status == "RUNNING"  # another worker's, and recent: it may well be alive


def test_a_running_worker_never_takes_its_own_task_for_lost(
    world: World, database_tasks: None
) -> None:
    job = start_import(world)
    own = killed_while_running(job, worker="me", minutes=600)

    assert recover_lost(worker_id="me") == 0

    own.refresh_from_db()
    assert own.status == "RUNNING"


def test_a_lost_task_is_recovered_once_by_two_sweeps(world: World, database_tasks: None) -> None:
    killed_while_running(start_import(world))

    assert recover_lost() == 1
    assert recover_lost() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_lost_plain_task_is_only_marked_failed(world: World, database_tasks: None) -> None:
    send_digest_task.enqueue(world.pm.pk)
    result = DBTaskResult.objects.get()
    result.claim("dead-worker")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=1))

    assert recover_lost() == 1

    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


def test_the_worker_thread_sweeps_until_it_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = threading.Event()
    sweeps: list[str | None] = []

    def sweep(*, worker_id: str | None = None, starting: bool = False) -> int:
        sweeps.append(worker_id)
        if len(sweeps) == 3:
            stop.set()
        return 0

    monkeypatch.setattr(tasks, "recover_lost", sweep)
    thread = threading.Thread(target=tasks.recover_periodically, args=(stop, 0.01, "me"))
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert sweeps == ["me", "me", "me"]
