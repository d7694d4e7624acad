"""The activity feed of a product and the readable form of audit events, for pages and API."""

from __future__ import annotations

from typing import Any

from django.db import models

from headway.activity import registry, sentences
from headway.activity.models import AuditEvent


def product_events(product_id: int) -> models.QuerySet[AuditEvent]:
    """What changed in a product, newest first (indexed on product, time)."""
    return AuditEvent.objects.filter(product_id=product_id).select_related("user", "content_type")


def _labels(model: type[models.Model] | None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    if model is None:
        return {}, {}
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for field in model._meta.concrete_fields:
        labels[field.name] = str(field.verbose_name)
        if field.choices:
            choices[field.name] = {str(value): str(label) for value, label in field.flatchoices}
    return labels, choices


def change_of(event: AuditEvent) -> sentences.Change:
    """The sentence builder's view of an audit event."""
    model = event.content_type.model_class()
    labels, choices = _labels(model)
    return sentences.Change(
        actor=event.user.username if event.user else None,
        action=event.action,
        model=event.content_type.model,
        label=str(model._meta.verbose_name) if model else event.content_type.model,
        title=event.object_repr,
        changes=event.changes or {},
        field_labels=labels,
        choices=choices,
    )


def url_of(event: AuditEvent) -> str:
    """The page of the item an event is about, when it still has one."""
    if event.action == "delete":
        return ""
    model = event.content_type.model_class()
    kind = registry.kind_of(model) if model else None
    if kind is not None:
        return registry.item_url(kind, event.object_id)
    if event.content_type.model == "comment":
        # A comment's target is in its creation event; later events of it do not carry it.
        target = (event.changes or {}).get("content_type")
        object_id = (event.changes or {}).get("object_id")
        if target and object_id:
            from django.contrib.contenttypes.models import ContentType

            target_model = ContentType.objects.get_for_id(target[1]).model_class()
            target_kind = registry.kind_of(target_model) if target_model else None
            if target_kind is not None:
                return registry.item_url(target_kind, object_id[1])
    return ""


def item(event: AuditEvent) -> dict[str, Any]:
    """An event as the feed API shows it."""
    return {
        "at": event.at,
        "user": event.user.username if event.user else None,
        "action": event.action,
        "type": f"{event.content_type.app_label}.{event.content_type.model}",
        "object_id": event.object_id,
        "title": event.object_repr,
        "sentence": sentences.describe(change_of(event)),
        "url": url_of(event),
    }


def feed_event(event: AuditEvent) -> sentences.FeedEvent:
    model = event.content_type.model_class()
    meta = model._meta if model else None
    return sentences.FeedEvent(
        at=event.at,
        actor=event.user.username if event.user else None,
        action=event.action if event.content_type.model != "comment" else "comment",
        label=str(meta.verbose_name) if meta else event.content_type.model,
        plural=str(meta.verbose_name_plural) if meta else event.content_type.model,
        title=event.object_repr,
        sentence=sentences.describe(change_of(event)),
        url=url_of(event),
    )
