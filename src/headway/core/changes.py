"""Create, update and delete domain records in one place.

Every write of a domain record goes through these three functions so that each one is a single
transaction, bumps the record's version (its ETag) atomically, refuses a stale version, and
announces the change on `record_changed` — the activity app listens and writes the audit history.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any, cast

from django.db import models, transaction
from django.db.models import F
from django.dispatch import Signal

from headway.core.models import Versioned

#: Sent after a domain record is created, changed or deleted, inside the write's transaction.
#: Arguments: instance, user (or None), action ("create" | "update" | "delete"),
#: changes ({field: [old, new]}).
record_changed = Signal()


class StaleVersion(Exception):
    """The record changed since the version the writer saw (HTTP 412)."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("This record was changed by someone else since you loaded it.")
        self.current = current


def plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, for the audit history."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _attname(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    return getattr(field, "attname", name)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values (foreign keys as ids), JSON-friendly."""
    return {
        field.name: plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in {"id", "created", "updated", "version"}
    }


def create[M: models.Model](model: type[M], *, user: Any = None, **fields: Any) -> M:
    """Create a record in one transaction and announce it."""
    with transaction.atomic():
        instance = model(**fields)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        changes = {
            name: [None, value]
            for name, value in snapshot(instance).items()
            if value not in (None, "", [], {})
        }
        record_changed.send(
            type(instance), instance=instance, user=user, action="create", changes=changes
        )
    return instance


def update[M: models.Model](
    instance: M,
    changes: Mapping[str, Any],
    *,
    user: Any = None,
    expected_version: int | None = None,
) -> M:
    """Apply `changes` to `instance` in one transaction, refusing a stale `expected_version`.

    Fields that do not change are left alone; a call that changes nothing writes nothing.
    """
    diff: dict[str, list[Any]] = {}
    for name, new in changes.items():
        old = getattr(instance, _attname(instance, name))
        new_plain = new.pk if isinstance(new, models.Model) else new
        if old != new_plain:
            diff[name] = [plain(old), plain(new_plain)]
    versioned = isinstance(instance, Versioned)
    with transaction.atomic():
        if versioned and expected_version is not None:
            current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            if cast(Versioned, current).version != expected_version:
                raise StaleVersion(current)
        if not diff:
            return instance
        for name, new in changes.items():
            setattr(instance, name, new)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        values = {
            _attname(instance, name): getattr(instance, _attname(instance, name)) for name in diff
        }
        queryset = type(instance)._default_manager.filter(pk=instance.pk)
        if versioned:
            values["version"] = F("version") + 1
            updated = cast(models.Field[Any, Any], instance._meta.get_field("updated"))
            values["updated"] = updated.pre_save(instance, False)
        queryset.update(**values)
        if versioned:
            cast(Versioned, instance).version = queryset.values_list("version", flat=True).get()
        record_changed.send(
            type(instance), instance=instance, user=user, action="update", changes=diff
        )
    return instance


def delete(
    instance: models.Model, *, user: Any = None, expected_version: int | None = None
) -> None:
    """Delete a record in one transaction (refusing a stale version) and announce it."""
    with transaction.atomic():
        if isinstance(instance, Versioned) and expected_version is not None:
            current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            if current.version != expected_version:
                raise StaleVersion(current)
        record_changed.send(
            type(instance),
            instance=instance,
            user=user,
            action="delete",
            changes={
                name: [value, None]
                for name, value in snapshot(instance).items()
                if value not in (None, "")
            },
        )
        instance.delete()
