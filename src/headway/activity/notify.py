"""Who hears about what: watchers, notifications, and the record_changed listener.

Notifications are written in the same transaction as the change that caused them; the email
digest is scheduled only once that transaction commits (`digest.schedule`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from headway.accounts.access import workspace_id_of
from headway.accounts.models import Function, Membership, User
from headway.activity import registry
from headway.activity.models import Comment, Notification, Watch
from headway.activity.registry import Kind

#: Functions told when a feature their customers asked for is done.
CUSTOMER_FACING = (Function.SALES, Function.SUPPORT)


# --- Watching -------------------------------------------------------------------------------------


def watch(user_ids: Iterable[int | None], obj: models.Model) -> None:
    """Make users watch `obj` (already watching is fine)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    rows = [
        Watch(user_id=user_id, content_type=content_type, object_id=obj.pk)
        for user_id in dict.fromkeys(user_ids)
        if user_id is not None
    ]
    if rows:
        Watch.objects.bulk_create(rows, ignore_conflicts=True)


def unwatch(user_id: int, obj: models.Model) -> None:
    Watch.objects.filter(
        user_id=user_id,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
    ).delete()


def watch_state(user_id: int, obj: models.Model) -> dict[str, Any]:
    """Whether `user_id` watches `obj`, and how many people do (one query)."""
    watchers = list(
        Watch.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).values_list("user_id", flat=True)
    )
    return {"watching": user_id in watchers, "watchers": len(watchers)}


def watcher_ids(obj: models.Model, workspace_id: int) -> list[int]:
    """The active members of the workspace who watch `obj`."""
    return list(
        Watch.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            user__is_active=True,
            user__memberships__workspace_id=workspace_id,
        ).values_list("user_id", flat=True)
    )


# --- Notifications --------------------------------------------------------------------------------


def notify(
    user_ids: Iterable[int],
    *,
    verb: str,
    actor: Any,
    obj: models.Model,
    kind: Kind,
    workspace_id: int,
    detail: str = "",
) -> list[Notification]:
    """Tell each user (never the actor) about `verb` on `obj`; the emails follow after commit."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    recipients = [uid for uid in dict.fromkeys(user_ids) if uid != actor_id]
    if not recipients:
        return []
    content_type = ContentType.objects.get_for_model(type(obj))
    target, url = str(obj)[:200], registry.item_url(kind, obj.pk)
    created = Notification.objects.bulk_create(
        [
            Notification(
                user_id=uid,
                workspace_id=workspace_id,
                actor_id=actor_id,
                verb=verb,
                content_type=content_type,
                object_id=obj.pk,
                target=target,
                detail=detail[:300],
                url=url,
            )
            for uid in recipients
        ]
    )
    from headway.activity import digest  # the digest imports this module's sentences

    # Robust: a mail server that is down must not turn a saved comment into an error page;
    # the digest stays due and `headway digests` (or the next notification) sends it later.
    transaction.on_commit(lambda: digest.schedule(recipients), robust=True)
    return created


def excerpt(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Listening to every write ---------------------------------------------------------------------


def on_record_changed(
    sender: type[models.Model],
    *,
    instance: models.Model,
    user: Any,
    action: str,
    changes: dict[str, list[Any]],
    **_: Any,
) -> None:
    """Auto-watch, status notifications, and clean-up of comments when an item goes away."""
    if action == "delete":
        forget(instance)
        return
    kind = registry.kind_of(sender)
    if kind is None:
        return
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    people = [getattr(instance, f"{name}_id", None) for name in kind.people_fields]
    if action == "create":
        watch([user_id, *people], instance)
        return
    moved_people = [
        getattr(instance, f"{name}_id", None)
        for name in kind.people_fields
        if name in changes or f"{name}_id" in changes
    ]
    if moved_people:
        watch(moved_people, instance)
    if "status" in changes:
        status_changed(kind, instance, user, changes["status"])


def status_changed(kind: Kind, instance: models.Model, user: Any, change: list[Any]) -> None:
    """Tell the watchers; when a feature is done, tell sales and support whose customers asked."""
    workspace_id = workspace_id_of(instance)
    if workspace_id is None:
        return
    field = instance._meta.get_field("status")
    labels = {str(value): str(label) for value, label in getattr(field, "choices", None) or []}
    old, new = (labels.get(str(v), str(v)) for v in change)
    told: set[int] = set()
    if kind.name == "features" and change[1] == "done":
        customers = customers_who_asked(instance)
        if customers:
            sellers = list(
                Membership.objects.filter(
                    workspace_id=workspace_id, function__in=CUSTOMER_FACING, user__is_active=True
                ).values_list("user_id", flat=True)
            )
            notify(
                sellers,
                verb="shipped",
                actor=user,
                obj=instance,
                kind=kind,
                workspace_id=workspace_id,
                detail=f"Asked for by {', '.join(customers[:8])}"
                + (f" and {len(customers) - 8} more" if len(customers) > 8 else ""),
            )
            told.update(sellers)
    watchers = [uid for uid in watcher_ids(instance, workspace_id) if uid not in told]
    notify(
        watchers,
        verb="status",
        actor=user,
        obj=instance,
        kind=kind,
        workspace_id=workspace_id,
        detail=f"{old} → {new}",
    )


def customers_who_asked(feature: models.Model) -> list[str]:
    """Companies (or names) of customers whose feedback or votes back the feature or its ideas."""
    from headway.discovery.models import Customer

    customers = (
        Customer.objects.filter(
            models.Q(feedback__links__feature=feature)
            | models.Q(feedback__links__idea__feature=feature)
            | models.Q(votes__idea__feature=feature)
        )
        .distinct()
        .order_by("company", "name")
    )
    names = [customer.company or customer.name for customer in customers]
    return list(dict.fromkeys(names))


def forget(instance: models.Model) -> None:
    """Drop the comments and watches of `instance` and of every item under it (it is going)."""
    for kind in registry.KINDS.values():
        content_type = ContentType.objects.get_for_model(kind.model)
        if kind.model is type(instance):
            ids: Any = [instance.pk]
        else:
            path = registry.path_between(kind.model, type(instance))
            if path is None:
                continue
            ids = kind.model._default_manager.filter(**{path: instance.pk}).values("pk")
        Comment.objects.filter(content_type=content_type, object_id__in=ids).delete()
        Watch.objects.filter(content_type=content_type, object_id__in=ids).delete()


def mentionable(workspace_id: int, names: Iterable[str]) -> dict[str, User]:
    """The active members of the workspace among `names` (case-insensitive), by lower-case name."""
    wanted = {name.lower() for name in names}
    if not wanted:
        return {}
    query = models.Q()
    for name in list(wanted)[:50]:
        query |= models.Q(username__iexact=name)
    members = User.objects.filter(
        query, is_active=True, memberships__workspace_id=workspace_id
    ).only("id", "username")
    return {member.username.lower(): member for member in members}
