"""Demo roadmaps (one of each kind, with real items) and a technology radar with history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from headway.planning.models import Feature
from headway.roadmaps.models import (
    BlipMove,
    ItemKind,
    LaneBy,
    Layer,
    RadarBlip,
    Roadmap,
    RoadmapItem,
    RoadmapKind,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo

# Features with dates of their own (days from today): work under way has a plan. The others take
# their release's date, or wait in now / next / later.
FEATURE_DATES = {
    "Ask questions in plain English": (-40, 30),
    "Columnar cache for the query engine": (-75, -12),
    "Single sign-on with SAML": (-50, -5),  # past its end and not done: at risk
    "Audit log export": (10, 32),
    "Row-level security": (36, 95),
}

# name, quadrant, ring now, [(days ago, ring)] earlier history, rationale
BLIPS = [
    (
        "Trunk-based development",
        "techniques",
        "adopt",
        [(400, "trial")],
        "Small merges keep releases calm.",
    ),
    ("Feature flags for every launch", "techniques", "adopt", [], "Decouples deploy from release."),
    (
        "Contract tests for the public API",
        "techniques",
        "trial",
        [(70, "assess")],
        "Catches breaking changes before customers do.",
    ),
    (
        "LLM-generated SQL",
        "techniques",
        "assess",
        [],
        "Promising for plain-English questions; accuracy still unproven.",
    ),
    ("PostgreSQL", "platforms", "adopt", [], "Our system of record."),
    (
        "DuckDB",
        "platforms",
        "trial",
        [(20, "assess")],
        "Columnar cache candidate: fast, embeddable.",
    ),
    (
        "Kubernetes for the query workers",
        "platforms",
        "assess",
        [],
        "Only if autoscaling needs outgrow VMs.",
    ),
    (
        "Self-hosted Hadoop cluster",
        "platforms",
        "hold",
        [(300, "trial")],
        "Too costly to run for our size.",
    ),
    (
        "Playwright",
        "tools",
        "adopt",
        [(60, "trial")],
        "Reliable browser tests with the system Chromium.",
    ),
    ("OpenTelemetry", "tools", "trial", [], "One way to trace queries end to end."),
    ("Jenkins", "tools", "hold", [(40, "adopt")], "Moving CI to simpler runners."),
    (
        "Python 3.13",
        "languages_frameworks",
        "adopt",
        [(45, "trial")],
        "Faster and typed; our baseline.",
    ),
    ("htmx", "languages_frameworks", "adopt", [], "Server-rendered pages that stay fast."),
    (
        "Rust for the query kernel",
        "languages_frameworks",
        "assess",
        [],
        "Only for the hottest loop, if profiling says so.",
    ),
    (
        "AngularJS",
        "languages_frameworks",
        "hold",
        [(700, "adopt")],
        "End of life; retire the legacy admin.",
    ),
]

#: Blips that joined the radar lately (days ago), so "what moved" has new arrivals.
RECENT = {"LLM-generated SQL": 25, "OpenTelemetry": 40}


def populate(demo: Demo) -> None:
    product, today = demo.product, demo.today
    features: dict[str, Feature] = demo.objects["features"]
    for title, (start, end) in FEATURE_DATES.items():
        Feature.objects.filter(pk=features[title].pk).update(
            start_date=today + dt.timedelta(days=start), end_date=today + dt.timedelta(days=end)
        )
    initiatives = demo.objects["initiatives"]
    timeline = Roadmap.objects.create(
        product=product,
        name="Product roadmap",
        description="What we are building this year, by initiative.",
        kind=RoadmapKind.TIMELINE,
        lane_by=LaneBy.INITIATIVE,
        public=True,
    )
    RoadmapItem.objects.bulk_create(
        [
            RoadmapItem(
                roadmap=timeline,
                kind=ItemKind.MILESTONE,
                title="Analytics Summit keynote",
                initiative=initiatives["Natural-language questions"],
                start_date=today + dt.timedelta(days=55),
                position=0,
            ),
            RoadmapItem(
                roadmap=timeline,
                kind=ItemKind.MILESTONE,
                title="SOC 2 audit",
                initiative=initiatives["Enterprise-grade security"],
                start_date=today + dt.timedelta(days=100),
                position=1,
                note="Auditor booked; the fee is in the Q3 budget.",
            ),
        ]
    )
    Roadmap.objects.create(
        product=product,
        name="Now / next / later",
        description="The outcome view for customers and sales: no dates, just order.",
        kind=RoadmapKind.NOW_NEXT_LATER,
        lane_by=LaneBy.GOAL,
        statuses="idea,planned,in_progress",
    )
    technology = Roadmap.objects.create(
        product=product,
        name="Technology roadmap",
        description="From market needs down to the skills we must hire.",
        kind=RoadmapKind.TECHNOLOGY,
        lane_by=LaneBy.LAYER,
        statuses="",
    )
    rows = RoadmapItem.objects.bulk_create(
        [
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.TECHNOLOGY,
                layer=Layer.MARKET,
                title="Mid-market buyers expect SSO",
                start_date=today - dt.timedelta(days=60),
                end_date=today + dt.timedelta(days=150),
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.FEATURE,
                layer=Layer.CAPABILITY,
                feature=features["Ask questions in plain English"],
            ),
            RoadmapItem(
                roadmap=technology,
                kind=ItemKind.FEATURE,
                layer=Layer.CAPABILITY,
                feature=features["Single sign-on with SAML"],
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
                layer=Layer.INFRASTRUCTURE,
                title="Query workers on autoscaling VMs",
                start_date=today + dt.timedelta(days=20),
                end_date=today + dt.timedelta(days=110),
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
    for position, row in enumerate(rows):
        row.position = position
    RoadmapItem.objects.bulk_update(rows, ["position"])
    by_title = {(row.feature.title if row.feature else row.title): row for row in rows}
    _radar(demo, by_title)


def _radar(demo: Demo, items: dict[str, RoadmapItem]) -> None:
    now = dt.datetime.combine(demo.today, dt.time(9), tzinfo=dt.UTC)
    owner = demo.users["tom"]
    for name, quadrant, ring, history, rationale in BLIPS:
        blip = RadarBlip.objects.create(
            product=demo.product,
            name=name,
            quadrant=quadrant,
            ring=ring,
            rationale=rationale,
            owner=owner,
        )
        # history: (days ago it moved on, the ring it left), oldest first.
        joined = history[0][0] + 60 if history else RECENT.get(name, 365)
        first = history[0][1] if history else ring
        moves = [
            BlipMove(
                blip=blip, from_ring="", to_ring=first, at=now - dt.timedelta(days=joined), by=owner
            )
        ]
        for index, (days, left) in enumerate(history):
            entered = history[index + 1][1] if index + 1 < len(history) else ring
            moves.append(
                BlipMove(
                    blip=blip,
                    from_ring=left,
                    to_ring=entered,
                    at=now - dt.timedelta(days=days),
                    by=owner,
                )
            )
        BlipMove.objects.bulk_create(moves)
    links = {
        "DuckDB": "Columnar cache for the query engine",
        "LLM-generated SQL": "Ask questions in plain English",
        "Contract tests for the public API": "v1 query API deprecated",
    }
    for blip_name, item_title in links.items():
        RadarBlip.objects.get(product=demo.product, name=blip_name).roadmap_items.add(
            items[item_title]
        )
