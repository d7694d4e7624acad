from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Status = Literal["planned", "in_progress", "released", "cancelled"]
FunctionName = Literal["engineering", "qa", "docs", "marketing", "sales_enablement", "support"]


class ReleaseIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    target_date: date | None = None
    status: Status = "planned"
    description: str = Field("", max_length=20_000)
    capacity_points: int | None = Field(None, ge=0, le=1_000_000)


class ReleasePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    target_date: date | None = None
    status: Status | None = None
    description: str | None = Field(None, max_length=20_000)
    capacity_points: int | None = Field(None, ge=0, le=1_000_000)


class ReadinessOut(Schema):
    id: int
    function: str
    title: str
    done: bool
    done_by: str | None
    done_at: datetime | None


class ReleaseOut(Schema):
    id: int
    product: int
    name: str
    description: str
    target_date: date | None
    status: str
    released_at: datetime | None
    capacity_points: int | None
    readiness_done: int
    readiness_total: int
    scope: dict[str, Any]
    version: int
    created: datetime
    updated: datetime


class ReleaseDetail(ReleaseOut):
    readiness: list[dict[str, Any]]


class ReleaseList(Schema):
    items: list[ReleaseOut]
    count: int


class TickIn(Schema):
    done: bool


class TemplateIn(Schema):
    function: FunctionName
    title: str = Field(min_length=1, max_length=200)
    position: int = Field(0, ge=0, le=10_000)


class TemplateOut(Schema):
    id: int
    function: str
    title: str
    position: int


class TemplateList(Schema):
    items: list[TemplateOut]
    count: int


class ThroughputWeekIn(Schema):
    week_start: date
    count: int = Field(ge=0, le=1_000_000)


class ThroughputIn(Schema):
    unit: Literal["stories", "features"] = "stories"
    weeks: list[ThroughputWeekIn] | None = Field(None, max_length=2_600)
    csv: str | None = Field(None, max_length=200_000, description="Lines of week_start,count.")


class WhenIn(Schema):
    remaining: int
    throughput: list[int] = Field(max_length=2_600)
    start_date: date | None = None
    trials: int = 10_000
    seed: int | None = None
    target_date: date | None = None
    window: int | None = 26
    scope_growth: float | list[int] | None = None
    calendar: dict[int, float] | None = None
    method: str = "calibrated"


class HowManyIn(Schema):
    throughput: list[int] = Field(max_length=2_600)
    weeks: int
    trials: int = 10_000
    seed: int | None = None
    window: int | None = 26
    calendar: dict[int, float] | None = None
    start_date: date | None = None
    method: str = "calibrated"


class ScenarioIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    changes: dict[str, Any] = Field(default_factory=dict)


class ScenarioPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    changes: dict[str, Any] | None = None


class ScenarioOut(Schema):
    id: int
    product: int
    name: str
    created_by: str | None
    changes: dict[str, Any]
    applied_at: datetime | None
    version: int
    created: datetime
    updated: datetime


class ScenarioList(Schema):
    items: list[ScenarioOut]
    count: int
