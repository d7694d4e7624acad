"""Demo teams, features, stories with six months of done history, risks and dependencies."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from headway.planning import backlog, ranking, services
from headway.planning.models import (
    AcceptanceCriterion,
    Dependency,
    Feature,
    FeatureKind,
    FeatureStatus,
    PriorityFormula,
    Requirement,
    Risk,
    Scorecard,
    ScorecardRating,
    Story,
    StoryStatus,
    Team,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo

# title, kind, status, initiative, release, points, (reach, impact, confidence, effort)
FEATURES = [
    (
        "Ask questions in plain English",
        "customer_feature",
        "in_progress",
        "Natural-language questions",
        "2.4",
        21,
        (4000, 3, 0.8, 5),
    ),
    (
        "Suggested follow-up questions",
        "enhancement",
        "planned",
        "Natural-language questions",
        "3.0",
        8,
        (2500, 1, 0.8, 2),
    ),
    (
        "Guided first dashboard",
        "customer_feature",
        "done",
        "Onboarding that teaches by doing",
        "2.3",
        13,
        (3000, 2, 1.0, 3),
    ),
    (
        "Sample data sets for new workspaces",
        "enhancement",
        "done",
        "Onboarding that teaches by doing",
        "2.3",
        5,
        (3000, 1, 0.8, 1),
    ),
    (
        "Single sign-on with SAML",
        "customer_feature",
        "in_progress",
        "Enterprise-grade security",
        "2.4",
        13,
        (800, 3, 0.8, 3),
    ),
    (
        "Row-level security",
        "customer_feature",
        "planned",
        "Enterprise-grade security",
        "3.0",
        21,
        (600, 3, 0.5, 6),
    ),
    (
        "Audit log export",
        "enhancement",
        "planned",
        "Enterprise-grade security",
        "2.4",
        5,
        (500, 2, 0.8, 1),
    ),
    (
        "Embed dashboards in customer apps",
        "customer_feature",
        "planned",
        "Embedded analytics",
        "3.0",
        21,
        (900, 2, 0.5, 5),
    ),
    (
        "Columnar cache for the query engine",
        "technical_enabler",
        "in_progress",
        "Query engine modernisation",
        "2.4",
        13,
        (4000, 1, 0.8, 4),
    ),
    (
        "Retire the legacy v1 query API",
        "tech_debt",
        "planned",
        "Query engine modernisation",
        "3.0",
        8,
        (200, 0.5, 1.0, 2),
    ),
    (
        "Spike: vector search for question matching",
        "research_spike",
        "idea",
        "Natural-language questions",
        None,
        3,
        (2500, 0.5, 0.5, 0.5),
    ),
    (
        "Upgrade to PostgreSQL 17",
        "tech_debt",
        "idea",
        "Query engine modernisation",
        None,
        5,
        (100, 0.25, 1.0, 1),
    ),
]

DEPENDS = [
    ("Suggested follow-up questions", "Ask questions in plain English"),
    ("Row-level security", "Single sign-on with SAML"),
    ("Embed dashboards in customer apps", "Row-level security"),
    ("Ask questions in plain English", "Columnar cache for the query engine"),
    ("Retire the legacy v1 query API", "Columnar cache for the query engine"),
]


def populate(demo: Demo) -> None:
    rng = random.Random(20261125)  # noqa: S311 - demo data, not security
    product = demo.product
    teams = {
        "Insights": Team.objects.create(product=product, name="Insights", capacity_per_week=12),
        "Platform": Team.objects.create(product=product, name="Platform", capacity_per_week=10),
    }
    initiatives = demo.objects["initiatives"]
    releases = demo.objects["releases"]
    features: dict[str, Feature] = {}
    keys = ranking.keys_for(len(FEATURES))
    for position, (title, kind, status, theme, release, points, rice) in enumerate(FEATURES):
        reach, impact, confidence, effort = rice
        team = teams["Platform" if kind in {"technical_enabler", "tech_debt"} else "Insights"]
        fib = (1, 2, 3, 5, 8, 13, 20)
        feature = Feature(
            product=product,
            title=title,
            kind=FeatureKind(kind),
            status=FeatureStatus(status),
            initiative=initiatives[theme],
            release=releases.get(release) if release else None,
            team=team,
            owner=demo.users["tom" if team.name == "Platform" else "maya"],
            points=points,
            estimate_optimistic=round(points * 0.6, 1),
            estimate_likely=points,
            estimate_pessimistic=points * 2,
            rice_reach=reach,
            rice_impact=impact,
            rice_confidence=confidence,
            rice_effort=effort,
            # Every framework gets inputs, so each ordering and both matrices have something
            # to show; the numbers vary with the feature but are fixed by the seed.
            ice_impact=rng.randint(3, 10),
            ice_confidence=rng.randint(3, 9),
            ice_ease=rng.randint(2, 9),
            wsjf_business_value=rng.choice(fib),
            wsjf_time_criticality=rng.choice(fib[:5]),
            wsjf_risk_reduction=rng.choice(fib[:4]),
            wsjf_job_size=min(fib, key=lambda n: abs(n - points)),
            value=rng.randint(2, 10),
            effort=min(10, max(1, round(points / 2))),
            risk=rng.randint(1, 9),
            urgent=position % 3 == 0,
            important=position % 4 != 3,
            moscow=("must", "should", "could", "wont")[position % 4],
            kano=("must_be", "performance", "attractive", "indifferent")[position % 4],
            rank=keys[position],
            release_note=f"{title}." if status == "done" else "",
        )
        for column, score in services._scores(feature).items():
            setattr(feature, column, score)
        if status == "done":
            feature.done_at = dt.datetime.combine(
                demo.today - dt.timedelta(weeks=6), dt.time(12), tzinfo=dt.UTC
            )
        feature.save()
        features[title] = feature
    for title, depends_on in DEPENDS:
        Dependency.objects.create(feature=features[title], depends_on=features[depends_on])
    Risk.objects.bulk_create(
        [
            Risk(
                feature=features["Ask questions in plain English"],
                title="Answers are wrong for ambiguous questions",
                probability=4,
                impact=4,
                mitigation="Show the generated query; ask a clarifying question.",
            ),
            Risk(
                feature=features["Single sign-on with SAML"],
                title="Customer IdPs vary more than the spec suggests",
                probability=3,
                impact=3,
                mitigation="Test against the three most common IdPs first.",
            ),
            Risk(
                feature=features["Columnar cache for the query engine"],
                title="Cache invalidation bugs show stale numbers",
                probability=2,
                impact=5,
                mitigation="Version every cache entry by source freshness.",
            ),
        ]
    )
    # Six months of done stories: the throughput history the forecasts learn from.
    now = dt.datetime.combine(demo.today, dt.time(12), tzinfo=dt.UTC)
    stories = []
    feature_list = list(features.values())
    for week in range(26, 0, -1):
        for n in range(rng.choice([2, 3, 3, 4, 4, 5, 6])):
            feature = feature_list[(week * 7 + n) % len(feature_list)]
            done = now - dt.timedelta(weeks=week, days=rng.randint(0, 4), hours=rng.randint(0, 6))
            stories.append(
                Story(
                    feature=feature,
                    title=f"Slice {week}.{n + 1} of {feature.title.lower()}",
                    as_a="analyst",
                    i_want=f"slice {week}.{n + 1} of {feature.title.lower()}",
                    so_that="the feature ships in small steps",
                    points=rng.choice([1, 2, 3, 5]),
                    status=StoryStatus.DONE,
                    done_at=done,
                    created=done - dt.timedelta(days=10),
                )
            )
    for feature in feature_list:
        if feature.status in {"planned", "in_progress"}:
            for n in range(3):
                stories.append(
                    Story(
                        feature=feature,
                        title=f"{feature.title}: part {n + 1}",
                        as_a="manager",
                        i_want=f"part {n + 1} of {feature.title.lower()}",
                        so_that="I can answer my own questions",
                        points=rng.choice([2, 3, 5]),
                        status=StoryStatus.TODO,
                        position=n,
                    )
                )
    Story.objects.bulk_create(stories)
    story = Story.objects.filter(
        feature=features["Ask questions in plain English"], status=StoryStatus.TODO
    ).first()
    if story is not None:
        AcceptanceCriterion.objects.bulk_create(
            [
                AcceptanceCriterion(
                    story=story,
                    given="a connected sales database",
                    when="I ask 'revenue by region last quarter'",
                    then="I see a bar chart and the query behind it",
                    position=0,
                ),
                AcceptanceCriterion(
                    story=story,
                    given="an ambiguous question",
                    when="I ask it",
                    then="Headway asks me which metric I mean",
                    position=1,
                ),
            ]
        )
    for story in Story.objects.filter(
        feature__in=[features["Single sign-on with SAML"], features["Row-level security"]],
        status=StoryStatus.TODO,
    )[:3]:
        AcceptanceCriterion.objects.create(
            story=story,
            given="a user of a customer's identity provider",
            when="they sign in",
            then="they land in their workspace with the role the provider grants",
        )
    Requirement.objects.bulk_create(
        [
            Requirement(
                feature=features["Ask questions in plain English"],
                category="performance",
                text="An answer appears within 3 seconds for 95 % of questions.",
            ),
            Requirement(
                feature=features["Single sign-on with SAML"],
                category="security",
                text="Signed assertions only; clock skew of at most 2 minutes.",
            ),
            Requirement(
                feature=features["Embed dashboards in customer apps"],
                category="accessibility",
                text="Embedded dashboards meet WCAG 2.2 AA.",
            ),
        ]
    )
    card = Scorecard.objects.create(
        product=product,
        name="Strategic fit",
        criteria=[
            {"name": "strategy", "weight": 3, "low": 1, "high": 10},
            {"name": "demand", "weight": 2, "low": 1, "high": 10},
            {"name": "confidence", "weight": 1, "low": 1, "high": 10},
        ],
    )
    ScorecardRating.objects.bulk_create(
        [
            ScorecardRating(
                scorecard=card,
                feature=feature,
                ratings={
                    "strategy": rng.randint(2, 10),
                    "demand": rng.randint(2, 10),
                    "confidence": rng.randint(3, 9),
                },
            )
            for feature in features.values()
        ]
    )
    backlog.rescore(card)
    PriorityFormula.objects.create(
        product=product,
        name="RICE plus demand",
        expression="(reach * impact * confidence) / effort + 2 * votes",
    )
    demo.objects["features"] = features
    demo.objects["teams"] = teams
