"""Roadmap pages: the list, the roadmap with drag-to-move, compare, sharing, and the radar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import clock
from headway.products.models import Product
from headway.roadmaps import services
from headway.roadmaps.board import Board
from headway.roadmaps.exports import FORMATS
from headway.roadmaps.forms import (
    BlipForm,
    MoveForm,
    RingForm,
    RoadmapForm,
    ShareForm,
    SnapshotForm,
)
from headway.roadmaps.items import ZOOMS, bucket_of
from headway.roadmaps.models import BlipMove, RadarBlip, Roadmap, ShareLink, Snapshot
from headway.roadmaps.radar import (
    QUADRANT_TITLES,
    RADAR_CSS,
    RING_TITLES,
    layout_radar,
    moves_since,
    render_radar_svg,
)
from headway.roadmaps.svg import BASE_CSS, ROADMAP_CSS, render_svg


def drawing_css(request: HttpRequest) -> HttpResponse:
    """The drawings' CSS as a stylesheet, for pages that inline roadmap and radar SVGs.

    Pages leave the ``<style>`` out of their SVGs so that fragments swapped in by htmx or by
    the drag script never need the page's CSP nonce; the exports keep it embedded.
    """
    response = HttpResponse(
        "\n".join((BASE_CSS, ROADMAP_CSS, RADAR_CSS)) + "\n", content_type="text/css"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _errors_into(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _can_edit(request: HttpRequest, product: Product) -> bool:
    return access_of(request).can(product.workspace_id, Role.PRODUCT_MANAGER)


@login_required
def roadmap_list(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's roadmaps, and a form to start one."""
    access = access_of(request)
    minimum = Role.PRODUCT_MANAGER if request.method == "POST" else Role.VIEWER
    product = access.get(Product.objects.select_related("workspace"), minimum, pk=product_id)
    form = RoadmapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if values["kind"] == "technology":
            values["lane_by"] = "layer"
        try:
            roadmap = services.create_roadmap(request.user, product, **values)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            return redirect("roadmaps:detail", roadmap.pk)
    found = Roadmap.objects.filter(product=product).annotate(item_count=Count("items"))
    return render(
        request,
        "roadmaps/list.html",
        {
            "product": product,
            "roadmaps": found,
            "form": form,
            "can_edit": _can_edit(request, product),
        },
        status=422 if form.errors else 200,
    )


#: Rows of the items table shown before "Show all".
TABLE_ROWS = 200


def _view_options(request: HttpRequest) -> tuple[str, list[str]]:
    zoom = request.GET.get("zoom", "month")
    if zoom not in ZOOMS:
        zoom = "month"
    collapsed = [c for c in request.GET.get("collapsed", "").split(",") if c]
    return zoom, collapsed


def _query(zoom: str, collapsed: list[str]) -> str:
    parts = [f"zoom={zoom}"]
    if collapsed:
        parts.append("collapsed=" + ",".join(collapsed))
    return "?" + "&".join(parts)


def board_context(
    request: HttpRequest,
    board: Board,
    *,
    public: bool = False,
    highlight: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """What the roadmap partial needs: the drawing, the lanes to collapse, the rows."""
    zoom, collapsed = _view_options(request)
    layout = board.layout(zoom=zoom, collapsed=collapsed, public=public)  # type: ignore[arg-type]
    svg = render_svg(
        layout, id_prefix="roadmap", highlight=highlight, embed_style=False, role="group"
    )
    lanes = []
    for band in layout.lanes:
        key = band.lane.key
        toggled = [c for c in collapsed if c != key] if band.collapsed else [*collapsed, key]
        lanes.append(
            {
                "key": key,
                "title": band.lane.title,
                "collapsed": band.collapsed,
                "count": band.item_count,
                "query": _query(zoom, toggled),
            }
        )
    ordered = sorted(
        board.entries, key=lambda e: (e.item.first_day or dt.date.max, e.item.title.casefold())
    )
    # The table is the drawing's accessible reading, but a thousand rows of move forms help no
    # one and cost most of the page: the first TABLE_ROWS by date (and what just moved) unless
    # all are asked for.
    everything = request.GET.get("items") == "all"
    rows: list[dict[str, Any]] = [
        {
            "entry": entry,
            "item": entry.item,
            "bucket": None if entry.item.is_dated else bucket_of(entry.item, board.today),
            "moved": entry.key in highlight,
        }
        for index, entry in enumerate(ordered)
        if everything or index < TABLE_ROWS or entry.key in highlight
    ]
    return {
        "roadmap": board.roadmap,
        "svg": mark_safe(svg),  # noqa: S308 - render_svg escapes every text and attribute
        "lanes": lanes,
        "rows": rows,
        "rows_total": len(ordered),
        "rows_hidden": len(ordered) - len(rows),
        "all_items_query": _query(zoom, collapsed) + "&items=all",
        "zoom": zoom,
        "zooms": [(z, _query(z, collapsed)) for z in ZOOMS],
        "has_axis": layout.axis is not None,
        "today": board.today,
    }


@login_required
def roadmap_detail(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """The roadmap drawn, its items as a table, exports, snapshots and share links."""
    roadmap = access_of(request).get(
        Roadmap.objects.select_related("product__workspace"), pk=roadmap_id
    )
    product = roadmap.product
    can_edit = _can_edit(request, product)
    context = board_context(request, services.build(roadmap))
    context.update(
        {
            "product": product,
            "can_edit": can_edit,
            "formats": FORMATS,
            "export_base": f"/api/v1/roadmaps/{roadmap.pk}/export",
        }
    )
    if request.headers.get("HX-Request"):
        return render(request, "roadmaps/roadmap.html#board", context)
    context.update(
        {
            "snapshots": Snapshot.objects.filter(roadmap=roadmap).only("id", "name", "created"),
            "snapshot_form": SnapshotForm(),
            "share_form": ShareForm(),
            "share_links": ShareLink.objects.filter(roadmap=roadmap) if can_edit else [],
            "new_share_url": request.session.pop(f"share-{roadmap.pk}", None),
        }
    )
    return render(request, "roadmaps/roadmap.html", context)


def _editable(request: HttpRequest, roadmap_id: int) -> Roadmap:
    return access_of(request).get(
        Roadmap.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=roadmap_id
    )


@login_required
@require_POST
def move_item(request: HttpRequest, roadmap_id: int, item: str) -> HttpResponse:
    """Move an item (dragged on the drawing, or typed in the table) and what depends on it."""
    roadmap = _editable(request, roadmap_id)
    form = MoveForm(request.POST)
    outcome = None
    problem = ""
    if form.is_valid():
        try:
            outcome = services.move_item(
                request.user, roadmap, item, form.cleaned_data["start"], form.cleaned_data["end"]
            )
        except ValidationError as error:
            problem = " ".join(m for ms in error.message_dict.values() for m in ms)
    else:
        problem = "Give the new start as a date."
    note = problem or _moved_note(outcome)
    if not request.headers.get("HX-Request"):
        (messages.error if problem else messages.success)(request, note)
        return redirect(
            reverse("roadmaps:detail", args=[roadmap.pk]) + _query(*_view_options(request))
        )
    highlight = outcome.keys if outcome else frozenset()
    context = board_context(request, services.build(roadmap), highlight=highlight)
    context.update({"product": roadmap.product, "can_edit": True, "status_note": note})
    return render(request, "roadmaps/roadmap.html#board", context, status=422 if problem else 200)


def _moved_note(outcome: services.MoveOutcome | None) -> str:
    if outcome is None:
        return ""
    moved = outcome.moved
    note = f"Moved “{moved.title}” to {moved.after[0]:%d %b %Y} – {moved.after[1]:%d %b %Y}."
    if outcome.dependants:
        names = ", ".join(f"“{m.title}” ({m.days:+d} days)" for m in outcome.dependants)
        note += f" Also moved what depends on it: {names}."
    return note


@login_required
@require_POST
def take_snapshot(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """Keep the roadmap as it stands."""
    roadmap = _editable(request, roadmap_id)
    form = SnapshotForm(request.POST)
    if form.is_valid():
        services.take_snapshot(request.user, roadmap, form.cleaned_data["name"])
        messages.success(request, f"Snapshot “{form.cleaned_data['name']}” saved.")
    else:
        messages.error(request, "Give the snapshot a name.")
    return redirect("roadmaps:detail", roadmap.pk)


@login_required
def compare(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """What changed between two snapshots, or a snapshot and now."""
    roadmap = access_of(request).get(
        Roadmap.objects.select_related("product__workspace"), pk=roadmap_id
    )
    snapshots = list(Snapshot.objects.filter(roadmap=roadmap).only("id", "name", "created"))
    by_id = {str(s.pk): s for s in snapshots}
    chosen_from = request.GET.get("from") or (str(snapshots[0].pk) if snapshots else "")
    chosen_to = request.GET.get("to", "now")
    diff = None
    if chosen_from in by_id and (chosen_to == "now" or chosen_to in by_id):
        before = Snapshot.objects.get(pk=by_id[chosen_from].pk)
        after = None if chosen_to == "now" else Snapshot.objects.get(pk=by_id[chosen_to].pk)
        diff = services.compare(roadmap, before, after)
    return render(
        request,
        "roadmaps/compare.html",
        {
            "product": roadmap.product,
            "roadmap": roadmap,
            "snapshots": snapshots,
            "chosen_from": chosen_from,
            "chosen_to": chosen_to,
            "diff": diff,
        },
    )


@login_required
@require_POST
def share(request: HttpRequest, roadmap_id: int) -> HttpResponse:
    """Make a read-only link; its URL is shown once, on the next page."""
    roadmap = _editable(request, roadmap_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the expiry as a date.")
        return redirect("roadmaps:detail", roadmap.pk)
    expires = form.cleaned_data["expires"]
    when = dt.datetime.combine(expires, dt.time.max, tzinfo=dt.UTC) if expires else None
    try:
        _, token = services.share(request.user, roadmap, when)
    except ValidationError:
        messages.error(request, "The expiry must be in the future.")
        return redirect("roadmaps:detail", roadmap.pk)
    url = request.build_absolute_uri(reverse("roadmaps:shared", args=[token]))
    request.session[f"share-{roadmap.pk}"] = url
    return redirect(reverse("roadmaps:detail", args=[roadmap.pk]) + "#sharing")


@login_required
@require_POST
def revoke(request: HttpRequest, roadmap_id: int, link_id: int) -> HttpResponse:
    """Revoke a share link."""
    roadmap = _editable(request, roadmap_id)
    link = ShareLink.objects.filter(roadmap=roadmap, pk=link_id).first()
    if link is None:
        raise Http404("No such link.")
    services.revoke(link)
    messages.success(request, "The link is revoked: it now answers “not found”.")
    return redirect(reverse("roadmaps:detail", args=[roadmap.pk]) + "#sharing")


def _public(request: HttpRequest, roadmaps: list[Roadmap], product: Product) -> HttpResponse:
    boards = [board_context(request, services.build(r), public=True) for r in roadmaps]
    response = render(
        request, "roadmaps/public_roadmap.html", {"boards": boards, "public_product": product}
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # keep the token out of other sites' logs
    return response


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A roadmap through its share link: read-only, without internal fields."""
    roadmap = services.shared_roadmap(token)
    return _public(request, [roadmap], roadmap.product)


@require_GET
def portal_roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    """The product's public roadmaps on its portal (404 when the portal is off)."""
    product = Product.objects.filter(slug=slug, portal_enabled=True).first()
    if product is None:
        raise Http404("No such portal.")
    found = list(Roadmap.objects.filter(product=product, public=True).select_related("product"))
    return _public(request, found, product)


# --- Technology radar --------------------------------------------------------------------------


@login_required
def radar(request: HttpRequest, product_id: int) -> HttpResponse:
    """The radar drawn, the blips as a list, what moved since a date, and a form to add one."""
    access = access_of(request)
    minimum = Role.PRODUCT_MANAGER if request.method == "POST" else Role.VIEWER
    product = access.get(Product.objects.select_related("workspace"), minimum, pk=product_id)
    form = BlipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_blip(request.user, product, **form.cleaned_data)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, f"“{form.cleaned_data['name']}” is on the radar.")
            return redirect("roadmaps:radar", product.pk)
    since_text = request.GET.get("since", "")
    try:
        since = services.since_or_default(since_text)
    except ValidationError:
        since = services.since_or_default("")
    found = list(
        RadarBlip.objects.filter(product=product)
        .select_related("owner")
        .prefetch_related(Prefetch("moves", queryset=BlipMove.objects.select_related("by")))
    )
    drawn = services.radar_blips(found)
    layout = layout_radar(drawn, since=since, title=f"{product.name} technology radar")
    numbers = {int(placed.blip.id): placed.number for placed in layout.blips}
    found.sort(key=lambda b: numbers[b.pk])
    svg = render_radar_svg(layout, id_prefix="radar", embed_style=False)
    return render(
        request,
        "roadmaps/radar.html",
        {
            "product": product,
            "svg": mark_safe(svg),  # noqa: S308 - render_radar_svg escapes every text
            "blips": [(numbers[b.pk], b) for b in found],
            "moves": moves_since(drawn, since),
            "since": since,
            "rings": RING_TITLES,
            "quadrants": QUADRANT_TITLES,
            "form": form,
            "ring_form": RingForm(),
            "can_edit": _can_edit(request, product),
            "today": clock.today(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def move_blip(request: HttpRequest, blip_id: int) -> HttpResponse:
    """Move a blip to another ring (kept in its history)."""
    blip = access_of(request).get(
        RadarBlip.objects.select_related("product"), Role.PRODUCT_MANAGER, pk=blip_id
    )
    form = RingForm(request.POST)
    if form.is_valid():
        services.update_blip(request.user, blip, {"ring": form.cleaned_data["ring"]}, None)
        messages.success(request, f"“{blip.name}” is now in {blip.get_ring_display()}.")
    return redirect("roadmaps:radar", blip.product_id)
