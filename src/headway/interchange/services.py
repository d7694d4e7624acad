"""Import jobs: start one (store the file, queue the work), run one, and report on it.

The API, the pages and `headway import` all go through these functions. A job is queued as a
background task (`interchange.tasks.run_import`); the CLI runs it in its own process instead,
with a progress bar. Either way the import itself is `execute_import`.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import F

from headway.accounts.models import User
from headway.core import changes, clock
from headway.interchange import csvload, loader
from headway.interchange.csvmap import TARGET_FIELDS, check_mapping
from headway.interchange.errors import ImportFailed, MappingInvalid
from headway.interchange.models import ImportJob, ImportKind, ImportStatus
from headway.interchange.progress import ProgressCallback, ProgressFile, imports_dir, read_progress
from headway.products.models import Product

logger = logging.getLogger("headway.interchange")

_SUFFIX = {ImportKind.JIRA_CSV: ".csv", ImportKind.GITHUB_JSON: ".json", ImportKind.CSV: ".csv"}


def parse_mapping(raw: Any) -> dict[str, Any]:
    """Check a CSV column mapping `{"target": "features", "columns": {field: CSV header}}`
    (a dict or its JSON text) and return it; MappingInvalid names the field at fault."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise MappingInvalid("mapping", f"is not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise MappingInvalid(
            "mapping", 'must be an object like {"target": "features", "columns": {...}}'
        )
    target = raw.get("target")
    if not isinstance(target, str) or target not in TARGET_FIELDS:
        raise MappingInvalid("mapping.target", f"must be one of {', '.join(TARGET_FIELDS)}")
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in columns.items()
    ):
        raise MappingInvalid(
            "mapping.columns", "must map field names to CSV column names, both as text"
        )
    columns = {key: value for key, value in columns.items() if value.strip()}
    try:
        check_mapping(target, columns)
    except MappingInvalid as exc:
        field = exc.field.replace("mapping.", "mapping.columns.", 1)
        raise MappingInvalid(field, exc.message) from None
    return {"target": target, "columns": columns}


def check_kind(kind: Any) -> str:
    """`kind` if it is an import kind Headway knows; MappingInvalid otherwise."""
    if kind not in ImportKind.values:
        raise MappingInvalid("kind", f"must be one of {', '.join(ImportKind.values)}")
    return str(kind)


def store_file(chunks: Iterable[bytes], kind: str) -> Path:
    """Write an uploaded file under `DATA_DIR/imports/` with a name nobody can guess."""
    path = imports_dir() / f"{uuid.uuid4().hex}{_SUFFIX[ImportKind(kind)]}"
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def start_import(
    product: Product,
    user: User | None,
    *,
    kind: str,
    chunks: Iterable[bytes],
    file_name: str,
    mapping: Any = None,
    timezone: str = "UTC",
    enqueue: bool = True,
) -> ImportJob:
    """Check the options, store the file and create the job; then queue it (unless the
    caller runs it itself). MappingInvalid names a bad option before anything is stored."""
    kind = check_kind(kind)
    checked_mapping = parse_mapping(mapping) if kind == ImportKind.CSV else {}
    loader.check_timezone(timezone)
    path = store_file(chunks, kind)
    job = changes.create(
        ImportJob,
        user=user,
        product=product,
        kind=kind,
        file_name=file_name[:255],
        file_path=str(path),
        mapping=checked_mapping,
        options={"timezone": timezone},
        created_by=user,
    )
    if enqueue:
        from headway.interchange.tasks import run_import

        run_import.enqueue(job.pk)
    return job


def execute_import(job_id: int, progress: ProgressCallback | None = None) -> ImportJob:
    """Run a queued job to its outcome: done with counts, or failed with every bad row.

    A file that is refused is an outcome, not a crash: the job is failed and nothing is
    retried. Anything else that goes wrong is raised, for the task to retry; the job goes back
    to queued until then.
    """
    job = ImportJob.objects.select_related("product").get(pk=job_id)
    if job.finished_running:
        return job
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started=clock.now(), attempts=F("attempts") + 1, progress=0
    )
    job.refresh_from_db()
    reporter = ProgressFile(job.pk)

    def report(percent: float) -> None:
        reporter(percent)
        if progress is not None:
            progress(percent)

    try:
        outcome = _run(job, report)
    except ImportFailed as failure:
        listed = [detail.as_dict() for detail in failure.errors]
        return _finish(job, ImportStatus.FAILED, errors=listed, error_count=failure.total)
    except MappingInvalid as invalid:
        problem = {"line": None, "column": None, "message": f"{invalid.field}: {invalid.message}"}
        return _finish(job, ImportStatus.FAILED, errors=[problem], error_count=1)
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
        raise
    finally:
        reporter.remove()
    return _finish(
        job, ImportStatus.DONE, counts=outcome.summary(), notes=[n.as_dict() for n in outcome.notes]
    )


def _run(job: ImportJob, progress: ProgressCallback) -> loader.Outcome:
    path = Path(job.file_path)
    tz = loader.check_timezone(str(job.options.get("timezone") or "UTC"))
    if job.kind == ImportKind.JIRA_CSV:
        return loader.import_jira(job.product, path, tz=tz, progress=progress)
    if job.kind == ImportKind.GITHUB_JSON:
        return loader.import_github(job.product, path, progress=progress)
    mapping = parse_mapping(job.mapping)
    return csvload.import_csv(
        job.product,
        path,
        target=mapping["target"],
        columns=mapping["columns"],
        tz=tz,
        progress=progress,
    )


def _finish(
    job: ImportJob,
    status: str,
    *,
    errors: Iterable[dict[str, Any]] = (),
    error_count: int = 0,
    counts: dict[str, Any] | None = None,
    notes: list[Any] | None = None,
) -> ImportJob:
    """Record the outcome (one audited change) and delete the stored file."""
    Path(job.file_path).unlink(missing_ok=True)
    values: dict[str, Any] = {
        "status": status,
        "finished": clock.now(),
        "errors": list(errors),
        "error_count": error_count,
        "counts": counts or {},
        "notes": notes or [],
        "file_path": "",
    }
    if status == ImportStatus.DONE:
        values["progress"] = 100.0
    return changes.update(job, values, user=job.created_by)


def give_up(job_id: int, error: str) -> None:
    """Fail a job whose import crashed on every attempt, saying so on the job itself."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished_running:
        return
    message = (
        f"The import stopped unexpectedly {job.attempts} times ({error}); nothing was imported. "
        "Try again later, and tell your administrator if it keeps happening."
    )
    ProgressFile(job.pk).remove()
    problem = {"line": None, "column": None, "message": message}
    _finish(job, ImportStatus.FAILED, errors=[problem], error_count=1)


def current_progress(job: ImportJob) -> float:
    """The job's progress, 0–100: live from the running import, or as recorded."""
    if job.status == ImportStatus.RUNNING:
        live = read_progress(job.pk)
        if live is not None:
            return live
    return 100.0 if job.status == ImportStatus.DONE else float(job.progress)


def copy_into_store(path: Path, kind: str) -> Path:
    """Copy a local file into the import store (the CLI imports a file it does not own)."""
    with path.open("rb") as source:
        return store_file(iter(lambda: source.read(1 << 20), b""), kind)


def saved_mapping(product: Product, target: str) -> dict[str, str]:
    """The column mapping of the product's latest CSV import into `target`, to start from."""
    for mapping in (
        ImportJob.objects.filter(product=product, kind=ImportKind.CSV)
        .order_by("-created", "-id")
        .values_list("mapping", flat=True)[:20]
    ):
        if isinstance(mapping, dict) and mapping.get("target") == target:
            return dict(mapping.get("columns") or {})
    return {}
