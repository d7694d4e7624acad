"""Comments, mentions and watching: written once, called by the API and the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from headway.accounts.access import Access, workspace_id_of
from headway.accounts.models import Role, User
from headway.activity import notify
from headway.activity.models import Comment, Notification
from headway.activity.registry import Kind
from headway.core import changes, clock, markdown

MAX_BODY = 20_000
EDIT_WINDOW = dt.timedelta(minutes=15)


class Conflict(Exception):
    """The request is well-formed but the record's state refuses it (HTTP 409)."""


@dataclass
class Written:
    """A posted or edited comment, and what became of the `@names` in it."""

    comment: Comment
    mentioned: list[str] = field(default_factory=list)
    unknown_mentions: list[str] = field(default_factory=list)


def clean_body(body: str) -> str:
    """The comment text, refused when empty or longer than 20,000 characters."""
    if not body.strip():
        raise ValidationError({"body": ["Write something: a comment cannot be empty."]})
    if "\x00" in body:
        # PostgreSQL cannot store NUL; no keyboard types it, so it is refused rather than lost.
        raise ValidationError({"body": ["A comment cannot contain NUL (\\x00) characters."]})
    if len(body) > MAX_BODY:
        raise ValidationError(
            {"body": [f"A comment can be at most {MAX_BODY:,} characters; this has {len(body):,}."]}
        )
    return body.strip()


def comments_on(obj: models.Model) -> models.QuerySet[Comment]:
    """The comments on one item, oldest first, with their authors."""
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("author")


def thread(obj: models.Model) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments in order, each with its replies (one query)."""
    replies: dict[int, list[Comment]] = {}
    top: list[Comment] = []
    for comment in comments_on(obj):
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(comment, replies.get(comment.pk, [])) for comment in top]


def _render(workspace_id: int, body: str) -> tuple[str, dict[str, User], list[str]]:
    names = markdown.mentions(body)
    known = notify.mentionable(workspace_id, names)
    unknown = [name for name in names if name.lower() not in known]
    return markdown.render(body, known.keys()), known, unknown


def post_comment(
    user: User, kind: Kind, obj: models.Model, body: str, parent_id: int | None = None
) -> Written:
    """Comment on `obj` (the caller checked the role); mentions and watchers are notified.

    A reply to a reply joins the thread of the top comment: threads are one level deep.
    """
    body = clean_body(body)
    workspace_id = workspace_id_of(obj)
    assert workspace_id is not None
    parent = None
    if parent_id is not None:
        parent = comments_on(obj).filter(pk=parent_id).select_related("parent").first()
        if parent is None:
            raise ValidationError(
                {"parent": [f"There is no comment {parent_id} on this {kind.label}."]}
            )
        if parent.parent is not None:
            parent = parent.parent
    html, known, unknown = _render(workspace_id, body)
    with transaction.atomic():
        comment = changes.create(
            Comment,
            user=user,
            workspace_id=workspace_id,
            target=obj,
            parent=parent,
            author=user,
            body=body,
            body_html=html,
        )
        notify.watch([user.pk], obj)
        mentioned = [member.pk for member in known.values()]
        notify.notify(
            mentioned,
            verb="mentioned",
            actor=user,
            obj=obj,
            kind=kind,
            workspace_id=workspace_id,
            detail=notify.excerpt(body),
        )
        told = set(mentioned)
        if parent is not None and parent.author_id and parent.author_id not in told:
            notify.notify(
                [parent.author_id],
                verb="replied",
                actor=user,
                obj=obj,
                kind=kind,
                workspace_id=workspace_id,
                detail=notify.excerpt(body),
            )
            told.add(parent.author_id)
        notify.notify(
            [uid for uid in notify.watcher_ids(obj, workspace_id) if uid not in told],
            verb="commented",
            actor=user,
            obj=obj,
            kind=kind,
            workspace_id=workspace_id,
            detail=notify.excerpt(body),
        )
    return Written(comment, [m.username for m in known.values()], unknown)


def edit_comment(
    user: User, kind: Kind, comment: Comment, body: str, now: dt.datetime | None = None
) -> Written:
    """Change a comment's text: its author only, within the edit window; new mentions notified."""
    now = now or clock.now()
    if comment.author_id != user.pk:
        raise PermissionDenied("Only the author of a comment can edit it.")
    if comment.deleted is not None:
        raise Conflict("This comment was deleted; it cannot be edited.")
    if now - comment.created > EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise Conflict(
            f"Comments can be edited for {minutes} minutes after they are posted; "
            "this one is older. Post a new comment instead."
        )
    body = clean_body(body)
    html, known, unknown = _render(comment.workspace_id, body)
    before = {name.lower() for name in markdown.mentions(comment.body)}
    obj = comment.target
    with transaction.atomic():
        changes.update(comment, {"body": body, "body_html": html, "edited": now}, user=user)
        if obj is not None:
            notify.notify(
                [member.pk for name, member in known.items() if name not in before],
                verb="mentioned",
                actor=user,
                obj=obj,
                kind=kind,
                workspace_id=comment.workspace_id,
                detail=notify.excerpt(body),
            )
    return Written(comment, [m.username for m in known.values()], unknown)


def can_delete(access: Access, user: Any, comment: Comment) -> bool:
    """The author (still a contributor) or a workspace admin may delete a comment."""
    if comment.author_id == user.pk and access.can(comment.workspace_id, Role.CONTRIBUTOR):
        return True
    return access.can(comment.workspace_id, Role.ADMIN)


def delete_comment(access: Access, user: User, comment: Comment) -> None:
    """Delete a comment; one that has replies keeps its place in the thread, without its words."""
    if not can_delete(access, user, comment):
        raise PermissionDenied("Only the author of a comment or a workspace admin can delete it.")
    with transaction.atomic():
        if comment.replies.exists():
            if comment.deleted is None:
                changes.update(
                    comment, {"body": "", "body_html": "", "deleted": clock.now()}, user=user
                )
            return
        parent = comment.parent
        changes.delete(comment, user=user)
        if parent is not None and parent.deleted is not None and not parent.replies.exists():
            parent.delete()  # its words went earlier; with its last reply gone, so does its place


def can_edit(user: Any, comment: Comment, now: dt.datetime | None = None) -> bool:
    """Whether the edit form should be offered."""
    now = now or clock.now()
    return (
        comment.author_id == user.pk
        and comment.deleted is None
        and now - comment.created <= EDIT_WINDOW
    )


def inbox(access: Access) -> models.QuerySet[Notification]:
    """The user's notifications from workspaces they are still a member of, newest first."""
    return Notification.objects.filter(user_id=access.user.pk, workspace_id__in=list(access.roles))


def mark_read(access: Access, ids: list[int], *, every: bool = False) -> int:
    """Mark the user's notifications read (others' ids are ignored); the number marked."""
    unread = inbox(access).filter(read__isnull=True)
    if not every:
        unread = unread.filter(pk__in=ids)
    return unread.update(read=clock.now())
