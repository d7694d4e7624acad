"""Roadmaps, their items, moves, exports, snapshots and share links; the technology radar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.params import functions as params

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.errors import ProblemError
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.products.models import Product
from headway.roadmaps import exports, services
from headway.roadmaps.board import Entry
from headway.roadmaps.items import ZOOMS, bucket_of
from headway.roadmaps.models import BlipMove, RadarBlip, Roadmap, RoadmapItem, ShareLink, Snapshot
from headway.roadmaps.radar import moves_since
from headway.roadmaps.schemas import (
    BlipIn,
    BlipList,
    BlipMovementList,
    BlipOut,
    BlipPatch,
    EntryList,
    MoveIn,
    MoveOut,
    RoadmapIn,
    RoadmapItemIn,
    RoadmapItemOut,
    RoadmapItemPatch,
    RoadmapList,
    RoadmapOut,
    RoadmapPatch,
    ShareIn,
    ShareLinkList,
    ShareOut,
    SnapshotIn,
    SnapshotList,
    SnapshotOut,
)

router = Router(tags=["roadmaps"])


def choice_error(field: str, value: str, allowed: tuple[str, ...]) -> ProblemError:
    """A 422 naming ``field`` and listing the values it takes."""
    message = f"Unknown {field} {value!r}; use one of: {', '.join(allowed)}."
    return ProblemError(
        422, message, [{"field": field, "message": message}], extra={"allowed": list(allowed)}
    )


# --- Roadmaps ----------------------------------------------------------------------------------


def roadmaps() -> QuerySet[Roadmap]:
    return Roadmap.objects.select_related("product").annotate(item_count=Count("items"))


def roadmap_out(roadmap: Roadmap) -> dict[str, Any]:
    return {
        "id": roadmap.pk,
        "product": roadmap.product_id,
        "name": roadmap.name,
        "kind": roadmap.kind,
        "lane_by": roadmap.lane_by,
        "description": roadmap.description,
        "public": roadmap.public,
        "statuses": roadmap.status_list,
        "initiative": roadmap.initiative_id,
        "release": roadmap.release_id,
        "item_count": getattr(roadmap, "item_count", 0),
        "version": roadmap.version,
        "created": roadmap.created,
        "updated": roadmap.updated,
    }


def _roadmap(request: HttpRequest, roadmap_id: int, role: str = Role.VIEWER) -> Roadmap:
    return access_of(request).get(roadmaps(), role, pk=roadmap_id)


@router.get("/products/{product_id}/roadmaps", response=RoadmapList, summary="List roadmaps")
def list_roadmaps(
    request: HttpRequest, product_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """The product's roadmaps, by name; `q` filters on the name."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    queryset = roadmaps().filter(product=product)
    if q:
        queryset = queryset.filter(name__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [roadmap_out(r) for r in result["items"]]
    return result


@router.post(
    "/products/{product_id}/roadmaps", response={201: RoadmapOut}, summary="Create a roadmap"
)
def create_roadmap(
    request: HttpRequest, product_id: int, payload: RoadmapIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """A new timeline, now/next/later or technology roadmap of the product."""
    product = access_of(request).get(Product.objects.all(), Role.PRODUCT_MANAGER, pk=product_id)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    roadmap = services.create_roadmap(request.user, product, **values)
    roadmap = roadmaps().get(pk=roadmap.pk)
    with_etag(response, roadmap)
    return Status(201, roadmap_out(roadmap))


@router.get("/roadmaps/{roadmap_id}", response=RoadmapOut, summary="Get a roadmap")
def get_roadmap(request: HttpRequest, roadmap_id: int, response: HttpResponse) -> dict[str, Any]:
    """One roadmap, with its ETag."""
    roadmap = _roadmap(request, roadmap_id)
    with_etag(response, roadmap)
    return roadmap_out(roadmap)


@router.patch("/roadmaps/{roadmap_id}", response=RoadmapOut, summary="Change a roadmap")
def patch_roadmap(
    request: HttpRequest, roadmap_id: int, payload: RoadmapPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields; send `If-Match` with the ETag you saw to refuse a stale write."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, roadmap)
    values = payload.dict(exclude_unset=True)
    for name in ("name", "kind", "lane_by", "description", "public", "statuses"):
        if name in values and values[name] is None:
            values.pop(name)
    services.update_roadmap(request.user, roadmap, values, version)
    roadmap = roadmaps().get(pk=roadmap.pk)
    with_etag(response, roadmap)
    return roadmap_out(roadmap)


@router.delete("/roadmaps/{roadmap_id}", response={204: None}, summary="Delete a roadmap")
def delete_roadmap(request: HttpRequest, roadmap_id: int) -> Status[None]:
    """Delete a roadmap with its items, snapshots and share links (the features stay)."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    changes.delete(roadmap, user=request.user, expected_version=expected_version(request, roadmap))
    return Status(204, None)


# --- Items -------------------------------------------------------------------------------------


def item_out(row: RoadmapItem) -> dict[str, Any]:
    return {
        "id": row.pk,
        "roadmap": row.roadmap_id,
        "key": row.key,
        "kind": row.kind,
        "feature": row.feature_id,
        "initiative": row.initiative_id,
        "title": row.title,
        "layer": row.layer,
        "bucket": row.bucket,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "note": row.note,
        "position": row.position,
        "version": row.version,
    }


def entry_out(entry: Entry, today: Any) -> dict[str, Any]:
    item = entry.item
    return {
        "key": entry.key,
        "id": entry.roadmap_item_id,
        "kind": entry.kind,
        "feature": entry.feature_id,
        "initiative": entry.initiative_id,
        "title": item.title,
        "lane": item.lane,
        "lane_title": entry.lane_title,
        "start": item.start,
        "end": item.end,
        "dates_from": entry.dates.source,
        "expected_end": entry.dates.expected_end,
        "at_risk": item.at_risk,
        "bucket": None if item.is_dated else bucket_of(item, today),
        "status": entry.status,
        "depends_on": list(item.depends_on),
    }


def _items() -> Any:
    return RoadmapItem.objects.select_related("roadmap")


@router.get("/roadmaps/{roadmap_id}/items", response=EntryList, summary="List roadmap items")
def list_items(
    request: HttpRequest, roadmap_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """Everything on the roadmap with its resolved dates, lane and risk; `q` filters titles."""
    board = services.build(_roadmap(request, roadmap_id))
    entries = board.entries
    if q:
        entries = [e for e in entries if q.casefold() in e.item.title.casefold()]
    window = entries[page.offset : page.offset + page.limit]
    return {"items": [entry_out(e, board.today) for e in window], "count": len(entries)}


@router.post(
    "/roadmaps/{roadmap_id}/items", response={201: RoadmapItemOut}, summary="Add a roadmap item"
)
def create_item(
    request: HttpRequest, roadmap_id: int, payload: RoadmapItemIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Put a feature, an initiative, or a milestone / end-of-life / deprecation / technology
    marker on the roadmap."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    values = {k: v for k, v in payload.dict().items() if v is not None}
    row = services.add_item(request.user, roadmap, **values)
    with_etag(response, row)
    return Status(201, item_out(row))


@router.get("/roadmap-items/{roadmap_item_id}", response=RoadmapItemOut, summary="Get an item")
def get_item(request: HttpRequest, roadmap_item_id: int, response: HttpResponse) -> dict[str, Any]:
    """One roadmap item as stored, with its ETag."""
    row = access_of(request).get(_items(), pk=roadmap_item_id)
    with_etag(response, row)
    return item_out(row)


@router.patch("/roadmap-items/{roadmap_item_id}", response=RoadmapItemOut, summary="Change an item")
def patch_item(
    request: HttpRequest, roadmap_item_id: int, payload: RoadmapItemPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change an item; `If-Match` honoured."""
    row = access_of(request).get(_items(), Role.PRODUCT_MANAGER, pk=roadmap_item_id)
    version = expected_version(request, row)
    values = payload.dict(exclude_unset=True)
    for name in ("kind", "title", "note", "position"):
        if name in values and values[name] is None:
            values.pop(name)
    for name in ("layer", "bucket"):
        if name in values and values[name] is None:
            values[name] = ""
    row = services.update_item(request.user, row, values, version)
    with_etag(response, row)
    return item_out(row)


@router.delete("/roadmap-items/{roadmap_item_id}", response={204: None}, summary="Remove an item")
def delete_item(request: HttpRequest, roadmap_item_id: int) -> Status[None]:
    """Take an item off its roadmap (a feature stays in the backlog)."""
    row = access_of(request).get(_items(), Role.PRODUCT_MANAGER, pk=roadmap_item_id)
    changes.delete(row, user=request.user, expected_version=expected_version(request, row))
    return Status(204, None)


def moved_out(moved: services.Moved) -> dict[str, Any]:
    return {
        "key": moved.key,
        "title": moved.title,
        "start_before": moved.before[0],
        "end_before": moved.before[1],
        "start": moved.after[0],
        "end": moved.after[1],
        "days": moved.days,
    }


@router.post("/roadmaps/{roadmap_id}/items/{item}/move", response=MoveOut, summary="Move an item")
def move_item(request: HttpRequest, roadmap_id: int, item: str, payload: MoveIn) -> dict[str, Any]:
    """Move an item (`feature-N` or `item-N`) to start on `start`; dependants that would start
    before it ends move later with it."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    outcome = services.move_item(request.user, roadmap, item, payload.start, payload.end)
    return {
        "moved": moved_out(outcome.moved),
        "dependants": [moved_out(m) for m in outcome.dependants],
    }


# --- Exports -----------------------------------------------------------------------------------


@router.get("/roadmaps/{roadmap_id}/export", response={200: None}, summary="Export a roadmap")
def export_roadmap(
    request: HttpRequest, roadmap_id: int, format: str = "json", zoom: str = "month"
) -> HttpResponse:
    """The roadmap as `svg`, self-contained `html`, `csv`, `json`, `md` or `ics`."""
    roadmap = _roadmap(request, roadmap_id)
    if format not in exports.FORMATS:
        raise choice_error("format", format, exports.FORMATS)
    if zoom not in ZOOMS:
        raise choice_error("zoom", zoom, ZOOMS)
    result = exports.export(
        services.build(roadmap),
        format,
        zoom=zoom,
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


# --- Snapshots ---------------------------------------------------------------------------------


def snapshot_out(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "id": snapshot.pk,
        "roadmap": snapshot.roadmap_id,
        "name": snapshot.name,
        "created": snapshot.created,
        "item_count": len(snapshot.data.get("items", [])),
    }


@router.post(
    "/roadmaps/{roadmap_id}/snapshots", response={201: SnapshotOut}, summary="Take a snapshot"
)
def create_snapshot(
    request: HttpRequest, roadmap_id: int, payload: SnapshotIn
) -> Status[dict[str, Any]]:
    """Keep the roadmap as it stands now, to compare with later."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    return Status(201, snapshot_out(services.take_snapshot(request.user, roadmap, payload.name)))


@router.get("/roadmaps/{roadmap_id}/snapshots", response=SnapshotList, summary="List snapshots")
def list_snapshots(request: HttpRequest, roadmap_id: int, page: Query[Page]) -> dict[str, Any]:
    """The roadmap's snapshots, newest first."""
    roadmap = _roadmap(request, roadmap_id)
    result = paginate(Snapshot.objects.filter(roadmap=roadmap), page)
    result["items"] = [snapshot_out(s) for s in result["items"]]
    return result


@router.get("/roadmaps/{roadmap_id}/compare", response=dict[str, Any], summary="Compare snapshots")
def compare_snapshots(
    request: HttpRequest,
    roadmap_id: int,
    from_: str = params.Query("", alias="from"),
    to: str = "now",
) -> dict[str, Any]:
    """What changed from snapshot `from` to snapshot `to` (or `now`): items added, dropped,
    moved (by days) and changed lane."""
    roadmap = _roadmap(request, roadmap_id)
    before = pick_snapshot(roadmap, from_, "from")
    after = None if to == "now" else pick_snapshot(roadmap, to, "to")
    return services.compare(roadmap, before, after)


def pick_snapshot(roadmap: Roadmap, value: str, field: str) -> Snapshot:
    """The roadmap's snapshot named by id in ``value``; a 422 naming ``field`` otherwise."""
    snapshot = None
    if value.isdigit():
        snapshot = Snapshot.objects.filter(roadmap=roadmap, pk=int(value)).first()
    if snapshot is None:
        hint = " or now" if field == "to" else ""
        message = f"Name a snapshot of this roadmap by its id{hint}."
        raise ProblemError(422, message, [{"field": field, "message": message}])
    return snapshot


# --- Share links -------------------------------------------------------------------------------


@router.post("/roadmaps/{roadmap_id}/share", response={201: ShareOut}, summary="Share a roadmap")
def share_roadmap(
    request: HttpRequest, roadmap_id: int, payload: ShareIn
) -> Status[dict[str, Any]]:
    """A read-only link that hides internal fields; the URL is shown only in this answer."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    link, token = services.share(request.user, roadmap, payload.expires)
    url = request.build_absolute_uri(reverse("roadmaps:shared", args=[token]))
    return Status(
        201, {"id": link.pk, "url": url, "expires": link.expires, "created": link.created}
    )


@router.get("/roadmaps/{roadmap_id}/share", response=ShareLinkList, summary="List share links")
def list_share_links(request: HttpRequest, roadmap_id: int, page: Query[Page]) -> dict[str, Any]:
    """The roadmap's share links (never their tokens)."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    queryset = ShareLink.objects.filter(roadmap=roadmap).select_related("created_by")
    result = paginate(queryset, page)
    result["items"] = [
        {
            "id": link.pk,
            "created": link.created,
            "expires": link.expires,
            "revoked": link.revoked,
            "live": link.is_live(),
            "created_by": link.created_by.username if link.created_by else None,
        }
        for link in result["items"]
    ]
    return result


@router.delete(
    "/roadmaps/{roadmap_id}/share/{share_link_id}", response={204: None}, summary="Revoke a link"
)
def revoke_share_link(request: HttpRequest, roadmap_id: int, share_link_id: int) -> Status[None]:
    """Revoke a share link: its URL answers 404 from now on."""
    roadmap = _roadmap(request, roadmap_id, Role.PRODUCT_MANAGER)
    link = access_of(request).get(
        ShareLink.objects.filter(roadmap=roadmap), Role.PRODUCT_MANAGER, pk=share_link_id
    )
    services.revoke(link)
    return Status(204, None)


# --- Technology radar --------------------------------------------------------------------------


def blips() -> Any:
    return RadarBlip.objects.select_related("owner").prefetch_related(
        Prefetch("moves", queryset=BlipMove.objects.select_related("by")), "roadmap_items"
    )


def blip_out(blip: RadarBlip) -> dict[str, Any]:
    return {
        "id": blip.pk,
        "product": blip.product_id,
        "name": blip.name,
        "quadrant": blip.quadrant,
        "ring": blip.ring,
        "rationale": blip.rationale,
        "owner": blip.owner.username if blip.owner else None,
        "roadmap_items": sorted(row.pk for row in blip.roadmap_items.all()),
        "history": [
            {
                "at": move.at,
                "from_ring": move.from_ring or None,
                "to_ring": move.to_ring,
                "by": move.by.username if move.by else None,
            }
            for move in blip.moves.all()
        ],
        "version": blip.version,
        "created": blip.created,
        "updated": blip.updated,
    }


@router.get("/products/{product_id}/radar", response=BlipList, summary="List radar blips")
def list_blips(
    request: HttpRequest, product_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """The product's technology radar: every blip with its ring history."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    queryset = blips().filter(product=product)
    if q:
        queryset = queryset.filter(name__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [blip_out(b) for b in result["items"]]
    return result


@router.post("/products/{product_id}/radar", response={201: BlipOut}, summary="Add a blip")
def create_blip(
    request: HttpRequest, product_id: int, payload: BlipIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Put a technology on the radar in a quadrant and ring."""
    product = access_of(request).get(Product.objects.all(), Role.PRODUCT_MANAGER, pk=product_id)
    values = payload.dict()
    values["owner"] = services.member(product.workspace_id, values.get("owner"))
    blip = services.create_blip(request.user, product, **values)
    blip = blips().get(pk=blip.pk)
    with_etag(response, blip)
    return Status(201, blip_out(blip))


@router.get("/radar/{blip_id}", response=BlipOut, summary="Get a blip")
def get_blip(request: HttpRequest, blip_id: int, response: HttpResponse) -> dict[str, Any]:
    """One blip with its history and ETag."""
    blip = access_of(request).get(blips(), pk=blip_id)
    with_etag(response, blip)
    return blip_out(blip)


@router.patch("/radar/{blip_id}", response=BlipOut, summary="Change a blip")
def patch_blip(
    request: HttpRequest, blip_id: int, payload: BlipPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change a blip; a new ring is kept in its history. `If-Match` honoured."""
    blip = access_of(request).get(blips(), Role.PRODUCT_MANAGER, pk=blip_id)
    version = expected_version(request, blip)
    values = payload.dict(exclude_unset=True)
    for name in ("name", "quadrant", "ring", "rationale"):
        if name in values and values[name] is None:
            values.pop(name)
    if "owner" in values:
        values["owner"] = services.member(blip.product.workspace_id, values["owner"])
    services.update_blip(request.user, blip, values, version)
    blip = blips().get(pk=blip.pk)
    with_etag(response, blip)
    return blip_out(blip)


@router.delete("/radar/{blip_id}", response={204: None}, summary="Delete a blip")
def delete_blip(request: HttpRequest, blip_id: int) -> Status[None]:
    """Take a blip off the radar, with its history."""
    blip = access_of(request).get(RadarBlip.objects.all(), Role.PRODUCT_MANAGER, pk=blip_id)
    changes.delete(blip, user=request.user, expected_version=expected_version(request, blip))
    return Status(204, None)


@router.get("/products/{product_id}/radar/moves", response=BlipMovementList, summary="What moved")
def radar_moves(request: HttpRequest, product_id: int, since: str = "") -> dict[str, Any]:
    """Blips that are new or changed ring since `since` (YYYY-MM-DD; default 90 days ago)."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    day = services.since_or_default(since)
    movements = moves_since(services.radar_blips(blips().filter(product=product)), day)
    items = [
        {
            "id": int(m.id),
            "name": m.name,
            "quadrant": m.quadrant,
            "from_ring": m.from_ring,
            "to_ring": m.to_ring,
            "movement": m.movement,
        }
        for m in movements
    ]
    return {"since": day, "items": items, "count": len(items)}


@router.get("/products/{product_id}/radar/export", response={200: None}, summary="Export the radar")
def export_radar(request: HttpRequest, product_id: int, format: str = "json") -> HttpResponse:
    """The radar's blips with their history as `json` or `csv`."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    if format not in exports.RADAR_FORMATS:
        raise choice_error("format", format, exports.RADAR_FORMATS)
    found = [blip_out(b) for b in blips().filter(product=product)]
    result = exports.radar_export(product.name, found, format)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
