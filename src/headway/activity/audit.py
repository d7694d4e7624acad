"""Writes the audit history from `record_changed`, the one signal every domain write sends."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from headway.accounts.access import workspace_id_of
from headway.activity.models import AuditEvent


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
    AuditEvent.objects.create(
        workspace_id=workspace_id_of(instance),
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(sender),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        changes=changes,
    )


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk
    ).select_related("user")
