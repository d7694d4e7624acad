"""Backup and restore of the whole database as one versioned JSON document.

    {"format": "headway-backup", "version": 1, "created": "…", "database": "sqlite",
     "models": [
       {"model": "accounts.user", "fields": ["id", "password", …], "count": 7, "rows": [
         [1, "argon2$…", …],
         …]},
       …]}

Every table Headway's models own is written, rows ordered by primary key, tables in dependency
order (a table after the tables it points to), with primary keys kept, so every relation, every
rank and the whole audit history come back as they were. Two kinds of rows are not written:
content types and permissions, which `migrate` creates (rows that point to them are written with
their natural keys, `["planning", "feature"]`, and mapped back on restore), and sessions, which
are bearer secrets and would let whoever reads a backup act as its users.

The backup is read in one snapshot (a REPEATABLE READ transaction on PostgreSQL, a deferred read
transaction on SQLite, neither of which blocks writers) and written row by row; the restore reads
it the same way (`jsonstream`), so neither holds the database in memory. A `.gz` file is gzipped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import gzip
import importlib.metadata
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction

from headway.core import clock
from headway.interchange.jsonstream import JsonStream, JsonSyntaxError


def _installed_version() -> str:
    try:
        return importlib.metadata.version("headway")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


headway_version = _installed_version()
FORMAT = "headway-backup"
#: The backup format this Headway writes and the newest it can read.
VERSION = 1
#: Tables that are not backed up (see the module docstring).
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
_BATCH = 500


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


@dataclass
class Report:
    """What a backup or restore did: rows per model label."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, each after the models it points to."""
    chosen = {
        model._meta.label_lower: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in SKIPPED and model._meta.managed and not model._meta.proxy
    }
    depends: dict[str, set[str]] = {}
    for label, model in chosen.items():
        targets = set()
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is not None:
                target = model_field.related_model._meta.label_lower
                if target in chosen and target != label:
                    targets.add(target)
        depends[label] = targets
    ordered: list[str] = []
    placed: set[str] = set()
    remaining = sorted(chosen)
    while remaining:
        ready = [label for label in remaining if depends[label] <= placed]
        if not ready:  # a cycle: foreign keys are checked at commit, so any order will do
            ready = remaining[:1]
        for label in ready:
            ordered.append(label)
            placed.add(label)
        remaining = [label for label in remaining if label not in placed]
    return [chosen[label] for label in ordered]


def _natural_key_fields(model: type[models.Model]) -> dict[str, type[models.Model]]:
    """The model's foreign keys to content types or permissions, by attribute name."""
    found: dict[str, type[models.Model]] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.is_relation and model_field.related_model in (ContentType, Permission):
            found[model_field.attname] = model_field.related_model
    return found


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision: DjangoJSONEncoder drops microseconds
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _dumps(value: Any) -> str:
    return json.dumps(value, default=_encode, ensure_ascii=False, separators=(",", ":"))


@contextlib.contextmanager
def open_text(path: Path, mode: str) -> Iterator[TextIO]:
    """A text stream on `path`, gzipped when its name ends with .gz."""
    opened: Any = (
        gzip.open(path, mode + "t", encoding="utf-8")
        if path.suffix == ".gz"
        else path.open(mode, encoding="utf-8")
    )
    with opened as stream:
        yield stream


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """A read transaction that sees one moment of the database without blocking writers."""
    if connection.vendor == "sqlite":
        # Headway's SQLite connections BEGIN IMMEDIATE (taking the write lock); a backup only
        # reads, so it starts a deferred transaction, which in WAL mode is a snapshot.
        if not hasattr(connection, "transaction_mode"):
            connection.get_connection_params()
        previous = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = None  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = previous  # type: ignore[attr-defined]
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def write_backup(stream: TextIO) -> Report:
    """Write the whole database to `stream` as a backup document."""
    report = Report()
    head = {
        "format": FORMAT,
        "version": VERSION,
        "created": clock.now(),
        "headway": headway_version,
        "database": connection.vendor,
    }
    with _snapshot():
        stream.write(_dumps(head)[:-1] + ',"models":[')
        content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
        permissions = {
            permission.pk: list(permission.natural_key())
            for permission in Permission.objects.select_related("content_type")
        }
        for number, model in enumerate(backed_up_models()):
            names = [model_field.attname for model_field in model._meta.concrete_fields]
            natural = _natural_key_fields(model)
            lookups = {
                index: content_types if natural[name] is ContentType else permissions
                for index, name in enumerate(names)
                if name in natural
            }
            label = model._meta.label_lower
            queryset = model._base_manager.order_by("pk").values_list(*names)
            section = {"model": label, "fields": names}
            stream.write(("\n" if number == 0 else ",\n") + _dumps(section)[:-1] + ',"rows":[')
            count = 0
            for row in queryset.iterator(chunk_size=2000):
                values = list(row)
                for index, lookup in lookups.items():
                    if values[index] is not None:
                        values[index] = lookup[values[index]]
                stream.write(("\n" if count == 0 else ",\n") + _dumps(values))
                count += 1
            stream.write("]}")
            report.rows[label] = count
        stream.write("\n]}\n")
    return report


def backup(path: Path) -> Report:
    """Write a backup file (gzipped when the name ends with .gz); a partial file is removed."""
    try:
        with open_text(path, "w") as stream:
            return write_backup(stream)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


# --- restore -----------------------------------------------------------------------------------


def non_empty_tables() -> list[str]:
    """The tables of backed-up models that hold rows (a restore needs none)."""
    return [model._meta.db_table for model in backed_up_models() if model._base_manager.exists()]


class _Inserter:
    """Inserts the rows of one model as they are, primary keys included."""

    def __init__(self, label: str, names: list[str]) -> None:
        try:
            self.model = apps.get_model(label)
        except (LookupError, ValueError):
            raise BackupError(
                f"The backup holds {label}, which this Headway does not know. Restore it with "
                "the Headway version that wrote it, then upgrade."
            ) from None
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        unknown = [name for name in names if name not in by_attname]
        if unknown:
            raise BackupError(
                f"The backup's {label} has fields this Headway does not know: "
                f"{', '.join(unknown)}. Restore it with the Headway version that wrote it."
            )
        self.fields = [by_attname[name] for name in names]
        natural = _natural_key_fields(self.model)
        self.natural = {index: natural[name] for index, name in enumerate(names) if name in natural}
        quote = connection.ops.quote_name
        # Table and column names come from the models, quoted; the values are parameters.
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.pending: list[list[Any]] = []
        self.count = 0

    def add(self, row: Any, keys: _NaturalKeys) -> None:
        if not isinstance(row, list) or len(row) != len(self.fields):
            found = len(row) if isinstance(row, list) else "no"
            raise BackupError(
                f"A row of {self.model._meta.label_lower} has {found} values where "
                f"{len(self.fields)} were expected."
            )
        values = []
        for index, (model_field, value) in enumerate(zip(self.fields, row, strict=True)):
            if value is not None and index in self.natural:
                value = keys.pk(self.natural[index], value)
            elif value is not None and not isinstance(model_field, models.JSONField):
                value = model_field.to_python(value)
            values.append(model_field.get_db_prep_save(value, connection))
        self.pending.append(values)
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
            self.count += len(self.pending)
            self.pending = []


class _NaturalKeys:
    """Maps the natural keys of content types and permissions to this database's ids."""

    def __init__(self) -> None:
        self.content_types = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
        self.permissions = {
            tuple(permission.natural_key()): permission.pk
            for permission in Permission.objects.select_related("content_type")
        }

    def pk(self, model: type[models.Model], key: Any) -> int:
        table = self.content_types if model is ContentType else self.permissions
        found = table.get(tuple(key))
        if found is None:
            raise BackupError(
                f"The backup refers to {model._meta.verbose_name} {key!r}, which this database "
                "does not have: run `headway migrate` first."
            )
        return found


def read_header(reader: JsonStream) -> dict[str, Any]:
    """Read the document's header up to its "models" and check format and version."""
    head: dict[str, Any] = {}
    keys = reader.keys()
    for key in keys:
        if key == "models":
            break
        head[key] = reader.value()
    else:
        raise BackupError('This file has no "models": it is not a Headway backup.')
    if head.get("format") != FORMAT:
        raise BackupError('This file is not a Headway backup (its "format" is not headway-backup).')
    version = head.get("version")
    if not isinstance(version, int):
        raise BackupError("This backup has no format version number.")
    if version > VERSION:
        raise BackupError(
            f"This backup is in format {version}, written by a newer Headway "
            f"({head.get('headway', 'unknown version')}); this Headway ({headway_version}) reads "
            f"formats up to {VERSION}. Upgrade Headway, then restore."
        )
    head["_keys"] = keys
    return head


def restore_stream(stream: TextIO) -> Report:
    """Restore a backup document into this (empty, migrated) database, in one transaction."""
    reader = JsonStream(stream)
    try:
        head = read_header(reader)
        keys_iterator = head.pop("_keys")
        busy = non_empty_tables()
        if busy:
            shown = ", ".join(busy[:5]) + (f" and {len(busy) - 5} more" if len(busy) > 5 else "")
            raise BackupError(
                f"The database is not empty ({shown} hold rows). Restore into a new database "
                "that `headway migrate` has just created."
            )
        report = Report()
        restored: list[type[models.Model]] = []
        keys = _NaturalKeys()
        with transaction.atomic():
            for _ in reader.items():
                section: dict[str, Any] = {}
                inserter: _Inserter | None = None
                for key in reader.keys():
                    if key != "rows":
                        section[key] = reader.value()
                        continue
                    if "model" not in section or "fields" not in section:
                        raise BackupError("A table of the backup names no model or fields.")
                    inserter = _Inserter(str(section["model"]), list(section["fields"]))
                    for _row in reader.items():
                        inserter.add(reader.value(), keys)
                    inserter.flush()
                if inserter is None:
                    raise BackupError(f"The backup's {section.get('model')} has no rows.")
                report.rows[inserter.model._meta.label_lower] = inserter.count
                restored.append(inserter.model)
            for _rest in keys_iterator:
                reader.value()
            reader.end()
            _reset_sequences(restored)
    except JsonSyntaxError as error:
        raise BackupError(f"The backup file is damaged: {error}") from None
    return report


def _reset_sequences(restored: list[type[models.Model]]) -> None:
    # Rows came in with their ids; the next id each table hands out must follow them.
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def restore(path: Path) -> Report:
    """Restore the backup file at `path` (gzipped when its name ends with .gz)."""
    try:
        with open_text(path, "r") as stream:
            return restore_stream(stream)
    except (OSError, UnicodeDecodeError, EOFError) as error:
        raise BackupError(f"The backup file cannot be read: {error}") from None
