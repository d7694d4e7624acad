"""Batched create-or-update of imported records, matched on a key, for the import writers.

An import of 50,000 rows cannot afford a query per row, nor holding every row in memory: rows
are buffered `batch_size` at a time; each batch fetches the records it matches (by primary key,
from a `{key: id}` map loaded once), updates those that differ with one `bulk_update`, and
creates the rest with one `bulk_create`. A record whose fields all equal the file's is left
alone, so re-importing the same file changes nothing, not even versions. Versioned records that
do change get their version bumped (their ETag changes) and `updated` set, as any edit would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import F

from headway.core import clock
from headway.core.models import Versioned

#: Rows per batch: big enough to make round trips rare, small enough to keep memory flat.
BATCH_SIZE = 500


@dataclass
class Tally:
    """How many records of one kind an import created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def merged_list(current: Iterable[str], incoming: Iterable[str]) -> list[str]:
    """`current` followed by the items of `incoming` it lacks: imported labels are added to
    the ones a record has, never replacing what people added in Headway."""
    result = list(current)
    seen = set(result)
    for item in incoming:
        if item not in seen:
            result.append(item)
            seen.add(item)
    return result


@dataclass
class Upsert:
    """Creates or updates records of `model` matched on a key through `existing` ({key: id}).

    `add(key, values, on_create)`: `values` are the fields the file sets (attribute names, so
    foreign keys as `release_id`); `on_create` holds fields set only on a new record (its
    product, its creation time). `merge` may combine a record's current values with the
    file's (labels are added, not replaced). Newly created records join `existing`, and
    `on_created(key, pk)` is told about each.
    """

    model: type[models.Model]
    existing: dict[str, int]
    tally: Tally = field(default_factory=Tally)
    merge: Callable[[models.Model, dict[str, Any]], dict[str, Any]] | None = None
    on_created: Callable[[str, int], None] | None = None
    #: Ids reserved for new records (`reserve_ids`): they are then inserted with plain
    #: INSERTs that skip the ORM's per-object work, and others may refer to them at once.
    reserved: Mapping[str, int] | None = None
    batch_size: int = BATCH_SIZE
    _pending: list[tuple[str, dict[str, Any], Mapping[str, Any]]] = field(default_factory=list)
    _inserter: _RawInsert | None = None

    def add(self, key: str, values: dict[str, Any], on_create: Mapping[str, Any]) -> None:
        self._pending.append((key, values, on_create))
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        matched = [self.existing[key] for key, _, _ in pending if key in self.existing]
        fetched_fields = sorted({name for _, values, _ in pending for name in values})
        current = (
            {
                obj.pk: obj
                for obj in self.model._base_manager.filter(pk__in=matched).only(*fetched_fields)
            }
            if matched
            else {}
        )
        to_create: list[tuple[str, models.Model]] = []
        fast_rows: list[dict[str, Any]] = []
        to_update: list[models.Model] = []
        changed_fields: set[str] = set()
        for key, values, on_create in pending:
            pk = self.existing.get(key)
            obj = current.get(pk) if pk is not None else None
            if obj is None:
                if self.reserved is not None and key in self.reserved:
                    fast_rows.append({**on_create, **values, "id": self.reserved[key]})
                    self.existing[key] = self.reserved[key]
                else:
                    to_create.append((key, self.model(**on_create, **values)))
                continue
            if self.merge is not None:
                values = self.merge(obj, values)
            changes = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changes:
                self.tally.unchanged += 1
                continue
            for name in changes:
                setattr(obj, name, values[name])
            changed_fields.update(changes)
            to_update.append(obj)
        if fast_rows:
            if self._inserter is None:
                self._inserter = _RawInsert(self.model)
            self._inserter.insert(fast_rows)
            self.tally.created += len(fast_rows)
        if to_create:
            created = self.model._base_manager.bulk_create([obj for _, obj in to_create])
            for (key, _), obj in zip(to_create, created, strict=True):
                self.existing[key] = obj.pk
                if self.on_created is not None:
                    self.on_created(key, obj.pk)
            self.tally.created += len(created)
        if to_update:
            if issubclass(self.model, Versioned):
                now = clock.now()
                for obj in to_update:
                    obj.version = F("version") + 1  # type: ignore[attr-defined]
                    obj.updated = now  # type: ignore[attr-defined]
                changed_fields.update({"version", "updated"})
            self.model._base_manager.bulk_update(to_update, sorted(changed_fields))
            self.tally.updated += len(to_update)


#: Field types whose Python values the database drivers take as they are.
_PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


class _RawInsert:
    """INSERTs rows of one model (ids included) with one `executemany` per batch.

    `bulk_create` spends most of a large import compiling SQL and preparing each value of each
    object; here the statement is built once, defaults are prepared once, and only the values a
    row sets are converted (and only for the types that need it).
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = list(model._meta.concrete_fields)
        self.position = {f.attname: index for index, f in enumerate(self.fields)}
        now = clock.now()
        self.convert: list[Callable[[Any], Any] | None] = []
        self.defaults: list[Any] = []
        for model_field in self.fields:
            plain = model_field.get_internal_type() in _PLAIN_TYPES
            self.convert.append(None if plain else self._converter(model_field))
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                default = now
            elif model_field.has_default() or not model_field.null:
                default = model_field.get_default()
            else:
                default = None
            prepared = model_field.get_db_prep_save(default, connection)
            self.defaults.append(prepared)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608

    @staticmethod
    def _converter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
        def convert(value: Any) -> Any:
            return model_field.get_db_prep_save(value, connection)

        return convert

    def insert(self, rows: list[dict[str, Any]]) -> None:
        prepared = []
        for values in rows:
            row = list(self.defaults)
            for name, value in values.items():
                index = self.position[name]
                convert = self.convert[index]
                row[index] = value if convert is None or value is None else convert(value)
            prepared.append(row)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, to insert rows with before they exist.

    PostgreSQL hands them out from the table's sequence. SQLite takes them after the largest id
    ever used (the table's AUTOINCREMENT counter or its largest row): the import's transaction
    holds SQLite's one write lock, so nobody else can take them meanwhile.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [int(row[0]) for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        top = int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            top = max(top, int(found[0]) if found else 0)
    return list(range(top + 1, top + 1 + count))
