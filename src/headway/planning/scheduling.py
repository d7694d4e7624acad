"""Dependencies between features and the product schedule: the Django side of schedule.py.

Adding a dependency locks the product row, so two concurrent additions cannot together close a
cycle that each alone would not; the pure `check_acyclic` names the cycle with feature titles.
The schedule takes the open features in backlog order, their size (points, else PERT mean), their
team's weekly capacity and their dependencies, and proposes dates with `schedule.schedule`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from headway.core import changes, clock
from headway.core.memo import RecentResults
from headway.planning import schedule as pure
from headway.planning.models import Dependency, Feature, FeatureStatus
from headway.planning.services import size_of
from headway.products.models import Product

#: Capacity of features with no team, in points per week (a product's "anyone" lane).
UNASSIGNED_CAPACITY = 10.0
CLOSED = (FeatureStatus.DONE, FeatureStatus.CANCELLED)


def add_dependency(user: Any, feature: Feature, depends_on_id: int) -> Dependency:
    """Make ``feature`` depend on feature ``depends_on_id`` of the same product; refuse a cycle."""
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=feature.product_id).first()
        target = Feature.objects.filter(pk=depends_on_id).only("id", "product_id", "title").first()
        if target is None or target.product_id != feature.product_id:
            raise ValidationError(
                {
                    "depends_on": [
                        f"Feature {depends_on_id} is not a feature of this product; a feature "
                        "can only depend on features of its own product."
                    ]
                }
            )
        if Dependency.objects.filter(feature=feature, depends_on=target).exists():
            raise ValidationError(
                {"depends_on": [f"{feature.title} already depends on {target.title}."]}
            )
        edges = list(
            Dependency.objects.filter(feature__product_id=feature.product_id).values_list(
                "feature_id", "depends_on_id"
            )
        )
        cycle = pure.find_cycle(edges, (feature.pk, target.pk))
        if cycle is not None:
            titles = dict(Feature.objects.filter(pk__in=set(cycle)).values_list("id", "title"))
            error = pure.CycleError(cycle, titles)
            raise ValidationError({"depends_on": [error.message]})
        return changes.create(Dependency, user=user, feature=feature, depends_on=target)


def remove_dependency(user: Any, feature: Feature, depends_on_id: int) -> bool:
    """Drop the dependency; False when there was none."""
    dependency = Dependency.objects.filter(feature=feature, depends_on_id=depends_on_id).first()
    if dependency is None:
        return False
    changes.delete(dependency, user=user)
    return True


class PlannedFeature(NamedTuple):
    """What the schedule reads of an open feature: a named tuple, so 10,000 of them are made in
    a few milliseconds (a frozen dataclass takes ten times as long)."""

    id: int
    title: str
    status: str
    team_id: int | None
    points: float | None
    estimate_optimistic: float | None
    estimate_likely: float | None
    estimate_pessimistic: float | None
    start_date: dt.date | None
    end_date: dt.date | None

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class ProductPlan:
    """The schedule of a product's open features, with what the page and API show about it.

    Shared between requests (see ``product_plan``): read it, never change it.
    """

    origin: dt.date
    features: dict[int, PlannedFeature]
    edges: list[tuple[int, int]]
    path: pure.CriticalPath[int]
    unestimated: list[int]
    capacities: dict[int, float]
    team_names: dict[int, str]
    items: list[pure.WorkItem[int, int]] = field(repr=False)

    @cached_property
    def plan(self) -> pure.Plan[int, int]:
        """The capacity schedule, made when first asked for (the technical lens needs only the
        critical path, which is a fraction of the work)."""
        teams = [pure.Team(id=team, capacity=cap) for team, cap in self.capacities.items()]
        return pure.schedule(self.items, teams, self.origin)


#: Recent plans keyed by their whole input, so an unchanged product is not scheduled again.
_PLANS: RecentResults[ProductPlan] = RecentResults(size=8)
_COLUMNS = (
    "id",
    "title",
    "status",
    "team_id",
    "points",
    "estimate_optimistic",
    "estimate_likely",
    "estimate_pessimistic",
    "start_date",
    "end_date",
    "team__name",
    "team__capacity_per_week",
)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def product_plan(product: Product, origin: dt.date | None = None) -> ProductPlan:
    """Propose dates for every open feature of ``product`` (2 queries, whatever the size).

    The rows read are the whole input of the schedule, so the plan is kept under them and an
    unchanged product is answered without scheduling it again.
    """
    origin = monday(origin or clock.today())
    rows = tuple(
        Feature.objects.filter(product=product)
        .exclude(status__in=CLOSED)
        .order_by("rank", "id")
        .values_list(*_COLUMNS)
    )
    edges = tuple(
        Dependency.objects.filter(feature__product=product)
        .order_by("id")
        .values_list("feature_id", "depends_on_id")
    )
    return _PLANS.get((product.pk, origin, rows, edges), lambda: _plan(origin, rows, edges))


def _plan(
    origin: dt.date, rows: tuple[tuple[Any, ...], ...], all_edges: tuple[tuple[int, int], ...]
) -> ProductPlan:
    features: dict[int, PlannedFeature] = {}
    capacities: dict[int, float] = {0: UNASSIGNED_CAPACITY}
    team_names = {0: "No team"}
    for row in rows:
        *columns, team_name, capacity = row
        feature = PlannedFeature(*columns)
        features[feature.id] = feature
        if feature.team_id is not None and capacity > 0:
            capacities[feature.team_id] = capacity
            team_names[feature.team_id] = team_name
    # Done work no longer holds anything back.
    edges = [(a, b) for a, b in all_edges if a in features and b in features]
    depends: dict[int, list[int]] = {}
    for a, b in edges:
        depends.setdefault(a, []).append(b)
    items = []
    unestimated = []
    for feature in features.values():
        size = size_of(feature)
        if size is None:
            unestimated.append(feature.pk)
        team = feature.team_id if feature.team_id in capacities else 0
        items.append(
            pure.WorkItem(
                id=feature.pk,
                team=team or 0,
                effort=size or 0.0,
                depends_on=tuple(depends.get(feature.pk, ())),
                pinned_start=feature.start_date,
            )
        )
    durations = {item.id: item.effort / capacities[item.team] for item in items}
    return ProductPlan(
        origin=origin,
        features=features,
        edges=edges,
        path=pure.critical_path(durations, edges),
        unestimated=unestimated,
        capacities=capacities,
        team_names=team_names,
        items=items,
    )


def plan_out(result: ProductPlan) -> dict[str, Any]:
    """The schedule as the API returns it."""

    def on(weeks: float) -> dt.date:
        return result.origin + dt.timedelta(days=round(weeks * 7))

    items = []
    for feature_id, placed in result.plan.items.items():
        timing = result.path.timings[feature_id]
        feature = result.features[feature_id]
        items.append(
            {
                "id": feature_id,
                "title": feature.title,
                "team": placed.team or None,
                "team_name": result.team_names[placed.team],
                "effort": size_of(feature),
                "start": placed.start,
                "end": placed.finish - dt.timedelta(days=1),
                "earliest_start": on(timing.earliest_start),
                "earliest_finish": on(timing.earliest_finish),
                "slack_weeks": round(timing.slack, 2),
                "critical": feature_id in result.path.path,
                "waits_for": placed.waits_for,
                "weeks_waiting_for_capacity": placed.weeks_waiting_for_capacity,
            }
        )
    return {
        "origin": result.origin,
        "weeks": result.plan.weeks,
        "items": items,
        "critical_path": list(result.path.path),
        "unestimated": result.unestimated,
        "teams": [
            {
                "id": team or None,
                "name": result.team_names[team],
                "capacity_per_week": capacity,
                "load": list(result.plan.team_load.get(team, ())),
            }
            for team, capacity in result.capacities.items()
        ],
    }


def move_feature(
    user: Any, feature: Feature, new_start: dt.date, *, apply: bool = False
) -> dict[str, Any]:
    """What moves if ``feature`` starts on ``new_start``: the feature and everything that depends
    on it, pushed just far enough. With ``apply`` the new dates are written, in one transaction.

    Dates come from each feature's own start and end where it has both, otherwise from the
    proposed schedule.
    """
    if feature.status in CLOSED:
        raise ValidationError({"start": ["A done or cancelled feature is not moved."]})
    result = product_plan(feature.product)
    spans = result.plan.spans()
    for pk, item in result.features.items():
        if item.start_date and item.end_date:
            spans[pk] = (item.start_date, item.end_date + dt.timedelta(days=1))
    edges = [(a, b) for a, b in result.plan.edges]
    outcome = pure.moves_with(spans, edges, feature.pk, new_start)
    moves = [
        {
            "id": move.id,
            "title": result.features[move.id].title,
            "start": move.start,
            "end": move.finish - dt.timedelta(days=1),
            "new_start": move.new_start,
            "new_end": move.new_finish - dt.timedelta(days=1),
            "days": move.days,
        }
        for move in outcome.moves
    ]
    if apply:
        with transaction.atomic():
            for move in outcome.moves:
                target = Feature.objects.select_for_update().get(pk=move.id)
                changes.update(
                    target,
                    {
                        "start_date": move.new_start,
                        "end_date": move.new_finish - dt.timedelta(days=1),
                    },
                    user=user,
                )
    return {
        "moves": moves,
        "conflicts": [{"id": pk, "title": result.features[pk].title} for pk in outcome.conflicts],
        "applied": apply,
    }
