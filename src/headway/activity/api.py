"""Comments, watching, history (for every registered kind), notifications, feed and audit log."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.activity import audit, digest, feed, notify, registry, services
from headway.activity.models import Comment, Notification
from headway.activity.registry import Kind
from headway.activity.schemas import (
    AuditFilters,
    AuditList,
    CommentIn,
    CommentList,
    CommentPatch,
    CommentWritten,
    FeedList,
    HistoryList,
    NotificationList,
    ReadIn,
    ReadOut,
    SettingsOut,
    SettingsPatch,
    WatchOut,
)
from headway.api.errors import ProblemError, invalid
from headway.api.pagination import Page, paginate
from headway.products.models import Product

router = Router(tags=["activity"])


def comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "body": comment.body,
        "body_html": comment.body_html,
        "author": comment.author.username if comment.author else None,
        "created": comment.created,
        "edited": comment.edited,
        "deleted": comment.deleted is not None,
        "parent": comment.parent_id,
    }


def written_out(written: services.Written) -> dict[str, Any]:
    return {
        **comment_out(written.comment),
        "mentions": written.mentioned,
        "unknown_mentions": written.unknown_mentions,
    }


def item_of(request: HttpRequest, kind: Kind, item_id: int, role: str = Role.VIEWER) -> Any:
    """One item of `kind` in the user's workspaces (404 outside them, 403 below `role`)."""
    return access_of(request).get(kind.model._default_manager.all(), role, pk=item_id)


def kind_of_comment(comment: Comment) -> Kind:
    model = ContentType.objects.get_for_id(comment.content_type_id).model_class()
    kind = registry.kind_of(model) if model else None
    if kind is None:
        raise ProblemError(404, "The item this comment was on no longer exists.")
    return kind


# --- Routes for every kind: /{kind}/{id}/comments, /watch, /history -------------------------------


def _comment_routes(kind: Kind) -> None:
    def list_comments(
        request: HttpRequest, item_id: int, page: Query[Page], q: str | None = None
    ) -> dict[str, Any]:
        obj = item_of(request, kind, item_id)
        queryset = services.comments_on(obj)
        if q and q.strip("\x00"):
            queryset = queryset.filter(body__icontains=q.replace("\x00", ""))
        result = paginate(queryset, page)
        result["items"] = [comment_out(c) for c in result["items"]]
        return result

    def post_comment(
        request: HttpRequest, item_id: int, payload: CommentIn
    ) -> Status[dict[str, Any]]:
        obj = item_of(request, kind, item_id, Role.CONTRIBUTOR)
        written = services.post_comment(
            request.user,  # type: ignore[arg-type]
            kind,
            obj,
            payload.body,
            payload.parent,
        )
        return Status(201, written_out(written))

    list_comments.__doc__ = f"The comments on a {kind.label}, oldest first (`q` searches them)."
    post_comment.__doc__ = (
        f"Comment on a {kind.label} (contributors); `@username` notifies a member, "
        "`parent` replies in a thread."
    )
    path = f"/{kind.name}/{{item_id}}/comments"
    router.add_api_operation(
        path,
        ["GET"],
        list_comments,
        response=CommentList,
        summary=f"List comments on a {kind.label}",
        operation_id=f"list_{kind.name}_comments",
    )
    router.add_api_operation(
        path,
        ["POST"],
        post_comment,
        response={201: CommentWritten},
        summary=f"Comment on a {kind.label}",
        operation_id=f"post_{kind.name}_comment",
    )


def _watch_and_history_routes(kind: Kind) -> None:
    def watch(request: HttpRequest, item_id: int) -> dict[str, Any]:
        obj = item_of(request, kind, item_id)
        notify.watch([request.user.pk], obj)
        return notify.watch_state(request.user.pk, obj)  # type: ignore[arg-type]

    def unwatch(request: HttpRequest, item_id: int) -> dict[str, Any]:
        obj = item_of(request, kind, item_id)
        notify.unwatch(request.user.pk, obj)  # type: ignore[arg-type]
        return notify.watch_state(request.user.pk, obj)  # type: ignore[arg-type]

    def history(request: HttpRequest, item_id: int, page: Query[Page]) -> dict[str, Any]:
        obj = item_of(request, kind, item_id)
        result = paginate(audit.history(obj), page)
        result["items"] = [history_out(event) for event in result["items"]]
        return result

    watch.__doc__ = f"Watch a {kind.label}: be notified of comments and status changes."
    unwatch.__doc__ = f"Stop watching a {kind.label}."
    history.__doc__ = f"Who changed what in a {kind.label}, and when, newest first."
    router.add_api_operation(
        f"/{kind.name}/{{item_id}}/watch",
        ["POST"],
        watch,
        response=WatchOut,
        summary=f"Watch a {kind.label}",
        operation_id=f"watch_{kind.name}",
    )
    router.add_api_operation(
        f"/{kind.name}/{{item_id}}/watch",
        ["DELETE"],
        unwatch,
        response=WatchOut,
        summary=f"Stop watching a {kind.label}",
        operation_id=f"unwatch_{kind.name}",
    )
    router.add_api_operation(
        f"/{kind.name}/{{item_id}}/history",
        ["GET"],
        history,
        response=HistoryList,
        summary=f"History of a {kind.label}",
        operation_id=f"{kind.name}_history",
    )


def history_out(event: Any) -> dict[str, Any]:
    return {
        "at": event.at,
        "user": event.user.username if event.user else None,
        "action": event.action,
        "changes": event.changes,
    }


for _kind in registry.KINDS.values():
    if _kind.commentable:
        _comment_routes(_kind)
    _watch_and_history_routes(_kind)


# --- One comment ----------------------------------------------------------------------------------


def comment_of(request: HttpRequest, comment_id: int) -> Comment:
    return access_of(request).get(
        Comment.objects.select_related("author", "parent"), Role.CONTRIBUTOR, pk=comment_id
    )


@router.patch("/comments/{comment_id}", response=CommentWritten, summary="Edit a comment")
def edit_comment(request: HttpRequest, comment_id: int, payload: CommentPatch) -> dict[str, Any]:
    """Change your comment's text, within 15 minutes of posting it (later: 409)."""
    comment = comment_of(request, comment_id)
    try:
        written = services.edit_comment(
            request.user,  # type: ignore[arg-type]
            kind_of_comment(comment),
            comment,
            payload.body,
        )
    except services.Conflict as error:
        raise ProblemError(409, str(error)) from None
    return written_out(written)


@router.delete("/comments/{comment_id}", response={204: None}, summary="Delete a comment")
def delete_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    """Delete a comment (its author or an admin); one with replies keeps its place, emptied."""
    comment = comment_of(request, comment_id)
    services.delete_comment(access_of(request), request.user, comment)  # type: ignore[arg-type]
    return Status(204, None)


# --- Notifications --------------------------------------------------------------------------------


def inbox(request: HttpRequest) -> models.QuerySet[Notification]:
    return services.inbox(access_of(request))


def notification_out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "verb": notification.verb,
        "actor": notification.actor.username if notification.actor else None,
        "target": notification.target,
        "sentence": digest.describe(notification),
        "detail": notification.detail,
        "url": notification.url,
        "created": notification.created,
        "read": notification.read is not None,
    }


@router.get("/notifications", response=NotificationList, summary="List your notifications")
def list_notifications(
    request: HttpRequest, page: Query[Page], unread: bool = False
) -> dict[str, Any]:
    """Your notifications, newest first, with the number unread (`unread=true` for those only)."""
    queryset = inbox(request).select_related("actor", "content_type")
    if unread:
        queryset = queryset.filter(read__isnull=True)
    result = paginate(queryset, page)
    result["items"] = [notification_out(n) for n in result["items"]]
    result["unread"] = inbox(request).filter(read__isnull=True).count()
    return result


@router.post("/notifications/read", response=ReadOut, summary="Mark notifications read")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark some of your notifications (`ids`) or all of them (`all: true`) read."""
    if not payload.ids and not payload.all:
        raise invalid("ids", "Name the notifications to mark read, or send all: true.")
    marked = services.mark_read(access_of(request), payload.ids, every=payload.all)
    return {"marked": marked, "unread": inbox(request).filter(read__isnull=True).count()}


@router.get("/notifications/settings", response=SettingsOut, summary="Your notification settings")
def get_settings(request: HttpRequest) -> Any:
    """Whether notifications come by email, and how long they wait to be batched."""
    return digest.settings_of(request.user)  # type: ignore[arg-type]


@router.patch(
    "/notifications/settings", response=SettingsOut, summary="Change notification settings"
)
def patch_settings(request: HttpRequest, payload: SettingsPatch) -> Any:
    """Turn email on or off, or change the digest interval (minutes: 0, 5, 15, 60 or 1440)."""
    prefs = digest.settings_of(request.user)  # type: ignore[arg-type]
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    for name, value in values.items():
        setattr(prefs, name, value)
    if values:
        prefs.save(update_fields=list(values))
    return prefs


# --- Product activity and the workspace audit log -------------------------------------------------


@router.get("/products/{product_id}/activity", response=FeedList, summary="Product activity")
def product_activity(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """What changed in a product, newest first, each change as a sentence."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    result = paginate(feed.product_events(product.pk), page)
    result["items"] = [feed.item(event) for event in result["items"]]
    return result


@router.get("/workspaces/{workspace_id}/audit", response=AuditList, summary="Workspace audit log")
def workspace_audit(
    request: HttpRequest, workspace_id: int, page: Query[Page], filters: Query[AuditFilters]
) -> dict[str, Any]:
    """Every recorded change in the workspace (admins), filtered by user, type and dates."""
    access_of(request).require(workspace_id, Role.ADMIN)
    if filters.since and filters.until and filters.since > filters.until:
        raise invalid("until", "The end date must be on or after the start date.")
    if filters.type and not re.fullmatch(r"[a-z_]+\.[a-z_]+", filters.type):
        raise invalid("type", "Name a type as app.model, for example planning.feature.")
    events = audit.workspace_log(
        workspace_id,
        username=(filters.user or "").replace("\x00", "") or None,
        model=filters.type,
        since=filters.since,
        until=filters.until,
    )
    result = paginate(events, page)
    result["items"] = [audit_out(event) for event in result["items"]]
    return result


def audit_out(event: Any) -> dict[str, Any]:
    return {
        **history_out(event),
        "id": event.pk,
        "type": f"{event.content_type.app_label}.{event.content_type.model}",
        "object_id": event.object_id,
        "object": event.object_repr,
    }
