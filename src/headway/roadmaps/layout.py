"""Roadmap layout: where every bar, marker, card and arrow goes, as plain numbers.

Pure Python with no Django import. The SVG renderer (``svg.py``) draws exactly what this module
places, and the web page reads the same numbers (``data-pixels-per-day``) to turn a dragged bar
into new dates, so there is one source of geometry for the page and for every export.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from headway.roadmaps.items import (
    BUCKETS,
    ITEM_KINDS,
    TECHNOLOGY_LAYERS,
    ZOOMS,
    Bucket,
    Item,
    ItemKind,
    Lane,
    RoadmapInputError,
    View,
    Zoom,
    bucket_of,
)

__all__ = [
    "BUCKETS",
    "ITEM_KINDS",
    "TECHNOLOGY_LAYERS",
    "ZOOMS",
    "Bucket",
    "Item",
    "ItemKind",
    "Lane",
    "RoadmapInputError",
    "View",
    "Zoom",
    "bucket_of",
]

LayoutKind = Literal["timeline", "now_next_later", "technology"]
Shape = Literal["bar", "milestone", "end_of_life", "deprecation", "card"]
Point = tuple[float, float]

BUCKET_TITLES: dict[Bucket, str] = {"now": "Now", "next": "Next", "later": "Later"}
LAYOUT_KINDS: tuple[LayoutKind, ...] = ("timeline", "now_next_later", "technology")

# Geometry, in SVG user units (pixels at 100 %).
MARGIN = 16.0
LANE_LABEL_WIDTH = 184.0
HEADER_HEIGHT = 44.0
ROW_HEIGHT = 26.0
BAR_HEIGHT = 18.0
LANE_PADDING = 6.0
ROW_GAP = 4.0
MIN_BAR_WIDTH = 3.0
MARKER_SIZE = 14.0
MARKER_LABEL_MAX = 120.0
FONT_SIZE = 11.0
CARD_WIDTH = 220.0
CARD_HEIGHT = 40.0
CARD_GAP = 6.0
SECTION_TITLE_HEIGHT = 28.0
PIXELS_PER_DAY: dict[Zoom, float] = {"month": 4.0, "quarter": 1.0}


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of the time axis: one month or one quarter."""

    start: date
    x: float
    width: float
    label: str


@dataclass(frozen=True, slots=True)
class TimeAxis:
    """The horizontal time scale: days from ``start`` (inclusive) to ``stop`` (exclusive)."""

    start: date
    stop: date
    zoom: Zoom
    x0: float
    pixels_per_day: float
    months: tuple[Span, ...]
    quarters: tuple[Span, ...]
    today: date
    today_x: float | None

    @property
    def x1(self) -> float:
        """The right edge of the axis."""
        return self.x_of(self.stop)

    def x_of(self, day: date) -> float:
        """The x of the start of ``day`` (not clamped to the axis)."""
        return self.x0 + (day - self.start).days * self.pixels_per_day

    def day_at(self, x: float) -> date:
        """The day under ``x``, clamped to the axis; used to turn a drop position into a date."""
        days = math.floor((x - self.x0) / self.pixels_per_day)
        last = (self.stop - self.start).days - 1
        return self.start + timedelta(days=min(max(days, 0), last))


@dataclass(frozen=True, slots=True)
class PlacedItem:
    """An item with its box; ``text_room`` is the width available for its title."""

    item: Item
    shape: Shape
    x: float
    y: float
    width: float
    height: float
    lane: str
    row: int
    text_room: float
    clipped: bool = False

    @property
    def right(self) -> float:
        """The right edge of the box."""
        return self.x + self.width

    @property
    def cy(self) -> float:
        """The vertical middle of the box."""
        return self.y + self.height / 2


@dataclass(frozen=True, slots=True)
class LaneBand:
    """A lane's place on the page; a collapsed lane has one summary row."""

    lane: Lane
    y: float
    height: float
    rows: int
    collapsed: bool
    item_count: int


@dataclass(frozen=True, slots=True)
class PlacedSummary:
    """What stands in for the items of a collapsed lane (per bucket on a now/next/later board)."""

    lane: str
    x: float
    y: float
    width: float
    height: float
    count: int
    at_risk_count: int
    bucket: Bucket | None = None


@dataclass(frozen=True, slots=True)
class BucketColumn:
    """A now / next / later column header and the area its cards occupy."""

    bucket: Bucket
    title: str
    x: float
    y: float
    width: float
    height: float
    count: int


@dataclass(frozen=True, slots=True)
class Arrow:
    """A dependency drawn as a cubic Bézier (start, control 1, control 2, end).

    ``conflict`` is set when the dependant starts before its prerequisite ends.
    """

    from_id: str
    to_id: str
    points: tuple[Point, Point, Point, Point]
    conflict: bool


@dataclass(frozen=True, slots=True)
class RoadmapLayout:
    """Everything the renderer needs, already positioned."""

    kind: LayoutKind
    title: str
    width: float
    height: float
    axis: TimeAxis | None
    lanes: tuple[LaneBand, ...]
    items: tuple[PlacedItem, ...]
    summaries: tuple[PlacedSummary, ...]
    columns: tuple[BucketColumn, ...]
    arrows: tuple[Arrow, ...]
    lanes_top: float
    lanes_bottom: float

    def lane_title(self, key: str) -> str:
        """The title of the lane with ``key`` (the key itself when unknown)."""
        for band in self.lanes:
            if band.lane.key == key:
                return band.lane.title
        return key


def estimate_text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """A slightly generous width of ``text`` in a sans-serif font; no font metrics are at hand."""
    if text.isascii():
        return len(text) * font_size * 0.6
    width = 0.0
    for char in text:
        if unicodedata.combining(char):
            continue
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        width += font_size * (1.0 if wide else 0.6)
    return width


def layout_roadmap(
    kind: str, items: Sequence[Item], lanes: Sequence[Lane], view: View
) -> RoadmapLayout:
    """Lay out a roadmap of any kind, checking ``kind`` as given by a user."""
    if kind == "timeline":
        return layout_timeline(items, lanes, view)
    if kind == "technology":
        return layout_technology(items, view)
    if kind == "now_next_later":
        return layout_now_next_later(items, lanes, view)
    raise RoadmapInputError("kind", f"Unknown roadmap kind {kind!r}.", LAYOUT_KINDS)


def layout_timeline(items: Sequence[Item], lanes: Sequence[Lane], view: View) -> RoadmapLayout:
    """Dated items as bars and markers in lanes on a time axis; undated ones in buckets below."""
    return _layout_on_axis("timeline", items, lanes, view)


def layout_technology(items: Sequence[Item], view: View) -> RoadmapLayout:
    """A timeline whose lanes are the fixed technology layers, market first, resources last."""
    return _layout_on_axis("technology", items, TECHNOLOGY_LAYERS, view)


def layout_now_next_later(
    items: Sequence[Item], lanes: Sequence[Lane], view: View
) -> RoadmapLayout:
    """Three columns of cards (now, next, later) with one row per lane; no time axis."""
    ordered_lanes = _checked(items, lanes, view)
    column_x = {
        bucket: MARGIN + LANE_LABEL_WIDTH + index * (CARD_WIDTH + 2 * CARD_GAP)
        for index, bucket in enumerate(BUCKETS)
    }
    cells: dict[tuple[str, Bucket], list[Item]] = {}
    for item in items:
        cells.setdefault((item.lane, bucket_of(item, view.today)), []).append(item)
    placed: list[PlacedItem] = []
    summaries: list[PlacedSummary] = []
    bands: list[LaneBand] = []
    lanes_top = y = MARGIN + SECTION_TITLE_HEIGHT
    for lane in ordered_lanes:
        is_collapsed = lane.key in view.collapsed
        lane_cells = {b: _sorted_cards(cells.get((lane.key, b), [])) for b in BUCKETS}
        rows = 1 if is_collapsed else max(1, *(len(cards) for cards in lane_cells.values()))
        height = rows * (CARD_HEIGHT + CARD_GAP) - CARD_GAP + 2 * LANE_PADDING
        for bucket, cards in lane_cells.items():
            x, top = column_x[bucket] + CARD_GAP, y + LANE_PADDING
            if is_collapsed and cards:
                at_risk = sum(card.at_risk for card in cards)
                box = (x, top, CARD_WIDTH, CARD_HEIGHT)
                summaries.append(PlacedSummary(lane.key, *box, len(cards), at_risk, bucket))
            elif not is_collapsed:
                for row, card in enumerate(cards):
                    row_top = top + row * (CARD_HEIGHT + CARD_GAP)
                    placed.append(_card(card, x, row_top, CARD_WIDTH, row))
        count = sum(len(cards) for cards in lane_cells.values())
        bands.append(LaneBand(lane, y, height, rows, is_collapsed, count))
        y += height
    counts = {b: sum(len(cells.get((lane.key, b), [])) for lane in ordered_lanes) for b in BUCKETS}
    column_width = CARD_WIDTH + 2 * CARD_GAP
    columns = tuple(
        BucketColumn(b, BUCKET_TITLES[b], column_x[b], MARGIN, column_width, y - MARGIN, counts[b])
        for b in BUCKETS
    )
    anchors = {p.item.id: _Anchor(p.x, p.right, p.cy, p.item) for p in placed}
    arrows = _arrows(items, anchors, frozenset())
    width = _wide_enough(column_x["later"] + CARD_WIDTH + 2 * CARD_GAP + MARGIN, arrows)
    return RoadmapLayout(
        "now_next_later", view.title, width, y + MARGIN, None, tuple(bands), tuple(placed),
        tuple(summaries), columns, arrows, lanes_top, y,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Anchor:
    """Where arrows attach to an item: its left and right edges at its vertical middle."""

    left: float
    right: float
    cy: float
    item: Item


@dataclass(frozen=True, slots=True)
class _Span:
    """An item's horizontal placement before it gets a row."""

    item: Item
    x: float
    width: float
    reach: float  # right edge of everything drawn for the item, marker labels included
    text_room: float
    clipped: bool


def _layout_on_axis(
    kind: LayoutKind, items: Sequence[Item], lanes: Sequence[Lane], view: View
) -> RoadmapLayout:
    ordered_lanes = _checked(items, lanes, view)
    dated = [item for item in items if item.is_dated]
    axis = _build_axis(dated, view)
    spans_by_lane: dict[str, list[_Span]] = {}
    for item in dated:
        spans_by_lane.setdefault(item.lane, []).append(_span(item, axis))

    placed: list[PlacedItem] = []
    summaries: list[PlacedSummary] = []
    bands: list[LaneBand] = []
    anchors: dict[str, _Anchor] = {}
    lanes_top = y = MARGIN + HEADER_HEIGHT
    for lane in ordered_lanes:
        spans = spans_by_lane.get(lane.key, [])
        rows = 1
        if lane.key in view.collapsed:
            # Arrows still attach where the hidden items sit in time, on the summary row.
            middle = y + LANE_PADDING + ROW_HEIGHT / 2
            for s in spans:
                anchors[s.item.id] = _Anchor(s.x, s.x + s.width, middle, s.item)
            if spans:
                left = min(s.x for s in spans)
                box = (left, middle - BAR_HEIGHT / 2, max(s.x + s.width for s in spans) - left)
                at_risk = sum(s.item.at_risk for s in spans)
                summaries.append(PlacedSummary(lane.key, *box, BAR_HEIGHT, len(spans), at_risk))
        else:
            row_of, rows = _assign_rows(spans)
            for s, row in zip(spans, row_of, strict=True):
                p = _place_on_row(s, lane.key, y + LANE_PADDING + row * ROW_HEIGHT, row)
                placed.append(p)
                anchors[s.item.id] = _Anchor(p.x, p.right, p.cy, s.item)
        rows = max(rows, 1)
        height = rows * ROW_HEIGHT + 2 * LANE_PADDING
        bands.append(LaneBand(lane, y, height, rows, lane.key in view.collapsed, len(spans)))
        y += height
    lanes_bottom = y
    content_right = max(axis.x1, MARGIN + 3 * CARD_WIDTH + 4 * CARD_GAP)
    undated = [item for item in items if not item.is_dated]
    columns: tuple[BucketColumn, ...] = ()
    if undated:
        columns, cards, y = _bucket_section(undated, view.today, y + MARGIN, content_right)
        placed.extend(cards)
    arrows = _arrows(items, anchors, view.collapsed)
    width = _wide_enough(content_right + MARKER_LABEL_MAX + MARGIN, arrows)
    return RoadmapLayout(
        kind, view.title, width, y + MARGIN, axis,
        tuple(bands), tuple(placed), tuple(summaries), columns, arrows, lanes_top, lanes_bottom,
    )  # fmt: skip


def _checked(items: Sequence[Item], lanes: Sequence[Lane], view: View) -> list[Lane]:
    """The lanes in display order, after checking lanes, items and collapsed lanes agree."""
    lane_keys = [lane.key for lane in lanes]
    known = set(lane_keys)
    if len(known) != len(lane_keys):
        twice = next(key for key in lane_keys if lane_keys.count(key) > 1)
        raise RoadmapInputError("lanes", f"The lane {twice!r} is listed twice.")
    seen: set[str] = set()
    for item in items:
        if item.lane not in known:
            raise RoadmapInputError("lane", f"Unknown lane {item.lane!r}.", lane_keys)
        if item.id in seen:
            raise RoadmapInputError("items", f"The item {item.id!r} is listed twice.")
        seen.add(item.id)
    unknown = sorted(view.collapsed - known)
    if unknown:
        raise RoadmapInputError("collapsed", f"Unknown lane {unknown[0]!r}.", lane_keys)
    # Python's sort is stable, so lanes with equal order keep the caller's sequence.
    return sorted(lanes, key=lambda lane: lane.order)


def _month_floor(day: date) -> date:
    return day.replace(day=1)


def _quarter_floor(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _build_axis(dated: Sequence[Item], view: View) -> TimeAxis:
    today, zoom, start, end = view.today, view.zoom, view.start, view.end
    firsts = [d for item in dated if (d := item.first_day) is not None]
    lasts = [d for item in dated if (d := item.last_day) is not None]
    low = start if start is not None else min(firsts, default=today)
    high = end if end is not None else max(lasts, default=today)
    if high < low:  # only one bound was given and the items lie on the other side of it
        low, high = (low, low) if start is not None else (high, high)
    step = 1 if zoom == "month" else 3
    floor = _month_floor if zoom == "month" else _quarter_floor
    axis_start = floor(low)
    axis_stop = _add_months(floor(high), step)
    ppd = PIXELS_PER_DAY[zoom]
    x0 = MARGIN + LANE_LABEL_WIDTH

    def x_of(day: date) -> float:
        return x0 + (day - axis_start).days * ppd

    months: list[Span] = []
    cursor = axis_start
    while cursor < axis_stop:
        following = _add_months(cursor, 1)
        width = x_of(following) - x_of(cursor)
        label = cursor.strftime("%b")
        if estimate_text_width(label) + 6 > width:
            label = label[0]
        months.append(Span(cursor, x_of(cursor), width, label))
        cursor = following
    quarters: list[Span] = []
    cursor = _quarter_floor(axis_start)
    while cursor < axis_stop:
        following = _add_months(cursor, 3)
        left, right = max(x_of(cursor), x0), x_of(min(following, axis_stop))
        label = f"Q{(cursor.month - 1) // 3 + 1} {cursor.year}"
        quarters.append(Span(cursor, left, right - left, label))
        cursor = following
    inside = axis_start <= today < axis_stop
    return TimeAxis(
        start=axis_start,
        stop=axis_stop,
        zoom=zoom,
        x0=x0,
        pixels_per_day=ppd,
        months=tuple(months),
        quarters=tuple(quarters),
        today=today,
        today_x=x_of(today) + ppd / 2 if inside else None,
    )


def _span(item: Item, axis: TimeAxis) -> _Span:
    first, last = item.first_day, item.last_day
    if first is None or last is None:  # callers pass dated items only
        raise RoadmapInputError("start", f"The item {item.id!r} has no date.")
    x0, x1 = axis.x0, axis.x1
    clipped = first < axis.start or last >= axis.stop
    if item.kind == "bar":
        left = min(max(axis.x_of(first), x0), x1)
        right = min(max(axis.x_of(last + timedelta(days=1)), x0), x1)
        width = max(right - left, MIN_BAR_WIDTH)
        left = min(left, x1 - width)
        return _Span(item, left, width, left + width, width - 8, clipped)
    # A point marker sits in the middle of its day; its label runs to its right.
    centre = min(max(axis.x_of(last) + axis.pixels_per_day / 2, x0), x1)
    label_width = min(estimate_text_width(item.title), MARKER_LABEL_MAX)
    left = centre - MARKER_SIZE / 2
    reach = centre + MARKER_SIZE / 2 + 4 + label_width
    return _Span(item, left, MARKER_SIZE, reach, label_width, clipped)


def _assign_rows(spans: Sequence[_Span]) -> tuple[list[int], int]:
    """First-fit interval colouring in order of left edge: the fewest rows with no overlap."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].x, spans[i].reach, spans[i].item.id))
    row_of = [0] * len(spans)
    busy: list[tuple[float, int]] = []  # (reach of the row's last item, row)
    free: list[int] = []
    rows = 0
    for index in order:
        span = spans[index]
        while busy and busy[0][0] + ROW_GAP <= span.x:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        else:
            row, rows = rows, rows + 1
        row_of[index] = row
        heapq.heappush(busy, (span.reach, row))
    return row_of, rows


def _place_on_row(span: _Span, lane: str, row_top: float, row: int) -> PlacedItem:
    height = BAR_HEIGHT if span.item.kind == "bar" else MARKER_SIZE
    y = row_top + (ROW_HEIGHT - height) / 2
    shape: Shape = span.item.kind
    return PlacedItem(
        span.item, shape, span.x, y, span.width, height, lane, row, span.text_room, span.clipped
    )


def _card(item: Item, x: float, y: float, width: float, row: int) -> PlacedItem:
    return PlacedItem(item, "card", x, y, width, CARD_HEIGHT, item.lane, row, width - 16)


def _sorted_cards(items: Sequence[Item]) -> list[Item]:
    return sorted(items, key=lambda item: (item.title.casefold(), item.id))


def _bucket_section(
    undated: Sequence[Item], today: date, top: float, right: float
) -> tuple[tuple[BucketColumn, ...], list[PlacedItem], float]:
    """Undated items as cards in three columns, wrapped into a grid inside each column."""
    column_width = (right - MARGIN - 2 * CARD_GAP * 2) / 3
    per_line = max(1, int((column_width + CARD_GAP) // (CARD_WIDTH + CARD_GAP)))
    card_width = (column_width - (per_line - 1) * CARD_GAP) / per_line
    by_bucket: dict[Bucket, list[Item]] = {b: [] for b in BUCKETS}
    for item in undated:
        by_bucket[bucket_of(item, today)].append(item)
    cards_top = top + SECTION_TITLE_HEIGHT
    columns: list[BucketColumn] = []
    cards: list[PlacedItem] = []
    bottom = cards_top + CARD_HEIGHT
    for index, bucket in enumerate(BUCKETS):
        x = MARGIN + index * (column_width + 2 * CARD_GAP)
        members = _sorted_cards(by_bucket[bucket])
        for position, item in enumerate(members):
            line, slot = divmod(position, per_line)
            card_x = x + slot * (card_width + CARD_GAP)
            card_y = cards_top + line * (CARD_HEIGHT + CARD_GAP)
            cards.append(_card(item, card_x, card_y, card_width, line))
            bottom = max(bottom, card_y + CARD_HEIGHT)
        columns.append(
            BucketColumn(bucket, BUCKET_TITLES[bucket], x, top, column_width, 0.0, len(members))
        )
    height = bottom - top
    sized = tuple(
        BucketColumn(c.bucket, c.title, c.x, c.y, c.width, height, c.count) for c in columns
    )
    return sized, cards, bottom


def _arrows(
    items: Sequence[Item], anchors: dict[str, _Anchor], collapsed_lanes: frozenset[str]
) -> tuple[Arrow, ...]:
    """One arrow per dependency with both ends drawn and at least one in an open lane."""
    arrows: list[Arrow] = []
    for item in items:
        target = anchors.get(item.id)
        if target is None:
            continue
        for prerequisite_id in item.depends_on:
            source = anchors.get(prerequisite_id)
            if source is None or source is target:
                continue
            # Collapsing lanes is how a reader hides detail: arrows among hidden items go too.
            if source.item.lane in collapsed_lanes and target.item.lane in collapsed_lanes:
                continue
            arrows.append(_arrow(source, target))
    return tuple(arrows)


def _wide_enough(width: float, arrows: Sequence[Arrow]) -> float:
    """``width``, widened so that arrows bending round to the right are not cut off."""
    # A Bézier curve stays inside the hull of its control points.
    return max([width, *(x + MARGIN for arrow in arrows for x, _ in arrow.points)])


def _arrow(source: _Anchor, target: _Anchor) -> Arrow:
    x1, y1 = source.right, source.cy
    prerequisite_end = source.item.last_day
    dependant_start = target.item.first_day
    conflict = False
    if prerequisite_end is not None and dependant_start is not None:
        # Bars cover whole days, so a bar may only start the day after its prerequisite ends;
        # a point marker may share the day.
        both_bars = source.item.kind == "bar" and target.item.kind == "bar"
        same_day = dependant_start == prerequisite_end
        conflict = dependant_start < prerequisite_end or (both_bars and same_day)
    if target.left >= x1:
        x2, y2 = target.left, target.cy
        reach = max(24.0, (x2 - x1) / 2)
        points = ((x1, y1), (x1 + reach, y1), (x2 - reach, y2), (x2, y2))
    else:
        # The dependant starts left of where the prerequisite ends (a conflict, or a card in
        # the same column): bend round to its right edge instead of cutting through both.
        x2, y2 = target.right, target.cy
        reach = 24.0 + abs(x1 - x2) / 4
        edge = max(x1, x2) + reach
        points = ((x1, y1), (edge, y1), (edge, y2), (x2, y2))
    return Arrow(source.item.id, target.item.id, points, conflict)
