from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

TEXT = 20_000


class KeyResultIn(Schema):
    # Finite numbers only (allow_inf_nan=False): NaN or infinity would make progress meaningless.
    name: str = Field(min_length=1, max_length=200, description="The metric, e.g. 'Win rate'.")
    unit: str = Field("", max_length=40, description="e.g. %, users, days, USD.")
    baseline: float | None = Field(None, allow_inf_nan=False, description="Where it started.")
    target: float | None = Field(
        None, allow_inf_nan=False, description="Where it should get to (may be below baseline)."
    )
    current: float | None = Field(None, allow_inf_nan=False, description="Where it is now.")
    due: date | None = None


class KeyResultPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, max_length=40)
    baseline: float | None = Field(None, allow_inf_nan=False)
    target: float | None = Field(None, allow_inf_nan=False)
    current: float | None = Field(None, allow_inf_nan=False)
    due: date | None = None


class KeyResultOut(Schema):
    id: int
    goal: int
    name: str
    unit: str
    baseline: float | None
    target: float | None
    current: float | None
    due: date | None
    progress: float | None = Field(
        description="(current − baseline) / (target − baseline), in %, clamped to 0–100; "
        "null while baseline, target or current is missing."
    )
    version: int
    created: datetime
    updated: datetime


class KeyResultList(Schema):
    items: list[KeyResultOut]
    count: int


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=TEXT)
    due: date | None = None
    owner: str | None = Field(None, description="Username of a workspace member.")
    position: int | None = Field(None, ge=0, le=1_000_000, description="Order; default last.")
    key_results: list[KeyResultIn] = Field(default_factory=list, max_length=50)


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=TEXT)
    due: date | None = None
    owner: str | None = None
    position: int | None = Field(None, ge=0, le=1_000_000)


class InitiativeRef(Schema):
    id: int
    title: str


class GoalOut(Schema):
    id: int
    product: int
    title: str
    description: str
    due: date | None
    owner: str | None
    position: int
    progress: float | None = Field(description="Mean progress of the measurable key results.")
    key_results: list[KeyResultOut]
    initiatives: list[InitiativeRef]
    version: int
    created: datetime
    updated: datetime


class GoalList(Schema):
    items: list[GoalOut]
    count: int


class InitiativeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=TEXT)
    goal: int | None = Field(None, description="A goal of the same product.")
    capacity_points: int | None = Field(None, ge=0, le=1_000_000)
    start_date: date | None = None
    end_date: date | None = None


class InitiativePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=TEXT)
    goal: int | None = None
    capacity_points: int | None = Field(None, ge=0, le=1_000_000)
    start_date: date | None = None
    end_date: date | None = None


class InitiativeOut(Schema):
    id: int
    product: int
    goal: int | None
    title: str
    description: str
    capacity_points: int | None
    start_date: date | None
    end_date: date | None
    points: float = Field(description="Points of its features, cancelled ones left out.")
    feature_count: int
    over_capacity: bool
    version: int
    created: datetime
    updated: datetime


class InitiativeList(Schema):
    items: list[InitiativeOut]
    count: int


class FindingOut(Schema):
    rule: str
    level: Literal["error", "warning"]
    message: str
    link: str = Field(description="The page where the mistake is fixed.")
    subject: str
    subject_id: int


class LintOut(Schema):
    items: list[FindingOut]
    count: int
    errors: int
    warnings: int
