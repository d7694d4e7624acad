"""Strategy operations shared by the API, the pages and the CLI; the strategy check's queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse

from headway.accounts.models import User
from headway.core import changes, clock
from headway.discovery.models import Idea, IdeaStatus
from headway.planning.models import Feature, FeatureStatus, Risk, RiskStatus
from headway.products.models import Product
from headway.products.services import place
from headway.releases.models import ReleaseStatus
from headway.roadmaps.models import ItemKind, RoadmapItem
from headway.strategy import checks
from headway.strategy.models import Goal, Initiative, KeyResult

#: Features in these states are finished: they count as done work, not as open work.
FINISHED = (FeatureStatus.DONE, FeatureStatus.CANCELLED)


# --- Goals and key results ------------------------------------------------------------------------


def goals(product: Product) -> QuerySet[Goal]:
    """The product's goals with owner, key results and initiatives, in three queries."""
    return (
        Goal.objects.filter(product=product)
        .select_related("owner")
        .prefetch_related("key_results", "initiatives")
    )


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    """`error` with every field renamed `prefix.field` (errors of nested key results)."""
    if not hasattr(error, "error_dict"):
        return ValidationError({prefix: error.messages})
    return ValidationError(
        {f"{prefix}.{field}": messages for field, messages in error.message_dict.items()}
    )


def create_goal(
    user: User | None,
    product: Product,
    *,
    key_results: Iterable[Mapping[str, Any]] = (),
    position: int | None = None,
    **values: Any,
) -> Goal:
    """Create a goal with its key results in one transaction: all of them, or nothing."""
    with transaction.atomic():
        position = place(Goal.objects.filter(product=product), position)
        goal = changes.create(Goal, user=user, product=product, position=position, **values)
        for index, kr in enumerate(key_results):
            try:
                add_key_result(user, goal, **kr)
            except ValidationError as error:
                raise _prefixed(error, f"key_results.{index}") from None
    return goal


def update_goal(
    user: User | None, goal: Goal, values: dict[str, Any], expected_version: int | None
) -> Goal:
    """Change a goal; a new `position` moves the goals at or below it one place down."""
    with transaction.atomic():
        if values.get("position") is not None and values["position"] != goal.position:
            siblings = Goal.objects.filter(product_id=goal.product_id).exclude(pk=goal.pk)
            values = {**values, "position": place(siblings, values["position"])}
        return changes.update(goal, values, user=user, expected_version=expected_version)


def add_key_result(user: User | None, goal: Goal, **values: Any) -> KeyResult:
    """Add a key result to `goal`; a target equal to its baseline is refused (on `target`)."""
    return changes.create(KeyResult, user=user, goal=goal, **values)


# --- Initiatives ----------------------------------------------------------------------------------


def initiatives(product: Product) -> QuerySet[Initiative]:
    """The product's initiatives with their planned points and feature counts (one query)."""
    not_cancelled = ~Q(features__status=FeatureStatus.CANCELLED)
    return (
        Initiative.objects.filter(product=product)
        .select_related("goal")
        .annotate(
            points=Sum("features__points", filter=not_cancelled, default=0),
            feature_count=Count("features", filter=not_cancelled, distinct=True),
            open_features=Count(
                "features", filter=~Q(features__status__in=FINISHED), distinct=True
            ),
        )
    )


def create_initiative(user: User | None, product: Product, **values: Any) -> Initiative:
    """Add an initiative; its goal, if any, must be one of the same product's."""
    return changes.create(Initiative, user=user, product=product, **values)


def is_over_capacity(initiative: Initiative) -> bool:
    """True when the features' points exceed the capacity (needs `initiatives()` annotations)."""
    capacity = initiative.capacity_points
    return capacity is not None and (initiative.points or 0) > capacity  # type: ignore[attr-defined]


# --- The strategy check ---------------------------------------------------------------------------


def goal_link(goal_id: int, product_id: int) -> str:
    return reverse("strategy:page", args=[product_id]) + f"#goal-{goal_id}"


# Pages of other capabilities, by their contract paths (DESIGN.md §3).
def feature_link(feature_id: int) -> str:
    return f"/features/{feature_id}/"


def idea_link(idea_id: int) -> str:
    return f"/ideas/{idea_id}/"


def release_link(release_id: int) -> str:
    return f"/releases/{release_id}/"


def roadmap_link(roadmap_id: int) -> str:
    return f"/roadmaps/{roadmap_id}/"


def strategy_facts(product: Product, now: dt.datetime | None = None) -> checks.Facts:
    """What the strategy check looks at, in seven queries whatever the product's size."""
    now = now or clock.now()
    today = now.date()
    pid = product.pk

    features = [
        checks.FeatureFact(
            id=row["id"],
            title=row["title"],
            link=feature_link(row["id"]),
            initiative_id=row["initiative_id"],
            goal_id=row["initiative__goal_id"],
            end_date=row["end_date"],
        )
        for row in Feature.objects.filter(product_id=pid)
        .exclude(status__in=FINISHED)
        .order_by("rank", "id")
        .values("id", "title", "initiative_id", "initiative__goal_id", "end_date")
    ]
    goal_rows = (
        Goal.objects.filter(product_id=pid)
        .annotate(
            initiative_count=Count("initiatives", distinct=True),
            feature_count=Count(
                "initiatives__features",
                filter=~Q(initiatives__features__status=FeatureStatus.CANCELLED),
                distinct=True,
            ),
        )
        .values("id", "title", "initiative_count", "feature_count")
    )
    goal_facts = [
        checks.GoalFact(
            id=row["id"],
            title=row["title"],
            link=goal_link(row["id"], pid),
            initiative_count=row["initiative_count"],
            feature_count=row["feature_count"],
        )
        for row in goal_rows
    ]
    key_results = [
        checks.KeyResultFact(
            id=row["id"],
            name=row["name"],
            goal_title=row["goal__title"],
            link=reverse("strategy:key-result-edit", args=[row["id"]]),
            baseline=row["baseline"],
            target=row["target"],
        )
        for row in KeyResult.objects.filter(goal__product_id=pid)
        .order_by("goal__position", "goal_id", "id")
        .values("id", "name", "goal__title", "baseline", "target")
    ]
    initiative_facts = [
        checks.InitiativeFact(
            id=initiative.pk,
            title=initiative.title,
            link=reverse("strategy:initiative-edit", args=[initiative.pk]),
            capacity_points=initiative.capacity_points,
            points=initiative.points or 0,  # type: ignore[attr-defined]
            end_date=initiative.end_date,
            open_features=initiative.open_features,  # type: ignore[attr-defined]
        )
        for initiative in initiatives(product)
    ]
    # Items that stand for work and whose own end date has passed; markers (milestones,
    # deprecations, end of life) are moments, not work, and items without a link carry no status.
    item_rows = (
        RoadmapItem.objects.filter(roadmap__product_id=pid, end_date__lt=today)
        .filter(Q(feature__isnull=False) | Q(initiative__isnull=False))
        .exclude(kind__in=[ItemKind.MILESTONE, ItemKind.DEPRECATION, ItemKind.END_OF_LIFE])
        .annotate(
            initiative_open=Count(
                "initiative__features",
                filter=~Q(initiative__features__status__in=FINISHED),
                distinct=True,
            )
        )
        .order_by("end_date", "id")
        .values(
            "id",
            "title",
            "end_date",
            "roadmap_id",
            "roadmap__name",
            "feature__title",
            "feature__status",
            "initiative__title",
            "initiative_open",
        )
    )
    roadmap_items = [
        checks.RoadmapItemFact(
            id=row["id"],
            title=row["title"] or row["feature__title"] or row["initiative__title"] or "",
            roadmap=row["roadmap__name"],
            link=roadmap_link(row["roadmap_id"]),
            end_date=row["end_date"],  # type: ignore[arg-type]  # filtered: never null
            done=(
                row["feature__status"] in FINISHED
                if row["feature__status"] is not None
                else row["initiative_open"] == 0
            ),
        )
        for row in item_rows
    ]
    idea_rows = (
        Idea.objects.filter(
            product_id=pid,
            status=IdeaStatus.NEW,
            status_changed__lte=now - dt.timedelta(days=checks.UNTRIAGED_DAYS),
        )
        .annotate(
            votes_n=Count("votes", distinct=True),
            feedback_n=Count("feedback_links", distinct=True),
        )
        .filter(
            Q(votes_n__gte=checks.HIGH_DEMAND_VOTES)
            | Q(feedback_n__gte=checks.HIGH_DEMAND_FEEDBACK)
        )
        .order_by("status_changed", "id")
        .values("id", "title", "status", "votes_n", "feedback_n", "status_changed")
    )
    ideas = [
        checks.IdeaFact(
            id=row["id"],
            title=row["title"],
            link=idea_link(row["id"]),
            status=row["status"],
            votes=row["votes_n"],
            feedback=row["feedback_n"],
            status_since=row["status_changed"],
        )
        for row in idea_rows
    ]
    risk_rows = (
        Risk.objects.filter(
            feature__product_id=pid,
            status=RiskStatus.OPEN,
            feature__release__status__in=[ReleaseStatus.PLANNED, ReleaseStatus.IN_PROGRESS],
        )
        .annotate(score=F("probability") * F("impact"))
        .filter(score__gte=checks.HIGH_RISK_EXPOSURE)
        .order_by("feature__release__target_date", "feature__release_id", "-score", "id")
        .values("title", "score", "feature__title", "feature__release_id", "feature__release__name")
    )
    release_risks = [
        checks.ReleaseRiskFact(
            release_id=row["feature__release_id"],
            release=row["feature__release__name"],
            link=release_link(row["feature__release_id"]),
            feature=row["feature__title"],
            risk=row["title"],
            exposure=row["score"],
        )
        for row in risk_rows
    ]
    return checks.Facts(
        features=features,
        goals=goal_facts,
        key_results=key_results,
        initiatives=initiative_facts,
        roadmap_items=roadmap_items,
        ideas=ideas,
        release_risks=release_risks,
    )


def strategy_check(product: Product, now: dt.datetime | None = None) -> list[checks.Finding]:
    """The strategy mistakes of `product`, errors first."""
    now = now or clock.now()
    return checks.run(strategy_facts(product, now), now)
