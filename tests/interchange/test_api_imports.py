"""`POST /products/{id}/imports` and `GET /imports/{id}`: uploads, checks, roles, progress."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from headway.interchange import services
from headway.interchange.models import ImportJob
from headway.planning.models import Feature
from tests.conftest import Api, World
from tests.interchange.conftest import FIXTURES

PROBLEM = "application/problem+json"


def upload(api: Api, product_id: int, path: Path | None, **fields: Any) -> Any:
    data: dict[str, Any] = dict(fields)
    if path is not None:
        data["file"] = io.BytesIO(path.read_bytes())
        data["file"].name = path.name
    return api.client.post(f"/api/v1/products/{product_id}/imports", data, **api.headers)


def test_product_manager_uploads_a_jira_export_and_reads_the_outcome(
    pm_api: Api, world: World
) -> None:
    response = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert response.status_code == 201, response.content
    created = response.json()
    job = pm_api.get(f"/imports/{created['id']}").json()
    assert job["status"] == "done"
    assert job["progress"] == 100
    assert job["counts"]["features"]["created"] == 4
    assert job["counts"]["stories"]["created"] == 4
    assert job["errors"] == []
    assert job["file_name"] == "jira-quirky.csv"
    assert job["created_by"] == "pavel"


def test_a_broken_file_answers_with_every_bad_row(pm_api: Api, world: World) -> None:
    created = upload(pm_api, world.product.pk, FIXTURES / "jira-broken.csv", kind="jira_csv")
    job = pm_api.get(f"/imports/{created.json()['id']}").json()
    assert job["status"] == "failed"
    assert job["errors"][0] == {
        "line": 5,
        "column": 4,
        "message": 'Created: "31/Foo/21 10:00" is not a date and time like 30/Sep/21 17:20, '
        "12/Jan/26 9:30 AM or 2021-09-30 17:20",
    }
    assert job["error_count"] == 5
    assert not Feature.objects.exists()


def test_csv_import_takes_a_column_mapping(pm_api: Api, world: World, tmp_path: Path) -> None:
    path = tmp_path / "features.csv"
    path.write_text("Name,State,Tags\nDark mode,In progress,ui;beta\nExport,done,\n")
    mapping = {"target": "features", "columns": {"title": "Name", "status": "State"}}
    response = upload(pm_api, world.product.pk, path, kind="csv", mapping=json.dumps(mapping))
    assert response.status_code == 201, response.content
    job = pm_api.get(f"/imports/{response.json()['id']}").json()
    assert job["status"] == "done", job["errors"]
    assert job["mapping"] == mapping
    assert dict(Feature.objects.values_list("title", "status")) == {
        "Dark mode": "in_progress",
        "Export": "done",
    }


def test_missing_file_is_422_naming_the_field(pm_api: Api, world: World) -> None:
    response = upload(pm_api, world.product.pk, None, kind="jira_csv")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_unknown_kind_is_422(pm_api: Api, world: World) -> None:
    response = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="trello")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"


def test_csv_without_mapping_is_422(pm_api: Api, world: World) -> None:
    response = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="csv")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mapping"


def test_mapping_that_is_not_json_is_422(pm_api: Api, world: World) -> None:
    response = upload(
        pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="csv", mapping="{title"
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["errors"][0]["message"]


def test_mapping_of_an_unknown_field_is_422_naming_it(pm_api: Api, world: World) -> None:
    mapping = json.dumps({"target": "features", "columns": {"title": "A", "colour": "B"}})
    response = upload(
        pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="csv", mapping=mapping
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mapping.columns.colour"


def test_mapping_without_a_required_field_is_422(pm_api: Api, world: World) -> None:
    mapping = json.dumps({"target": "feedback", "columns": {"source": "Channel"}})
    response = upload(
        pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="csv", mapping=mapping
    )
    assert response.json()["errors"][0]["field"] == "mapping.columns.text"


def test_unknown_time_zone_is_422(pm_api: Api, world: World) -> None:
    response = upload(
        pm_api,
        world.product.pk,
        FIXTURES / "jira-quirky.csv",
        kind="jira_csv",
        timezone="Mars/Olympus",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "timezone"


def test_time_zone_applies_to_jira_times_without_one(pm_api: Api, world: World) -> None:
    upload(
        pm_api,
        world.product.pk,
        FIXTURES / "jira-quirky.csv",
        kind="jira_csv",
        timezone="Europe/Berlin",
    )
    epic = Feature.objects.get(source_key="jira:PAY-1")
    assert epic.created.isoformat() == "2021-09-30T15:20:00+00:00"


def test_too_large_upload_is_413_and_stores_nothing(
    pm_api: Api, world: World, settings: Any, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    path = tmp_path / "big.csv"
    path.write_text("Summary,Issue id\n" + "x,1\n" * 500)
    response = upload(pm_api, world.product.pk, path, kind="jira_csv")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert "larger than" in response.json()["detail"]
    assert not ImportJob.objects.exists()
    assert list(services.imports_dir().iterdir()) == []


def test_viewer_cannot_import(viewer_api: Api, world: World) -> None:
    response = upload(viewer_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_contributor_cannot_import(contributor_api: Api, world: World) -> None:
    response = upload(
        contributor_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv"
    )
    assert response.status_code == 403


def test_outsider_cannot_import_nor_see_imports(
    outsider_api: Api, pm_api: Api, world: World
) -> None:
    response = upload(outsider_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert response.status_code == 404
    created = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert outsider_api.get(f"/imports/{created.json()['id']}").status_code == 404
    assert outsider_api.get(f"/products/{world.product.pk}/imports").status_code == 404


def test_viewer_reads_imports(viewer_api: Api, pm_api: Api, world: World) -> None:
    created = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert viewer_api.get(f"/imports/{created.json()['id']}").json()["status"] == "done"


def _jobs(world: World, count: int) -> None:
    for number in range(count):
        ImportJob.objects.create(
            product=world.product,
            kind="jira_csv",
            status="failed",
            file_name=f"{number}.csv",
            created_by=world.pm,
            errors=[{"line": 2, "column": 1, "message": "bad"}],
        )


def test_import_list_queries_do_not_grow(pm_api: Api, world: World) -> None:
    counts = []
    for rows in (3, 30):
        _jobs(world, rows - ImportJob.objects.count())
        pm_api.get(f"/products/{world.product.pk}/imports")  # warm the token and memberships
        with CaptureQueriesContext(connection) as queries:
            listed = pm_api.get(f"/products/{world.product.pk}/imports?limit=50").json()
        assert listed["count"] == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_progress_is_read_from_the_running_import(
    pm_api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, float]] = []
    real = services._run

    def spy(job: ImportJob, progress: Any) -> Any:
        def report(percent: float) -> None:
            progress(percent)
            if 40 < percent < 100:
                answer = pm_api.get(f"/imports/{job.pk}").json()
                seen.append((answer["status"], answer["progress"]))

        return real(job, report)

    monkeypatch.setattr(services, "_run", spy)
    monkeypatch.setattr("headway.interchange.progress.MIN_INTERVAL", 0)
    upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    assert seen, "no progress was reported while writing"
    assert all(status == "running" for status, _ in seen)
    assert any(0 < progress < 100 for _, progress in seen)


# --- the database queue and `headway worker` ---------------------------------------------------


def test_with_the_database_queue_the_worker_runs_the_import(
    pm_api: Api, world: World, database_tasks: None
) -> None:
    response = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == "queued"
    assert Path(job.file_path).parent == services.imports_dir()
    assert Path(job.file_path).read_bytes() == (FIXTURES / "jira-quirky.csv").read_bytes()
    assert DBTaskResult.objects.get().status == "READY"
    assert not Feature.objects.exists()

    call_command("worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.status == "done"
    assert Feature.objects.filter(product=world.product).count() == 4
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "done"


def test_a_crashing_import_is_retried_with_back_off_then_failed_with_its_error(
    pm_api: Api, world: World, database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(job: ImportJob, progress: Any) -> Any:
        raise ConnectionError("database went away")

    monkeypatch.setattr(services, "_run", crash)
    response = upload(pm_api, world.product.pk, FIXTURES / "jira-quirky.csv", kind="jira_csv")
    job = ImportJob.objects.get(pk=response.json()["id"])
    waits = []
    for _ in range(3):
        call_command("worker", "--batch", verbosity=0)
        ready = DBTaskResult.objects.filter(status="READY").first()
        if ready is None:
            break
        last_failed = DBTaskResult.objects.filter(status="FAILED").latest("finished_at")
        assert "ConnectionError" in last_failed.traceback
        waits.append(round((ready.run_after - last_failed.started_at).total_seconds()))
        job.refresh_from_db()
        assert job.status == "queued"
        # Let the back-off pass.
        DBTaskResult.objects.filter(pk=ready.pk).update(run_after=ready.enqueued_at)
    assert waits == [10, 20]
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.attempts == 3
    assert "database went away" in job.errors[0]["message"]
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert not Path(job.file_path or "/nonexistent").exists()


def test_worker_refuses_to_start_when_tasks_run_immediately() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="HEADWAY_TASKS_IMMEDIATE"):
        call_command("worker", "--batch")
