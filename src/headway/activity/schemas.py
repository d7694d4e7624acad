from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from headway.activity.models import DigestInterval
from headway.api.pagination import Id


class CommentIn(Schema):
    body: str = Field(description="Markdown; @username mentions a workspace member.")
    parent: int | None = Field(None, description="The comment this one replies to.")


class CommentPatch(Schema):
    body: str


class CommentOut(Schema):
    id: int
    body: str
    body_html: str
    author: str | None
    created: datetime
    edited: datetime | None
    deleted: bool
    parent: int | None


class CommentWritten(CommentOut):
    mentions: list[str] = Field(description="Members mentioned (and notified).")
    unknown_mentions: list[str] = Field(
        description="@names that are not members of the workspace: nobody was notified."
    )


class CommentList(Schema):
    items: list[CommentOut]
    count: int


class WatchOut(Schema):
    watching: bool
    watchers: int


class HistoryItem(Schema):
    at: datetime
    user: str | None
    action: str
    changes: dict[str, list[Any]]


class HistoryList(Schema):
    items: list[HistoryItem]
    count: int


class AuditItem(HistoryItem):
    id: int
    type: str = Field(description="app_label.model of the record.")
    object_id: int
    object: str


class AuditList(Schema):
    items: list[AuditItem]
    count: int


class NotificationOut(Schema):
    id: int
    verb: str
    actor: str | None
    target: str
    sentence: str
    detail: str
    url: str
    created: datetime
    read: bool


class NotificationList(Schema):
    items: list[NotificationOut]
    count: int
    unread: int


class ReadIn(Schema):
    ids: list[Id] = Field(default_factory=list, max_length=500)
    all: bool = Field(False, description="Mark every notification read.")


class ReadOut(Schema):
    marked: int
    unread: int


class SettingsOut(Schema):
    email: bool
    digest_minutes: DigestInterval


class SettingsPatch(Schema):
    email: bool | None = None
    digest_minutes: DigestInterval | None = None


class FeedItem(Schema):
    at: datetime
    user: str | None
    action: str
    type: str
    object_id: int
    title: str
    sentence: str
    url: str


class FeedList(Schema):
    items: list[FeedItem]
    count: int


class AuditFilters(Schema):
    user: str | None = Field(None, description="Username.")
    type: str | None = Field(None, description="app_label.model, e.g. planning.feature.")
    since: date | None = None
    until: date | None = None
