from __future__ import annotations

from datetime import datetime
from typing import Literal

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


# --- Personas -------------------------------------------------------------------------------------

TEXT = 20_000


class PersonaIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=TEXT)
    goals: str = Field("", max_length=TEXT, description="What this persona wants to achieve.")
    pains: str = Field("", max_length=TEXT, description="What gets in their way today.")


class PersonaPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=TEXT)
    goals: str | None = Field(None, max_length=TEXT)
    pains: str | None = Field(None, max_length=TEXT)


class PersonaOut(Schema):
    id: int
    product: int
    name: str
    description: str
    goals: str
    pains: str
    version: int
    created: datetime
    updated: datetime


class PersonaList(Schema):
    items: list[PersonaOut]
    count: int


# --- Competitors ----------------------------------------------------------------------------------


class CompetitorIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    url: str = Field("", max_length=200, description="The competitor's web site (http or https).")
    positioning: str = Field("", max_length=TEXT)
    strengths: str = Field("", max_length=TEXT)
    weaknesses: str = Field("", max_length=TEXT)
    pricing_notes: str = Field("", max_length=TEXT)


class CompetitorPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    url: str | None = Field(None, max_length=200)
    positioning: str | None = Field(None, max_length=TEXT)
    strengths: str | None = Field(None, max_length=TEXT)
    weaknesses: str | None = Field(None, max_length=TEXT)
    pricing_notes: str | None = Field(None, max_length=TEXT)


class CompetitorOut(Schema):
    id: int
    product: int
    name: str
    url: str
    positioning: str
    strengths: str
    weaknesses: str
    pricing_notes: str
    version: int
    created: datetime
    updated: datetime


class CompetitorList(Schema):
    items: list[CompetitorOut]
    count: int


# --- Capability matrix ----------------------------------------------------------------------------

LevelName = Literal["none", "partial", "full", "leader"]


class CapabilityIn(Schema):
    name: str = Field(min_length=1, max_length=160)
    position: int | None = Field(None, ge=0, le=1_000_000, description="Row order; default last.")


class CapabilityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=160)
    position: int | None = Field(None, ge=0, le=1_000_000)


class CellOut(Schema):
    capability: int
    competitor: int | None = Field(description="The competitor's id; null is our own product.")
    level: LevelName


class CapabilityOut(Schema):
    id: int
    product: int
    name: str
    position: int
    levels: list[CellOut] = Field(description="One cell per column, in the columns' order.")
    version: int
    created: datetime
    updated: datetime


class ColumnOut(Schema):
    key: str = Field(description="`us` for our product, else the competitor's id.")
    competitor: int | None
    name: str


class MatrixOut(Schema):
    columns: list[ColumnOut]
    items: list[CapabilityOut]
    count: int


class LevelIn(Schema):
    level: LevelName
