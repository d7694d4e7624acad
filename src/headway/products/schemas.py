from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ProductIn(Schema):
    workspace: int
    name: str = Field(min_length=1, max_length=120)
    vision: str = Field("", max_length=20_000)
    north_star_metric: str = Field("", max_length=200)
    portal_enabled: bool = False
    business_pm: str | None = Field(None, description="Username of a workspace member.")
    technical_pm: str | None = Field(None, description="Username of a workspace member.")


class ProductPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    vision: str | None = Field(None, max_length=20_000)
    north_star_metric: str | None = Field(None, max_length=200)
    portal_enabled: bool | None = None
    business_pm: str | None = None
    technical_pm: str | None = None


class ProductOut(Schema):
    id: int
    workspace: int
    name: str
    slug: str
    vision: str
    north_star_metric: str
    portal_enabled: bool
    business_pm: str | None
    technical_pm: str | None
    version: int
    created: datetime
    updated: datetime


class ProductList(Schema):
    items: list[ProductOut]
    count: int
