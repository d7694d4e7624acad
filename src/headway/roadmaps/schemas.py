from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

RoadmapKindName = Literal["timeline", "now_next_later", "technology"]
LaneName = Literal["goal", "initiative", "component", "team", "kind", "layer"]
StatusName = Literal["idea", "planned", "in_progress", "done", "cancelled"]
ItemKindName = Literal[
    "feature", "initiative", "milestone", "end_of_life", "deprecation", "technology"
]
LayerName = Literal["market", "capability", "platform", "infrastructure", "tech_debt", "resources"]
BucketName = Literal["now", "next", "later"]
QuadrantName = Literal["techniques", "platforms", "tools", "languages_frameworks"]
RingName = Literal["adopt", "trial", "assess", "hold"]


class RoadmapIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: RoadmapKindName = "timeline"
    lane_by: LaneName | None = Field(
        None, description="Default: initiative; technology roadmaps always use layer."
    )
    description: str = Field("", max_length=20_000)
    public: bool = False
    statuses: list[StatusName] | None = Field(
        None,
        description="Feature statuses shown without adding them as items "
        "(default planned and in_progress; none on technology roadmaps).",
    )
    initiative: int | None = Field(None, description="Show only this initiative's features.")
    release: int | None = Field(None, description="Show only this release's features.")


class RoadmapPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: RoadmapKindName | None = None
    lane_by: LaneName | None = None
    description: str | None = Field(None, max_length=20_000)
    public: bool | None = None
    statuses: list[StatusName] | None = None
    initiative: int | None = None
    release: int | None = None


class RoadmapOut(Schema):
    id: int
    product: int
    name: str
    kind: str
    lane_by: str
    description: str
    public: bool
    statuses: list[str]
    initiative: int | None
    release: int | None
    item_count: int
    version: int
    created: datetime
    updated: datetime


class RoadmapList(Schema):
    items: list[RoadmapOut]
    count: int


class RoadmapItemIn(Schema):
    kind: ItemKindName = "feature"
    feature: int | None = Field(None, description="The feature of a feature item.")
    initiative: int | None = Field(
        None, description="The initiative of an initiative item (or a marker's lane)."
    )
    title: str = Field("", max_length=200, description="Markers only.")
    layer: LayerName | None = Field(None, description="Technology roadmaps.")
    bucket: BucketName | None = Field(None, description="Now / next / later when undated.")
    start_date: date | None = Field(None, description="Markers only.")
    end_date: date | None = Field(None, description="Markers only.")
    note: str = Field("", max_length=20_000, description="Internal; never shared.")
    position: int | None = Field(None, ge=0)


class RoadmapItemPatch(Schema):
    kind: ItemKindName | None = None
    feature: int | None = None
    initiative: int | None = None
    title: str | None = Field(None, max_length=200)
    layer: LayerName | None = None
    bucket: BucketName | None = None
    start_date: date | None = None
    end_date: date | None = None
    note: str | None = Field(None, max_length=20_000)
    position: int | None = Field(None, ge=0)


class RoadmapItemOut(Schema):
    id: int
    roadmap: int
    key: str
    kind: str
    feature: int | None
    initiative: int | None
    title: str
    layer: str
    bucket: str
    start_date: date | None
    end_date: date | None
    note: str
    position: int
    version: int


class EntryOut(Schema):
    key: str = Field(description="The item's id on the drawing: feature-N or item-N.")
    id: int | None = Field(description="The roadmap item, or null for a feature shown by status.")
    kind: str
    feature: int | None
    initiative: int | None
    title: str
    lane: str
    lane_title: str
    start: date | None
    end: date | None
    dates_from: str | None = Field(description="own, release, schedule, forecast or null.")
    expected_end: date | None
    at_risk: bool
    bucket: str | None
    status: str
    depends_on: list[str]


class EntryList(Schema):
    items: list[EntryOut]
    count: int


class MoveIn(Schema):
    start: date
    end: date | None = Field(None, description="Default: keep the item's length.")


class MovedOut(Schema):
    key: str
    title: str
    start_before: date | None
    end_before: date | None
    start: date
    end: date
    days: int | None


class MoveOut(Schema):
    moved: MovedOut
    dependants: list[MovedOut]


class SnapshotIn(Schema):
    name: str = Field(min_length=1, max_length=120)


class SnapshotOut(Schema):
    id: int
    roadmap: int
    name: str
    created: datetime
    item_count: int


class SnapshotList(Schema):
    items: list[SnapshotOut]
    count: int


class ShareIn(Schema):
    expires: datetime | None = Field(None, description="When the link stops working.")


class ShareOut(Schema):
    id: int
    url: str = Field(description="Shown once: only a hash of the token is kept.")
    expires: datetime | None
    created: datetime


class ShareLinkOut(Schema):
    id: int
    created: datetime
    expires: datetime | None
    revoked: datetime | None
    live: bool
    created_by: str | None


class ShareLinkList(Schema):
    items: list[ShareLinkOut]
    count: int


class BlipIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    quadrant: QuadrantName
    ring: RingName
    rationale: str = Field("", max_length=20_000)
    owner: str | None = Field(None, description="Username of a workspace member.")
    roadmap_items: list[int] = Field(default_factory=list, description="Roadmap item ids.")


class BlipPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    quadrant: QuadrantName | None = None
    ring: RingName | None = None
    rationale: str | None = Field(None, max_length=20_000)
    owner: str | None = None
    roadmap_items: list[int] | None = None


class BlipMoveOut(Schema):
    at: datetime
    from_ring: str | None
    to_ring: str
    by: str | None


class BlipOut(Schema):
    id: int
    product: int
    name: str
    quadrant: str
    ring: str
    rationale: str
    owner: str | None
    roadmap_items: list[int]
    history: list[BlipMoveOut]
    version: int
    created: datetime
    updated: datetime


class BlipList(Schema):
    items: list[BlipOut]
    count: int


class BlipMovementOut(Schema):
    id: int
    name: str
    quadrant: str
    from_ring: str | None
    to_ring: str
    movement: str = Field(description="new, in (towards adopt) or out (towards hold).")


class BlipMovementList(Schema):
    since: date
    items: list[BlipMovementOut]
    count: int
