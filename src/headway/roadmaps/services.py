"""Roadmap operations shared by the API and the pages: writes, moves, snapshots, sharing.

Reading a roadmap (its entries, dates and lanes) lives in ``board.py``; ``resolve_dates`` is
re-exported here as the one function that decides every item's dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from headway.accounts.models import Membership, User
from headway.core import changes, clock
from headway.planning.models import Dependency, Feature
from headway.planning.schedule import moves_with
from headway.products.models import Product
from headway.roadmaps.board import (
    ALLOWED_LANES,
    MARKER_KINDS,
    Entry,
    build,
    resolve_dates,
)
from headway.roadmaps.diff import diff_roadmaps, items_from_records, snapshot_records
from headway.roadmaps.models import (
    BlipMove,
    ItemKind,
    LaneBy,
    Layer,
    RadarBlip,
    Roadmap,
    RoadmapItem,
    RoadmapKind,
    ShareLink,
    Snapshot,
)
from headway.roadmaps.radar import Blip, RingMove
from headway.strategy.models import Initiative

__all__ = ["build", "resolve_dates"]


# --- Writing roadmaps and items ----------------------------------------------------------------


def check_lane(kind: str, lane_by: str) -> None:
    """Refuse a lane that the kind of roadmap cannot use, naming the allowed ones."""
    allowed = ALLOWED_LANES[RoadmapKind(kind)]
    if lane_by not in allowed:
        names = ", ".join(allowed)
        raise ValidationError({"lane_by": [f"A {kind} roadmap has lanes by one of: {names}."]})


def create_roadmap(user: Any, product: Product, **values: Any) -> Roadmap:
    """A new roadmap of ``product`` (the caller has checked the role)."""
    kind = values.setdefault("kind", RoadmapKind.TIMELINE)
    if kind == RoadmapKind.TECHNOLOGY:
        values.setdefault("lane_by", LaneBy.LAYER)
        values.setdefault("statuses", [])
    if isinstance(values.get("statuses"), list | tuple):
        values["statuses"] = ",".join(dict.fromkeys(values["statuses"]))
    check_lane(kind, values.setdefault("lane_by", LaneBy.INITIATIVE))
    _check_filters(product.pk, values)
    return changes.create(Roadmap, user=user, product=product, **values)


def update_roadmap(
    user: Any, roadmap: Roadmap, values: dict[str, Any], expected_version: int | None
) -> Roadmap:
    """Change a roadmap, keeping its kind and lanes consistent."""
    kind = values.get("kind", roadmap.kind)
    if kind == RoadmapKind.TECHNOLOGY and "lane_by" not in values:
        values["lane_by"] = LaneBy.LAYER
    if kind != RoadmapKind.TECHNOLOGY and roadmap.lane_by == LaneBy.LAYER:
        values.setdefault("lane_by", LaneBy.INITIATIVE)
    check_lane(kind, values.get("lane_by", roadmap.lane_by))
    if isinstance(values.get("statuses"), list | tuple):
        values["statuses"] = ",".join(dict.fromkeys(values["statuses"]))
    _check_filters(roadmap.product_id, values)
    return changes.update(roadmap, values, user=user, expected_version=expected_version)


def _check_filters(product_id: int, values: dict[str, Any]) -> None:
    initiative, release = values.get("initiative"), values.get("release")
    if isinstance(initiative, int):
        found = Initiative.objects.filter(pk=initiative, product_id=product_id).first()
        if found is None:
            raise ValidationError({"initiative": ["No such initiative in this product."]})
        values["initiative"] = found
    if isinstance(release, int):
        from headway.releases.models import Release

        found_release = Release.objects.filter(pk=release, product_id=product_id).first()
        if found_release is None:
            raise ValidationError({"release": ["No such release in this product."]})
        values["release"] = found_release


def add_item(user: Any, roadmap: Roadmap, **values: Any) -> RoadmapItem:
    """Put a feature, an initiative or a marker on ``roadmap``."""
    values = _checked_item(roadmap, values, None)
    with transaction.atomic():
        last = RoadmapItem.objects.filter(roadmap=roadmap).order_by("-position").first()
        values.setdefault("position", last.position + 1 if last else 0)
        return changes.create(RoadmapItem, user=user, roadmap=roadmap, **values)


def update_item(
    user: Any, row: RoadmapItem, values: dict[str, Any], expected_version: int | None
) -> RoadmapItem:
    """Change an item, with the same checks as when it was added."""
    values = _checked_item(row.roadmap, values, row)
    return changes.update(row, values, user=user, expected_version=expected_version)


def _checked_item(
    roadmap: Roadmap, values: dict[str, Any], row: RoadmapItem | None
) -> dict[str, Any]:
    values = dict(values)
    kind = values.get("kind", row.kind if row else ItemKind.FEATURE)
    feature = values.get("feature", row.feature_id if row else None)
    initiative = values.get("initiative", row.initiative_id if row else None)
    errors: dict[str, list[str]] = {}
    if kind == ItemKind.FEATURE:
        if feature is None:
            errors["feature"] = ["A feature item needs the feature's id."]
        elif not isinstance(feature, Feature):
            found = Feature.objects.filter(pk=feature, product_id=roadmap.product_id).first()
            if found is None:
                errors["feature"] = ["No such feature in this product."]
            else:
                taken = RoadmapItem.objects.filter(roadmap=roadmap, feature=found)
                if row is not None:
                    taken = taken.exclude(pk=row.pk)
                if taken.exists():
                    errors["feature"] = ["This feature is already on the roadmap."]
                values["feature"] = found
        values["initiative"] = None
    elif kind == ItemKind.INITIATIVE:
        if initiative is None:
            errors["initiative"] = ["An initiative item needs the initiative's id."]
        elif not isinstance(initiative, Initiative):
            found_initiative = Initiative.objects.filter(
                pk=initiative, product_id=roadmap.product_id
            ).first()
            if found_initiative is None:
                errors["initiative"] = ["No such initiative in this product."]
            values["initiative"] = found_initiative
        values["feature"] = None
    else:
        values["feature"] = None
        if isinstance(initiative, int):
            found_initiative = Initiative.objects.filter(
                pk=initiative, product_id=roadmap.product_id
            ).first()
            if found_initiative is None:
                errors["initiative"] = ["No such initiative in this product."]
            values["initiative"] = found_initiative
        title = values.get("title", row.title if row else "")
        if not title:
            errors["title"] = [f"A {ItemKind(kind).label.lower()} needs a title."]
    start = values.get("start_date", row.start_date if row else None)
    end = values.get("end_date", row.end_date if row else None)
    if kind in (ItemKind.FEATURE, ItemKind.INITIATIVE) and (start or end):
        errors["start_date"] = [
            f"A {kind} item takes its dates from the {kind}; change them there or move it."
        ]
    if start and end and end < start:
        errors["end_date"] = ["The end date is before the start date."]
    layer = values.get("layer", row.layer if row else "")
    if roadmap.kind == RoadmapKind.TECHNOLOGY and kind != ItemKind.FEATURE and not layer:
        errors["layer"] = [
            "An item of a technology roadmap needs a layer: " + ", ".join(Layer.values) + "."
        ]
    if errors:
        raise ValidationError(errors)
    return values


# --- Moving an item and what depends on it -----------------------------------------------------


@dataclass(frozen=True)
class Moved:
    """An item whose dates a move changed."""

    key: str
    title: str
    before: tuple[date | None, date | None]
    after: tuple[date, date]

    @property
    def days(self) -> int | None:
        """How far it moved (positive is later); None when it had no start before."""
        start = self.before[0] or self.before[1]
        return None if start is None else (self.after[0] - start).days


@dataclass(frozen=True)
class MoveOutcome:
    """The item moved and the dependants a move pushed later."""

    moved: Moved
    dependants: tuple[Moved, ...]

    @property
    def keys(self) -> frozenset[str]:
        """The drawn ids of every changed item (to highlight them)."""
        return frozenset([self.moved.key, *(m.key for m in self.dependants)])


def move_item(
    user: Any, roadmap: Roadmap, key: str, start: date, end: date | None = None
) -> MoveOutcome:
    """Move the item ``key`` to start on ``start`` and push what depends on it.

    The item keeps its length unless ``end`` is given. A feature's dates are written on the
    feature (so every roadmap shows the move), a marker's on the item, an initiative's on the
    initiative. Features that depend on a moved feature (planning's dependencies, also off this
    roadmap) and would now start before it ends move later, keeping their length.
    """
    if end is not None and end < start:
        raise ValidationError({"end": ["The end date is before the start date."]})
    board = build(roadmap)
    entry = board.entry(key)
    old_start, old_end = entry.item.start, entry.item.end
    first = old_start or old_end
    if end is None:
        if first is None or old_end is None:
            if entry.item.kind != "bar":
                end = start
            else:
                raise ValidationError(
                    {"end": ["This item has no dates yet: send the end date too."]}
                )
        else:
            end = start + (old_end - first)
    with transaction.atomic():
        if entry.feature_id is None and entry.roadmap_item_id is not None:
            row = RoadmapItem.objects.select_related("initiative").get(pk=entry.roadmap_item_id)
            _write_other(user, row, start, end)
            return MoveOutcome(Moved(key, entry.item.title, (old_start, old_end), (start, end)), ())
        return _move_feature(user, roadmap, entry, start, end, board.today)


def _write_other(user: Any, row: RoadmapItem, start: date, end: date) -> None:
    if row.kind == ItemKind.INITIATIVE and row.initiative is not None:
        changes.update(row.initiative, {"start_date": start, "end_date": end}, user=user)
    elif row.kind in MARKER_KINDS and row.end_date is None:
        changes.update(row, {"start_date": start}, user=user)
    else:
        changes.update(row, {"start_date": start, "end_date": end}, user=user)


def _move_feature(
    user: Any, roadmap: Roadmap, entry: Entry, start: date, end: date, today: date
) -> MoveOutcome:
    edges = list(
        Dependency.objects.filter(feature__product_id=roadmap.product_id).values_list(
            "feature_id", "depends_on_id"
        )
    )
    moved_id = entry.feature_id
    if moved_id is None:
        raise Http404("No such feature on this roadmap.")
    involved = {moved_id, *(pk for edge in edges for pk in edge)}
    features = {f.pk: f for f in Feature.objects.filter(pk__in=involved).select_related("release")}
    resolved = resolve_dates(roadmap.product, list(features.values()), today)
    # planning's moves_with takes exclusive finishes: the first day a dependant may start.
    spans: dict[int, tuple[date, date]] = {}
    for pk, found in resolved.items():
        if found.end is not None:
            spans[pk] = (found.start or found.end, found.end + timedelta(days=1))
    spans[moved_id] = (start, end + timedelta(days=1))
    edges = [(a, b) for a, b in edges if a in spans and b in spans]
    result = moves_with(spans, edges, moved_id, start)
    new_spans = {moved_id: (start, end)}
    for move in result.moves:
        new_spans[move.id] = (move.new_start, move.new_finish - timedelta(days=1))
    outcome: list[Moved] = []
    for pk, (new_start, new_end) in new_spans.items():
        feature = features[pk]
        changes.update(feature, {"start_date": new_start, "end_date": new_end}, user=user)
        before = (resolved[pk].start, resolved[pk].end)
        outcome.append(Moved(f"feature-{pk}", feature.title, before, (new_start, new_end)))
    first = next(m for m in outcome if m.key == entry.key)
    rest = tuple(sorted((m for m in outcome if m is not first), key=lambda m: m.after))
    return MoveOutcome(first, rest)


# --- Snapshots ---------------------------------------------------------------------------------


def take_snapshot(user: Any, roadmap: Roadmap, name: str) -> Snapshot:
    """Keep the roadmap as it stands now, to compare with later."""
    board = build(roadmap)
    data = {
        "items": snapshot_records(board.items()),
        "lanes": {lane.key: lane.title for lane in board.lanes},
    }
    return changes.create(Snapshot, user=user, roadmap=roadmap, name=name, data=data)


def compare(roadmap: Roadmap, before: Snapshot, after: Snapshot | None) -> dict[str, Any]:
    """What changed from ``before`` to ``after`` (a snapshot, or the roadmap now when None)."""
    old = items_from_records(before.data.get("items", []))
    lanes = dict(before.data.get("lanes", {}))
    if after is None:
        board = build(roadmap)
        new = board.items()
        lanes.update({lane.key: lane.title for lane in board.lanes})
        to: dict[str, Any] = {"snapshot": None, "name": "now", "at": clock.now()}
    else:
        new = items_from_records(after.data.get("items", []))
        lanes.update(after.data.get("lanes", {}))
        to = {"snapshot": after.pk, "name": after.name, "at": after.created}
    result = diff_roadmaps(old, new).to_dict()
    for change in result["changed_lane"]:
        change["from_lane_title"] = lanes.get(change["from_lane"], change["from_lane"])
        change["to_lane_title"] = lanes.get(change["to_lane"], change["to_lane"])
    return {
        "from": {"snapshot": before.pk, "name": before.name, "at": before.created},
        "to": to,
        **result,
    }


# --- Sharing -----------------------------------------------------------------------------------


def share(user: Any, roadmap: Roadmap, expires: datetime | None) -> tuple[ShareLink, str]:
    """A new read-only link to ``roadmap``: the record and the token (shown once)."""
    if expires is not None and expires <= clock.now():
        raise ValidationError({"expires": ["The expiry must be in the future."]})
    return ShareLink.issue(roadmap, expires=expires, created_by=user)


def revoke(link: ShareLink) -> ShareLink:
    """Close a share link for good; its URL answers 404 from now on."""
    if link.revoked is None:
        link.revoked = clock.now()
        link.save(update_fields=["revoked"])
    return link


def shared_roadmap(token: str) -> Roadmap:
    """The roadmap behind a live share token, or 404 (wrong, revoked and expired alike)."""
    link = (
        ShareLink.objects.select_related("roadmap__product")
        .filter(digest=ShareLink.digest_of(token))
        .first()
    )
    if link is None or not link.is_live():
        raise Http404("No such shared roadmap.")
    return link.roadmap


# --- Technology radar --------------------------------------------------------------------------


def _checked_blip_items(product_id: int, ids: list[int]) -> list[RoadmapItem]:
    found = list(
        RoadmapItem.objects.filter(pk__in=ids, roadmap__product_id=product_id).order_by("pk")
    )
    missing = sorted(set(ids) - {row.pk for row in found})
    if missing:
        raise ValidationError({"roadmap_items": [f"No roadmap item {missing[0]} in this product."]})
    return found


def _check_blip_name(product_id: int, name: str, blip_id: int | None) -> None:
    taken = RadarBlip.objects.filter(product_id=product_id, name__iexact=name)
    if blip_id is not None:
        taken = taken.exclude(pk=blip_id)
    if taken.exists():
        raise ValidationError({"name": [f"{name!r} is already on the radar."]})


def create_blip(user: Any, product: Product, **values: Any) -> RadarBlip:
    """A new blip on the product's radar, with its first history row (joining its ring)."""
    item_ids = values.pop("roadmap_items", None) or []
    with transaction.atomic():
        _check_blip_name(product.pk, values.get("name", ""), None)
        items = _checked_blip_items(product.pk, item_ids)
        blip = changes.create(RadarBlip, user=user, product=product, **values)
        blip.roadmap_items.set(items)
        BlipMove.objects.create(blip=blip, from_ring="", to_ring=blip.ring, by=user)
    return blip


def update_blip(
    user: Any, blip: RadarBlip, values: dict[str, Any], expected_version: int | None
) -> RadarBlip:
    """Change a blip; a new ring is written to its history."""
    item_ids = values.pop("roadmap_items", None)
    before = blip.ring
    with transaction.atomic():
        if "name" in values:
            _check_blip_name(blip.product_id, values["name"], blip.pk)
        blip = changes.update(blip, values, user=user, expected_version=expected_version)
        if item_ids is not None:
            blip.roadmap_items.set(_checked_blip_items(blip.product_id, item_ids))
        if blip.ring != before:
            BlipMove.objects.create(blip=blip, from_ring=before, to_ring=blip.ring, by=user)
    return blip


def radar_blips(queryset: Any) -> list[Blip]:
    """Blips (with ``moves`` prefetched) as the radar module draws them."""
    return [
        Blip(
            id=str(blip.pk),
            name=blip.name,
            quadrant=blip.quadrant,
            ring=blip.ring,
            history=tuple(RingMove(move.at.date(), move.to_ring) for move in blip.moves.all()),
            rationale=blip.rationale,
        )
        for blip in queryset
    ]


def parse_since(value: str | None) -> date | None:
    """The ``since`` date of the "what moved" view; a bad date is a 422 naming ``since``."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {"since": [f"{value!r} is not a date in the form YYYY-MM-DD."]}
        ) from None


def since_or_default(value: str | None, days: int = 90) -> date:
    """The ``since`` date asked for, or ``days`` ago."""
    return parse_since(value) or clock.today() - timedelta(days=days)


def member(workspace_id: int, username: str | None) -> User | None:
    """The workspace member named ``username`` (None for none); a 422 naming ``owner`` else."""
    if not username:
        return None
    found = (
        Membership.objects.filter(workspace_id=workspace_id, user__username=username)
        .select_related("user")
        .first()
    )
    if found is None:
        raise ValidationError({"owner": [f"{username!r} is not a member of this workspace."]})
    return found.user
