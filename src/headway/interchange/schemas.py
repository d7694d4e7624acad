from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from headway.interchange.models import WebhookEvent

EventName = Literal[
    "idea.created",
    "idea.status_changed",
    "feature.status_changed",
    "release.released",
    "feedback.created",
]
assert set(EventName.__args__) == set(WebhookEvent.values)  # type: ignore[attr-defined]


class ImportError_(Schema):
    line: int | None = Field(description="Line in the file (the header is line 1).")
    column: int | None = Field(description="Column (1-based), or null for the whole row.")
    message: str


class ImportOut(Schema):
    id: int
    product: int
    kind: str
    status: Literal["queued", "running", "done", "failed"]
    progress: float = Field(description="0–100 %.")
    file_name: str
    mapping: dict[str, Any]
    created: datetime
    started: datetime | None
    finished: datetime | None
    attempts: int
    counts: dict[str, Any]
    errors: list[ImportError_]
    error_count: int = Field(description="All problems found; `errors` lists the first 1,000.")
    notes: list[ImportError_] = Field(description="Remarks that are not errors.")
    created_by: str | None


class ImportList(Schema):
    items: list[ImportOut]
    count: int


class ImportCreated(Schema):
    id: int
    status: str
    url: str


class WebhookIn(Schema):
    url: str = Field(min_length=1, max_length=500, description="http:// or https:// only.")
    events: list[EventName] = Field(description="At least one event.")
    secret: str | None = Field(
        None, min_length=16, max_length=200, description="Generated when left out."
    )
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    id: int
    workspace: int
    url: str
    events: list[str]
    description: str
    active: bool
    secret_hint: str
    created: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown once: keep it to check signatures.")


class WebhookList(Schema):
    items: list[WebhookOut]
    count: int


class DeliveryOut(Schema):
    id: int
    webhook: int
    event: str
    status: Literal["pending", "delivered", "retrying", "failed"]
    attempts: int
    response_code: int | None
    response_body: str
    error: str
    duration_ms: int | None
    created: datetime
    last_attempt: datetime | None
    next_attempt: datetime | None
    delivered: datetime | None
    payload: dict[str, Any]


class DeliveryList(Schema):
    items: list[DeliveryOut]
    count: int


class ExportFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words searched in the text.")
    status: list[str] | None = Field(None, description="One or more statuses.")
    kind: str | None = Field(None, max_length=40, description="Features: only this kind.")
    source: str | None = Field(None, max_length=40, description="Feedback: only this source.")
    state: str | None = Field(None, max_length=40, description="Feedback: only this state.")
