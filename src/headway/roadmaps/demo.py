"""Demo roadmaps: one of each kind."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from headway.roadmaps.models import (
    ItemKind,
    LaneBy,
    Layer,
    Roadmap,
    RoadmapItem,
    RoadmapKind,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo


def populate(demo: Demo) -> None:
    product, today = demo.product, demo.today
    Roadmap.objects.create(
        product=product,
        name="Product roadmap 2027",
        kind=RoadmapKind.TIMELINE,
        lane_by=LaneBy.INITIATIVE,
        public=True,
    )
    Roadmap.objects.create(
        product=product,
        name="Now / next / later",
        kind=RoadmapKind.NOW_NEXT_LATER,
        lane_by=LaneBy.GOAL,
    )
    technology = Roadmap.objects.create(
        product=product,
        name="Technology roadmap",
        kind=RoadmapKind.TECHNOLOGY,
        lane_by=LaneBy.LAYER,
    )
    features = demo.objects["features"]
    RoadmapItem.objects.bulk_create(
        [
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.FEATURE,
                layer=Layer.CAPABILITY,
                feature=features["Ask questions in plain English"],
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.FEATURE,
                layer=Layer.PLATFORM,
                feature=features["Columnar cache for the query engine"],
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.FEATURE,
                layer=Layer.TECH_DEBT,
                feature=features["Retire the legacy v1 query API"],
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.DEPRECATION,
                layer=Layer.PLATFORM,
                title="v1 query API deprecated",
                start_date=today + dt.timedelta(days=60),
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.END_OF_LIFE,
                layer=Layer.PLATFORM,
                title="v1 query API end of life",
                start_date=today + dt.timedelta(days=200),
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.MILESTONE,
                layer=Layer.INFRASTRUCTURE,
                title="PostgreSQL 17 everywhere",
                start_date=today + dt.timedelta(days=150),
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.TECHNOLOGY,
                layer=Layer.RESOURCES,
                title="Hire two data engineers",
                start_date=today + dt.timedelta(days=14),
                end_date=today + dt.timedelta(days=120),
            ),
        ]
    )
