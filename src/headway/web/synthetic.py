"""Deterministic synthetic data at scale, for benchmarks (`headway generate`).

Everything is bulk-inserted in batches, so 10,000 features and 100,000 feedback items take well
under two minutes. The same seed gives the same rows; the text reads like real product feedback
so that search and similarity are measured on something realistic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from headway.accounts.models import Membership, Role, User, Workspace
from headway.core import clock
from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    FeedbackState,
    Idea,
    IdeaStatus,
    Importance,
    Source,
    Vote,
)
from headway.planning.backlog import rescore
from headway.planning.models import (
    Dependency,
    Feature,
    FeatureKind,
    FeatureStatus,
    PriorityFormula,
    Risk,
    Scorecard,
    ScorecardRating,
    Story,
    StoryStatus,
    Team,
)
from headway.products.models import Component, Product
from headway.releases.models import Release, ReleaseStatus
from headway.roadmaps.models import LaneBy, Roadmap, RoadmapKind
from headway.strategy.models import Goal, Initiative, KeyResult

BATCH = 2_000
#: Categories, blank (not yet decided) included, as teams leave many.
MOSCOW = ["", "", "must", "should", "should", "could", "wont"]
KANO = ["", "", "must_be", "performance", "performance", "attractive", "indifferent"]
CRITERIA = [
    {"name": "Strategic fit", "weight": 3, "low": 1, "high": 10},
    {"name": "Customer demand", "weight": 2, "low": 1, "high": 10},
    {"name": "Revenue", "weight": 2, "low": 1, "high": 10},
    {"name": "Confidence", "weight": 1, "low": 1, "high": 10},
]
ROADMAP_FEATURES = 1_250

AREAS = [
    "dashboards",
    "alerts",
    "exports",
    "permissions",
    "billing",
    "search",
    "onboarding",
    "reports",
    "integrations",
    "mobile app",
    "API",
    "single sign-on",
    "audit log",
    "notifications",
    "data connectors",
    "scheduling",
    "sharing",
    "comments",
    "charts",
    "filters",
]
VERBS = [
    "export",
    "filter",
    "share",
    "schedule",
    "embed",
    "compare",
    "annotate",
    "archive",
    "sync",
    "customise",
    "bulk edit",
    "duplicate",
    "forecast",
    "tag",
    "approve",
]
OBJECTS = [
    "reports",
    "dashboards",
    "invoices",
    "user groups",
    "saved views",
    "alerts",
    "data sources",
    "charts",
    "projects",
    "templates",
    "workspaces",
    "comments",
]
PAINS = [
    "takes too many clicks",
    "times out on large accounts",
    "is missing for our region",
    "breaks when we have more than 500 rows",
    "is confusing for new hires",
    "does not respect our permissions",
    "forces us to export to Excel",
    "is slow every Monday morning",
    "loses the filters we set",
    "has no keyboard shortcuts",
]
WHO = [
    "Our finance team",
    "The sales managers",
    "Our admins",
    "Support agents",
    "The board",
    "Regional leads",
    "Our analysts",
    "New customers",
    "Our CFO",
    "Operations",
]
ASKS = [
    "Could you add a way to {verb} {obj} from {area}?",
    "We need to {verb} {obj}; today {area} {pain}.",
    "{who} want to {verb} {obj} directly in {area}.",
    "{area} {pain}. Please let us {verb} {obj} instead.",
    "When we {verb} {obj}, {area} {pain}.",
]
FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Emma",
    "Femi",
    "Gita",
    "Hugo",
    "Iris",
    "Jon",
    "Kai",
    "Lina",
    "Marco",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
]
LAST = [
    "Silva",
    "Okoro",
    "Nguyen",
    "Schmidt",
    "Rossi",
    "Khan",
    "Larsen",
    "Moreau",
    "Ito",
    "Novak",
    "Garcia",
    "Haddad",
    "Kowalski",
    "Brown",
    "Petrov",
]
COMPANIES = [
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Acme",
    "Soylent",
    "Tyrell",
    "Cyberdyne",
    "Vandelay",
    "Wonka",
    "Gringotts",
    "Oscorp",
]
SEGMENTS = ["startup", "mid-market", "enterprise", "public sector"]


@dataclass(frozen=True, slots=True)
class Generated:
    """What `generate` created, with counts for the report."""

    product: Product
    counts: dict[str, int]


def sentence(rng: random.Random) -> str:
    template = rng.choice(ASKS)
    return template.format(
        verb=rng.choice(VERBS),
        obj=rng.choice(OBJECTS),
        area=rng.choice(AREAS),
        pain=rng.choice(PAINS),
        who=rng.choice(WHO),
    ).capitalize()


def feature_title(rng: random.Random, n: int) -> str:
    return f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} in {rng.choice(AREAS)} #{n}"


def batched(model: type[models.Model], rows: Iterator[models.Model]) -> list[Any]:
    """bulk_create `rows` in batches; returns the created objects (with pks)."""
    created: list[Any] = []
    chunk: list[models.Model] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            created.extend(model._default_manager.bulk_create(chunk))
            chunk = []
    if chunk:
        created.extend(model._default_manager.bulk_create(chunk))
    return created


def _scorecard(rng: random.Random, product: Product, features: list[Feature]) -> int:
    """One scorecard, with ratings for four features in five."""
    card = Scorecard.objects.create(product=product, name="Product council", criteria=CRITERIA)
    batched(
        ScorecardRating,
        (
            ScorecardRating(
                scorecard=card,
                feature_id=feature.pk,
                ratings={c["name"]: rng.randint(1, 10) for c in CRITERIA},
            )
            for n, feature in enumerate(features)
            if n % 5
        ),
    )
    rescore(card)
    return 1


def generate(
    features: int,
    feedback: int,
    *,
    product_name: str = "Benchmark product",
    seed: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> Generated:
    """Create a workspace with one product holding `features` features and `feedback` feedback."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    now = clock.now()
    today = now.date()
    counts: dict[str, int] = {}
    with transaction.atomic():
        workspace = Workspace.objects.create(name=f"{product_name} workspace")
        user, _ = User.objects.get_or_create(username="bench", defaults={"email": "bench@x.test"})
        user.set_password("headway-bench")
        user.save()
        Membership.objects.create(user=user, workspace=workspace, role=Role.OWNER)
        product = Product.objects.create(
            workspace=workspace,
            name=product_name,
            vision="Synthetic product for benchmarks.",
            portal_enabled=True,
            business_pm=user,
            technical_pm=user,
        )
        goals = batched(
            Goal,
            (
                Goal(product=product, title=f"Goal {i}: grow {area}", position=i)
                for i, area in enumerate(AREAS[:10])
            ),
        )
        batched(
            KeyResult,
            (
                KeyResult(
                    goal=g,
                    name=f"{g.title} metric",
                    unit="%",
                    baseline=10,
                    target=40,
                    current=rng.uniform(10, 40),
                )
                for g in goals
            ),
        )
        initiatives = batched(
            Initiative,
            (
                Initiative(
                    product=product,
                    goal=goals[i % len(goals)],
                    title=f"Initiative {i}",
                    capacity_points=rng.choice([40, 80, 120]),
                )
                for i in range(40)
            ),
        )
        teams = batched(
            Team,
            (
                Team(
                    product=product, name=f"Team {i}", capacity_per_week=rng.choice([8, 10, 12, 15])
                )
                for i in range(5)
            ),
        )
        components = batched(Component, (Component(product=product, name=area) for area in AREAS))
        releases = batched(
            Release,
            (
                Release(
                    product=product,
                    name=f"{1 + i // 4}.{i % 4}",
                    target_date=today + dt.timedelta(weeks=4 * (i - 4)),
                    status=ReleaseStatus.RELEASED if i < 4 else ReleaseStatus.PLANNED,
                    capacity_points=rng.choice([60, 80, 100]),
                )
                for i in range(12)
            ),
        )
        progress("strategy, teams and releases")

        kinds = list(FeatureKind)
        statuses = [
            FeatureStatus.IDEA,
            FeatureStatus.PLANNED,
            FeatureStatus.PLANNED,
            FeatureStatus.IN_PROGRESS,
            FeatureStatus.DONE,
        ]

        def feature_rows() -> Iterator[Feature]:
            for n in range(features):
                reach = rng.randint(10, 5000)
                impact = rng.choice([3, 2, 1, 0.5, 0.25])
                confidence = rng.choice([1.0, 0.8, 0.5])
                effort = rng.choice([0.5, 1, 2, 3, 5, 8])
                points = rng.choice([1, 2, 3, 5, 8, 13, 21])
                yield Feature(
                    product=product,
                    title=feature_title(rng, n),
                    description=sentence(rng),
                    kind=rng.choice(kinds),
                    status=rng.choice(statuses),
                    initiative=initiatives[n % len(initiatives)],
                    # The first 1,250 features go to release 2.0: the benchmark roadmap
                    # shows that release, about 1,000 features once done ones are left out.
                    release=releases[4]
                    if n < ROADMAP_FEATURES
                    else (releases[n % len(releases)] if n % 3 else None),
                    team=teams[n % len(teams)],
                    points=points,
                    estimate_optimistic=points * 0.5,
                    estimate_likely=points,
                    estimate_pessimistic=points * 2,
                    rice_reach=reach,
                    rice_impact=impact,
                    rice_confidence=confidence,
                    rice_effort=effort,
                    rice_score=round(reach * impact * confidence / effort, 4),
                    ice_impact=rng.randint(1, 10),
                    ice_confidence=rng.randint(1, 10),
                    ice_ease=rng.randint(1, 10),
                    value=rng.randint(1, 10),
                    effort=rng.randint(1, 10),
                    risk=rng.randint(1, 10),
                    urgent=rng.random() < 0.3,
                    important=rng.random() < 0.5,
                    moscow=rng.choice(MOSCOW),
                    kano=rng.choice(KANO),
                    rank=f"a{n:07d}",
                    labels=[rng.choice(AREAS)],
                )

        feature_objs = batched(Feature, feature_rows())
        for f in feature_objs:
            f.ice_score = f.ice_impact * f.ice_confidence * f.ice_ease
            f.value_effort_score = round(f.value / f.effort, 4)
        Feature.objects.bulk_update(
            feature_objs, ["ice_score", "value_effort_score"], batch_size=BATCH
        )
        through = Feature.components.through
        batched(
            through,
            (
                through(feature_id=f.pk, component_id=components[i % len(components)].pk)
                for i, f in enumerate(feature_objs)
            ),
        )
        counts["features"] = len(feature_objs)
        counts["scorecards"] = _scorecard(rng, product, feature_objs)
        PriorityFormula.objects.create(
            product=product,
            name="Reach per effort, plus votes",
            expression="(reach * impact * confidence) / effort + 2 * votes",
        )
        progress(f"{len(feature_objs)} features")

        # Dependencies only point to earlier features, so the graph is acyclic by construction.
        def dependency_rows() -> Iterator[Dependency]:
            seen: set[tuple[int, int]] = set()
            for i in range(1, len(feature_objs)):
                for _ in range(rng.choice([0, 0, 1, 1, 2])):
                    j = rng.randrange(max(0, i - 200), i)
                    pair = (feature_objs[i].pk, feature_objs[j].pk)
                    if pair not in seen:
                        seen.add(pair)
                        yield Dependency(feature_id=pair[0], depends_on_id=pair[1])

        counts["dependencies"] = len(batched(Dependency, dependency_rows()))
        counts["risks"] = len(
            batched(
                Risk,
                (
                    Risk(
                        feature=f,
                        title=f"Risk in {f.title}",
                        probability=rng.randint(1, 5),
                        impact=rng.randint(1, 5),
                    )
                    for f in feature_objs[::7]
                ),
            )
        )

        def story_rows() -> Iterator[Story]:
            for f in feature_objs:
                for k in range(3):
                    done = f.status == FeatureStatus.DONE or (k == 0 and rng.random() < 0.3)
                    done_at = now - dt.timedelta(days=rng.randint(1, 364)) if done else None
                    yield Story(
                        feature=f,
                        title=f"Part {k + 1} of {f.title}",
                        as_a="user",
                        i_want=f"part {k + 1}",
                        so_that="it ships in steps",
                        points=rng.choice([1, 2, 3, 5]),
                        position=k,
                        status=StoryStatus.DONE if done else StoryStatus.TODO,
                        done_at=done_at,
                    )

        counts["stories"] = len(batched(Story, story_rows()))
        progress(f"{counts['stories']} stories")

        customers = batched(
            Customer,
            (
                Customer(
                    workspace=workspace,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    company=f"{rng.choice(COMPANIES)} {i}",
                    segment=rng.choice(SEGMENTS),
                    revenue=Decimal(rng.randint(5, 900) * 1000),
                    email=f"customer{i}@example.com",
                )
                for i in range(max(10, feedback // 100))
            ),
        )
        idea_count = max(10, features // 5)
        ideas = batched(
            Idea,
            (
                Idea(
                    product=product,
                    title=f"{sentence(rng)[:150]} ({i})",
                    description=sentence(rng),
                    status=rng.choice(
                        [IdeaStatus.NEW, IdeaStatus.UNDER_REVIEW, IdeaStatus.PLANNED]
                    ),
                    vote_count=0,
                )
                for i in range(idea_count)
            ),
        )
        votes: list[Vote] = []
        for idea in ideas:
            for customer in rng.sample(customers, k=min(len(customers), rng.randint(0, 6))):
                votes.append(Vote(idea=idea, customer=customer, proxy_by=user))
            idea.vote_count = sum(1 for v in votes[-6:] if v.idea is idea)
        batched(Vote, iter(votes))
        Idea.objects.bulk_update(ideas, ["vote_count"], batch_size=BATCH)
        counts["ideas"] = len(ideas)
        counts["votes"] = len(votes)
        progress(f"{len(ideas)} ideas, {len(votes)} votes")

        sources = list(Source)

        def feedback_rows() -> Iterator[Feedback]:
            for i in range(feedback):
                yield Feedback(
                    product=product,
                    text=f"{sentence(rng)} {sentence(rng)}",
                    source=rng.choice(sources),
                    customer=rng.choice(customers),
                    author=user,
                    created=now - dt.timedelta(minutes=7 * i),
                    state=FeedbackState.PROCESSED if i % 3 else FeedbackState.NEW,
                )

        feedback_objs = batched(Feedback, feedback_rows())
        counts["feedback"] = len(feedback_objs)
        counts["feedback_links"] = len(
            batched(
                FeedbackLink,
                (
                    FeedbackLink(
                        feedback=fb,
                        idea=ideas[i % len(ideas)],
                        importance=rng.choice(list(Importance)),
                    )
                    for i, fb in enumerate(feedback_objs[::4])
                ),
            )
        )
        progress(f"{len(feedback_objs)} feedback")
        for kind, lane_by in (
            (RoadmapKind.TIMELINE, LaneBy.INITIATIVE),
            (RoadmapKind.NOW_NEXT_LATER, LaneBy.GOAL),
            (RoadmapKind.TECHNOLOGY, LaneBy.LAYER),
        ):
            Roadmap.objects.create(
                product=product,
                name=f"{kind.label}",
                kind=kind,
                lane_by=lane_by,
                release=releases[4],
                statuses="idea,planned,in_progress",
            )
        counts["roadmaps"] = 3
    # Fresh statistics after a bulk load, as autovacuum would gather them in time: without them
    # PostgreSQL plans the first queries over 100,000 new rows as if the tables were empty. On
    # PostgreSQL also the visibility map autovacuum would set, without which a count over an
    # index still reads every row (VACUUM cannot run inside a transaction, as in tests).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return Generated(product=product, counts=counts)
