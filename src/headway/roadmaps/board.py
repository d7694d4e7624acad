"""What is on a roadmap: its entries with resolved dates and lanes, ready to lay out.

Which features appear on a roadmap: its explicit items, plus, on timeline and now/next/later
roadmaps, the product's features whose status is in ``Roadmap.statuses`` (planned and in
progress by default), narrowed to ``Roadmap.initiative`` / ``Roadmap.release`` when those are
set. A technology roadmap shows only what was put on it. Each feature appears once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from headway.core import clock
from headway.core.memo import RecentResults
from headway.forecasting import ForecastInputError, forecast_when, weekly_throughput
from headway.planning.models import Dependency, Feature, FeatureKind, FeatureStatus, Story, Team
from headway.planning.schedule import ScheduleInputError, WorkItem, schedule
from headway.planning.schedule import Team as ScheduleTeam
from headway.products.models import Product
from headway.roadmaps import dates
from headway.roadmaps.dates import DateFacts, ResolvedDates
from headway.roadmaps.facts import FeatureFacts, facts_of, first_components
from headway.roadmaps.items import TECHNOLOGY_LAYERS, Item, Lane, View, Zoom
from headway.roadmaps.layout import RoadmapLayout, layout_roadmap
from headway.roadmaps.models import (
    ItemKind,
    LaneBy,
    Layer,
    Roadmap,
    RoadmapItem,
    RoadmapKind,
)

MARKER_KINDS = frozenset({ItemKind.MILESTONE, ItemKind.END_OF_LIFE, ItemKind.DEPRECATION})
DATED_KINDS = MARKER_KINDS | {ItemKind.TECHNOLOGY}
#: Points per week of the team that features without a team share, when no team has a capacity.
DEFAULT_CAPACITY = 10.0
SHARED_TEAM = 0  # no Team has this primary key
#: The forecast step: weeks of throughput history, trials, a fixed seed so a page is stable,
#: and how many distinct forecasts one build may run.
THROUGHPUT_WEEKS = 26
FORECAST_TRIALS = 2000
FORECAST_SEED = 20261126
MAX_FORECASTS = 25
NO_LANE = "none"
MARKER_LANE = "markers"
#: Where a feature sits on a technology roadmap when its item names no layer.
LAYER_OF_KIND = {
    FeatureKind.CUSTOMER_FEATURE: Layer.CAPABILITY,
    FeatureKind.ENHANCEMENT: Layer.CAPABILITY,
    FeatureKind.RESEARCH_SPIKE: Layer.CAPABILITY,
    FeatureKind.TECHNICAL_ENABLER: Layer.PLATFORM,
    FeatureKind.TECH_DEBT: Layer.TECH_DEBT,
}
#: An undated feature without a bucket of its own lands by its status.
BUCKET_OF_STATUS = {FeatureStatus.IN_PROGRESS: "now", FeatureStatus.PLANNED: "next"}
ALLOWED_LANES = {
    RoadmapKind.TIMELINE: [c for c in LaneBy.values if c != LaneBy.LAYER],
    RoadmapKind.NOW_NEXT_LATER: [c for c in LaneBy.values if c != LaneBy.LAYER],
    RoadmapKind.TECHNOLOGY: [LaneBy.LAYER.value],
}


@dataclass(frozen=True)
class Entry:
    """One item of a roadmap as shown, with what pages and exports need beside the drawing.

    ``description``, ``note`` and ``points`` are internal: shared pages and the public portal
    never show them.
    """

    item: Item
    kind: str
    status: str
    lane_title: str
    dates: ResolvedDates
    feature_id: int | None = None
    roadmap_item_id: int | None = None
    initiative_id: int | None = None
    description: str = ""
    note: str = ""
    points: float | None = None

    @property
    def key(self) -> str:
        """The item's id on the drawing, in URLs and in exports."""
        return self.item.id

    @property
    def kind_title(self) -> str:
        """The kind as people read it ("End of life")."""
        return ItemKind(self.kind).label


@dataclass
class Board:
    """A roadmap's entries and lanes, ready to lay out."""

    roadmap: Roadmap
    entries: list[Entry]
    lanes: list[Lane]
    today: date
    lane_titles: dict[str, str] = field(default_factory=dict)

    def items(self, *, public: bool = False) -> list[Item]:
        """The layout items; ``public`` strips links and internal labels."""
        if not public:
            return [entry.item for entry in self.entries]
        return [replace(entry.item, url=None, label=None) for entry in self.entries]

    def layout(
        self,
        *,
        zoom: Zoom = "month",
        collapsed: Iterable[str] = (),
        public: bool = False,
    ) -> RoadmapLayout:
        """The roadmap laid out; unknown collapsed lanes are ignored."""
        known = {lane.key for lane in self.lanes}
        if self.roadmap.kind == RoadmapKind.TECHNOLOGY:
            known = {lane.key for lane in TECHNOLOGY_LAYERS}
        view = View(
            today=self.today,
            zoom=zoom,
            collapsed=frozenset(c for c in collapsed if c in known),
            title=self.roadmap.name,
        )
        return layout_roadmap(self.roadmap.kind, self.items(public=public), self.lanes, view)

    def entry(self, key: str) -> Entry:
        """The entry with ``key``, or 404."""
        for entry in self.entries:
            if entry.key == key:
                return entry
        raise Http404("No such item on this roadmap.")


# --- Dates -------------------------------------------------------------------------------------


def effort_of(points: float | None, estimate: tuple[float | None, ...]) -> float:
    """A feature's effort in points: its points, else the PERT mean of its three-point
    estimate, else its most likely estimate, else nothing."""
    if points is not None:
        return max(points, 0.0)
    optimistic, likely, pessimistic = estimate
    if optimistic is not None and likely is not None and pessimistic is not None:
        return max((optimistic + 4 * likely + pessimistic) / 6, 0.0)
    return max(likely or 0.0, 0.0)


def scheduled_spans(
    product: Product, today: date, needed: Iterable[int] | None = None
) -> dict[int, tuple[date, date]]:
    """Feature id → the span planning's capacity schedule proposes, from today on.

    Every open feature of the product is scheduled in backlog order, by its team's weekly
    capacity (features without a team share one of average capacity), after what it depends on,
    and not before its own start; with ``needed``, only as far as those features need (see
    ``schedule``), the others may have no span. Features with no effort get no span. Three
    queries; the schedule itself is kept under its whole input, so an unchanged product is not
    scheduled again.
    """
    rows = tuple(
        Feature.objects.filter(product_id=product.pk)
        .exclude(status__in=(FeatureStatus.DONE, FeatureStatus.CANCELLED))
        .order_by("rank", "id")
        .values_list(
            "pk",
            "team_id",
            "points",
            "estimate_optimistic",
            "estimate_likely",
            "estimate_pessimistic",
            "start_date",
        )
    )
    if not rows:
        return {}
    capacities = {
        pk: capacity
        for pk, capacity in Team.objects.filter(product_id=product.pk).values_list(
            "pk", "capacity_per_week"
        )
        if capacity > 0
    }
    edges = tuple(
        Dependency.objects.filter(feature__product_id=product.pk)
        .order_by("id")
        .values_list("feature_id", "depends_on_id")
    )
    wanted = None if needed is None else frozenset(needed)
    key = (product.pk, today, rows, edges, tuple(sorted(capacities.items())), wanted)
    return _SPANS.get(key, lambda: _spans(rows, edges, capacities, today, wanted))


#: Recent schedules keyed by their whole input (see ``headway.core.memo``).
_SPANS: RecentResults[dict[int, tuple[date, date]]] = RecentResults(size=8)


def _spans(
    rows: Sequence[tuple[Any, ...]],
    edges: Iterable[tuple[int, int]],
    capacities: Mapping[int, float],
    today: date,
    needed: frozenset[int] | None,
) -> dict[int, tuple[date, date]]:
    shared = sum(capacities.values()) / len(capacities) if capacities else DEFAULT_CAPACITY
    open_ids = {row[0] for row in rows}
    depends_on: dict[int, list[int]] = {}
    for feature_id, prerequisite in edges:
        if feature_id in open_ids and prerequisite in open_ids:
            depends_on.setdefault(feature_id, []).append(prerequisite)
    items = [
        WorkItem(
            id=pk,
            team=team if team in capacities else SHARED_TEAM,
            effort=effort_of(points, (optimistic, likely, pessimistic)),
            depends_on=tuple(depends_on.get(pk, ())),
            pinned_start=start if start is not None and start > today else None,
        )
        for pk, team, points, optimistic, likely, pessimistic, start in rows
    ]
    teams = [ScheduleTeam(pk, capacity) for pk, capacity in capacities.items()]
    teams.append(ScheduleTeam(SHARED_TEAM, shared))
    try:
        plan = schedule(items, teams, today, needed=needed)
    except ScheduleInputError:  # a cycle slipped past planning's checks: no proposal at all
        return {}
    return {
        pk: (placed.start, placed.finish - timedelta(days=1))
        for pk, placed in plan.items.items()
        if placed.finish > placed.start
    }


def forecast_ends(
    product: Product,
    features: Sequence[Feature | FeatureFacts],
    today: date,
    scheduled: Mapping[int, tuple[date, date]],
) -> dict[int, date]:
    """Feature id → the day the Monte Carlo forecast finishes it, at 85 %.

    Only for open features the schedule could not place (no effort given): the schedule knows
    more about them otherwise. The throughput is the product's stories done per week over the
    last half year; a feature is done when everything ranked before it and its own open stories
    are (a feature without stories counts as one item). Forecasts are memoised by the remaining
    count and capped at ``MAX_FORECASTS`` a build, so a large roadmap stays fast. Two queries.
    """
    closed = (FeatureStatus.DONE, FeatureStatus.CANCELLED)
    need = [f for f in features if f.status not in closed and f.pk not in scheduled]
    if not need:
        return {}
    first = today - timedelta(weeks=THROUGHPUT_WEEKS)
    done = Story.objects.filter(
        feature__product_id=product.pk, done_at__date__gte=first, done_at__date__lte=today
    ).values_list("done_at", flat=True)
    throughput = weekly_throughput((m.date() for m in done if m is not None), first, today)
    if not any(throughput):
        return {}
    cumulative: dict[int, int] = {}
    total = 0
    for pk, open_stories in (
        Feature.objects.filter(product_id=product.pk)
        .exclude(status__in=closed)
        .annotate(open_stories=Count("stories", filter=~Q(stories__status="done")))
        .order_by("rank", "id")
        .values_list("pk", "open_stories")
    ):
        total += max(open_stories, 1)
        cumulative[pk] = total
    ends: dict[int, date] = {}
    memo: dict[int, date | None] = {}
    for feature in need:
        remaining = cumulative.get(feature.pk)
        if remaining is None or (remaining not in memo and len(memo) >= MAX_FORECASTS):
            continue
        if remaining not in memo:
            try:
                forecast = forecast_when(
                    throughput,
                    remaining,
                    start_date=today,
                    trials=FORECAST_TRIALS,
                    seed=FORECAST_SEED,
                    method="plain",
                )
                memo[remaining] = forecast.dates.get("85")
            except ForecastInputError:
                memo[remaining] = None
        found = memo[remaining]
        if found is not None:
            ends[feature.pk] = found
    return ends


def resolve_dates(
    product: Product, features: Sequence[Feature | FeatureFacts], today: date
) -> dict[int, ResolvedDates]:
    """The dates of each feature: its own, else its release's, else the schedule, else the forecast.

    Each source is one step of ``dates.STEPS``; an item is at risk when the schedule or the
    forecast finishes after its committed date (or that date is past and it is not done).
    Model instances need ``release`` selected.
    """
    scheduled = scheduled_spans(product, today, [f.pk for f in features]) if features else {}
    forecast = forecast_ends(product, features, today, scheduled)
    return {
        feature.pk: dates.resolve(
            DateFacts(
                own_start=feature.start_date,
                own_end=feature.end_date,
                release_date=_release_date(feature),
                scheduled=scheduled.get(feature.pk),
                forecast_end=forecast.get(feature.pk),
                done=feature.status in (FeatureStatus.DONE, FeatureStatus.CANCELLED),
            ),
            today,
        )
        for feature in features
    }


def _release_date(feature: Feature | FeatureFacts) -> date | None:
    if isinstance(feature, FeatureFacts):
        return feature.release_date
    return feature.release.target_date if feature.release else None


# --- Building a roadmap ------------------------------------------------------------------------


def _feature_lane(roadmap: Roadmap, feature: FeatureFacts, layer: str) -> tuple[str, str]:
    lane_by = roadmap.lane_by
    if roadmap.kind == RoadmapKind.TECHNOLOGY:
        key = layer or LAYER_OF_KIND.get(FeatureKind(feature.kind), Layer.CAPABILITY)
        return str(key), Layer(key).label
    if lane_by == LaneBy.INITIATIVE and feature.initiative_id is not None:
        return f"initiative-{feature.initiative_id}", feature.initiative_title
    if lane_by == LaneBy.GOAL and feature.goal_id is not None:
        return f"goal-{feature.goal_id}", feature.goal_title
    if lane_by == LaneBy.TEAM and feature.team_id is not None:
        return f"team-{feature.team_id}", feature.team_name
    if lane_by == LaneBy.COMPONENT and feature.component is not None:
        component_id, name = feature.component
        return f"component-{component_id}", name
    if lane_by == LaneBy.KIND:
        return f"kind-{feature.kind}", FeatureKind(feature.kind).label
    return NO_LANE, f"No {LaneBy(lane_by).label.lower()}"


def _other_lane(roadmap: Roadmap, row: RoadmapItem) -> tuple[str, str]:
    """The lane of a marker or initiative item."""
    if roadmap.kind == RoadmapKind.TECHNOLOGY:
        key = row.layer or Layer.PLATFORM
        return str(key), Layer(key).label
    initiative = row.initiative
    if initiative is not None:
        if roadmap.lane_by == LaneBy.INITIATIVE:
            return f"initiative-{initiative.pk}", initiative.title
        if roadmap.lane_by == LaneBy.GOAL and initiative.goal:
            return f"goal-{initiative.goal.pk}", initiative.goal.title
    return MARKER_LANE, "Milestones & markers"


def _lane_order(key: str, orders: Mapping[str, tuple[Any, ...]]) -> tuple[Any, ...]:
    if key == NO_LANE:
        return (2,)
    if key == MARKER_LANE:
        return (3,)
    return (1, *orders.get(key, (key,)))


def _feature_entry(
    roadmap: Roadmap,
    feature: FeatureFacts,
    resolved: ResolvedDates,
    depends_on: Sequence[int],
    row: RoadmapItem | None,
) -> Entry:
    lane, title = _feature_lane(roadmap, feature, row.layer if row else "")
    bucket = row.bucket if row and row.bucket else None
    if bucket is None and not resolved.is_dated:
        bucket = BUCKET_OF_STATUS.get(FeatureStatus(feature.status), "later")
    label = None
    if resolved.source is not None and resolved.source != "own":
        label = f"dates from {dates.SOURCE_TITLES[resolved.source]}"
    item = Item(
        id=f"feature-{feature.pk}",
        title=feature.title,
        lane=lane,
        start=resolved.start,
        end=resolved.end,
        at_risk=resolved.at_risk,
        url=f"/features/{feature.pk}/",
        depends_on=tuple(f"feature-{pk}" for pk in depends_on),
        bucket=bucket,  # type: ignore[arg-type]
        status=FeatureStatus(feature.status).label,
        label=label,
    )
    return Entry(
        item=item,
        kind=ItemKind.FEATURE,
        status=feature.status,
        lane_title=title,
        dates=resolved,
        feature_id=feature.pk,
        roadmap_item_id=row.pk if row else None,
        initiative_id=feature.initiative_id,
        description=feature.description,
        note=row.note if row else "",
        points=feature.points,
    )


def _other_entry(roadmap: Roadmap, row: RoadmapItem, today: date) -> Entry:
    lane, lane_title = _other_lane(roadmap, row)
    own_start, own_end, title = row.start_date, row.end_date, row.title
    if row.kind == ItemKind.INITIATIVE and row.initiative is not None:
        own_start, own_end = row.initiative.start_date, row.initiative.end_date
        title = title or row.initiative.title
    resolved = dates.resolve(DateFacts(own_start=own_start, own_end=own_end), today)
    # A marker's date is a commitment in itself, not a delivery that can run late.
    resolved = replace(resolved, at_risk=False)
    kind = row.kind if row.kind in MARKER_KINDS else "bar"
    item = Item(
        id=row.key,
        title=title or ItemKind(row.kind).label,
        lane=lane,
        start=resolved.start,
        end=resolved.end,
        kind=kind,  # type: ignore[arg-type]
        bucket=(row.bucket or None) if not resolved.is_dated else None,  # type: ignore[arg-type]
        status=ItemKind(row.kind).label if row.kind != ItemKind.INITIATIVE else None,
    )
    return Entry(
        item=item,
        kind=row.kind,
        status="",
        lane_title=lane_title,
        dates=resolved,
        roadmap_item_id=row.pk,
        initiative_id=row.initiative_id,
        note=row.note,
    )


def explicit_items(roadmap: Roadmap) -> Any:
    """The roadmap's own items, with everything their entries read."""
    return RoadmapItem.objects.filter(roadmap=roadmap).select_related(
        "feature__initiative__goal",
        "feature__release",
        "feature__team",
        "initiative__goal",
    )


def automatic_features(roadmap: Roadmap) -> Any:
    """The product's features that appear on the roadmap without being added."""
    if roadmap.kind == RoadmapKind.TECHNOLOGY or not roadmap.status_list:
        return Feature.objects.none()
    queryset = Feature.objects.filter(product_id=roadmap.product_id, status__in=roadmap.status_list)
    if roadmap.initiative_id is not None:
        queryset = queryset.filter(initiative_id=roadmap.initiative_id)
    if roadmap.release_id is not None:
        queryset = queryset.filter(release_id=roadmap.release_id)
    return queryset.order_by("rank", "id")


def build(roadmap: Roadmap, today: date | None = None) -> Board:
    """Everything on ``roadmap``, with resolved dates and lanes (a fixed number of queries)."""
    today = today or clock.today()
    rows = list(explicit_items(roadmap))
    with_feature = {row.feature_id: row for row in rows if row.feature_id is not None}
    features = {row.feature.pk: FeatureFacts.of(row.feature) for row in rows if row.feature}
    for facts in facts_of(automatic_features(roadmap).exclude(pk__in=list(with_feature))):
        features[facts.pk] = facts
    if roadmap.lane_by == LaneBy.COMPONENT:
        components = first_components(features)
        for pk, facts in features.items():
            features[pk] = replace(facts, component=components.get(pk))
    depends_on: dict[int, list[int]] = {}
    for feature_id, prerequisite in Dependency.objects.filter(
        feature_id__in=list(features), depends_on_id__in=list(features)
    ).values_list("feature_id", "depends_on_id"):
        depends_on.setdefault(feature_id, []).append(prerequisite)
    product = roadmap.product
    resolved = resolve_dates(product, list(features.values()), today)
    entries: list[Entry] = []
    emitted: set[int] = set()
    for row in rows:
        if row.feature is not None:
            feature = features[row.feature.pk]
            entries.append(
                _feature_entry(
                    roadmap, feature, resolved[feature.pk], depends_on.get(feature.pk, []), row
                )
            )
            emitted.add(feature.pk)
        else:
            entries.append(_other_entry(roadmap, row, today))
    for pk, feature in features.items():
        if pk not in emitted:
            entry = _feature_entry(roadmap, feature, resolved[pk], depends_on.get(pk, []), None)
            entries.append(entry)
    return Board(roadmap, entries, _lanes(roadmap, entries, features), today)


def _lanes(
    roadmap: Roadmap, entries: Sequence[Entry], features: Mapping[int, FeatureFacts]
) -> list[Lane]:
    if roadmap.kind == RoadmapKind.TECHNOLOGY:
        return list(TECHNOLOGY_LAYERS)
    orders: dict[str, tuple[Any, ...]] = {}
    for feature in features.values():
        if feature.initiative_id is not None:
            orders[f"initiative-{feature.initiative_id}"] = (feature.initiative_id,)
        if feature.goal_id is not None:
            orders[f"goal-{feature.goal_id}"] = (feature.goal_position, feature.goal_id)
        if feature.team_id is not None:
            orders[f"team-{feature.team_id}"] = (feature.team_name.casefold(), feature.team_id)
    kinds = list(FeatureKind.values)
    for kind in kinds:
        orders[f"kind-{kind}"] = (kinds.index(kind),)
    titles: dict[str, str] = {}
    for entry in entries:
        titles.setdefault(entry.item.lane, entry.lane_title)
    ordered = sorted(titles, key=lambda key: (_lane_order(key, orders), titles[key]))
    return [Lane(key, titles[key], index) for index, key in enumerate(ordered)]
