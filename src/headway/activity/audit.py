"""Writes the audit history from `record_changed`, the one signal every domain write sends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from headway.accounts.access import workspace_id_of, workspace_path
from headway.activity.models import AuditEvent
from headway.products.models import Product


def product_id_of(instance: models.Model) -> int | None:
    """The product a record belongs to, following its workspace path (None above products)."""
    if isinstance(instance, Product):
        return instance.pk
    parent = getattr(instance, "audit_parent", None)
    if parent is not None:
        return product_id_of(parent)
    if not hasattr(type(instance), "WORKSPACE_PATH"):
        return None
    parts = workspace_path(type(instance)).split("__")
    if "product" not in parts:
        return None
    value: Any = instance
    for part in parts[: parts.index("product")]:
        value = getattr(value, part, None)
        if value is None:
            return None
    product_id = getattr(value, "product_id", None)
    return int(product_id) if product_id is not None else None


def record(
    sender: type[models.Model],
    *,
    instance: models.Model,
    user: Any,
    action: str,
    changes: dict[str, list[Any]],
    **_: Any,
) -> None:
    """Store one audit event for a create, update or delete of a workspace record."""
    if not hasattr(sender, "WORKSPACE_PATH"):
        return
    described = getattr(instance, "audit_repr", None)
    AuditEvent.objects.create(
        workspace_id=workspace_id_of(instance),
        product_id=product_id_of(instance),
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(sender),
        object_id=instance.pk,
        object_repr=str(described if described is not None else instance)[:200],
        changes=changes,
    )


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
    ).select_related("user", "content_type")


def workspace_log(
    workspace_id: int,
    *,
    username: str | None = None,
    model: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> models.QuerySet[AuditEvent]:
    """A workspace's audit events, newest first, filtered by who, what type and which days.

    `model` is "app_label.model" (as `ContentType.natural_key` joins it); days are inclusive, UTC.
    """
    events = AuditEvent.objects.filter(workspace_id=workspace_id).select_related(
        "user", "content_type"
    )
    if username:
        events = events.filter(user__username=username)
    if model:
        app_label, _, name = model.partition(".")
        events = events.filter(content_type__app_label=app_label, content_type__model=name)
    if since:
        events = events.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        events = events.filter(at__lt=end)
    return events
