"""The plain data a roadmap is made of: items, lanes and the view, with their input checks.

Pure Python with no Django import. ``layout.py`` places these and re-exports them, so callers
may import either module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

ItemKind = Literal["bar", "milestone", "end_of_life", "deprecation"]
Bucket = Literal["now", "next", "later"]
Zoom = Literal["month", "quarter"]

ITEM_KINDS: tuple[ItemKind, ...] = ("bar", "milestone", "end_of_life", "deprecation")
BUCKETS: tuple[Bucket, ...] = ("now", "next", "later")
ZOOMS: tuple[Zoom, ...] = ("month", "quarter")
# Dated items land in "now" when they start within this many days, else in "next" up to the
# second horizon; the horizons follow the usual one-month / one-quarter reading of the buckets.
NOW_HORIZON_DAYS = 30
NEXT_HORIZON_DAYS = 120


class RoadmapInputError(ValueError):
    """Bad roadmap input: names the offending field and, where it helps, the allowed values."""

    def __init__(self, field: str, message: str, allowed: Sequence[str] = ()) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.allowed = tuple(allowed)


@dataclass(frozen=True, slots=True)
class Item:
    """One thing on a roadmap: a dated bar, a point marker, or an undated card.

    A point item (milestone, end of life, deprecation) sits on its end date, or on its start
    date when that is all it has. An item with no date at all goes to its now/next/later bucket.
    """

    id: str
    title: str
    lane: str
    start: date | None = None
    end: date | None = None
    kind: ItemKind = "bar"
    at_risk: bool = False
    url: str | None = None
    depends_on: tuple[str, ...] = ()
    bucket: Bucket | None = None
    status: str | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ITEM_KINDS:
            raise RoadmapInputError("kind", f"Unknown item kind {self.kind!r}.", ITEM_KINDS)
        if self.bucket is not None and self.bucket not in BUCKETS:
            raise RoadmapInputError("bucket", f"Unknown bucket {self.bucket!r}.", BUCKETS)
        if self.start is not None and self.end is not None and self.end < self.start:
            raise RoadmapInputError("end", "The end date is before the start date.")

    @property
    def is_dated(self) -> bool:
        """Whether the item has at least one date and so belongs on the time axis."""
        return self.start is not None or self.end is not None

    @property
    def first_day(self) -> date | None:
        """The first day the item covers (its start, else its end)."""
        return self.start if self.start is not None else self.end

    @property
    def last_day(self) -> date | None:
        """The last day the item covers, inclusive (its end, else its start)."""
        return self.end if self.end is not None else self.start


@dataclass(frozen=True, slots=True)
class Lane:
    """A horizontal band of the roadmap (a goal, team, component, layer...)."""

    key: str
    title: str
    order: int = 0


TECHNOLOGY_LAYERS: tuple[Lane, ...] = (
    Lane("market", "Market & customer", 0),
    Lane("capability", "Product capability", 1),
    Lane("platform", "Platform & architecture", 2),
    Lane("infrastructure", "Infrastructure", 3),
    Lane("tech_debt", "Tech debt, security & compliance", 4),
    Lane("resources", "Resources & skills", 5),
)


@dataclass(frozen=True, slots=True)
class View:
    """How to look at a roadmap: today's date, zoom, visible range and collapsed lanes.

    ``start``/``end`` fix the visible range (widened to whole months or quarters); without
    them the range covers every dated item, and items outside a fixed range are clipped.
    """

    today: date
    zoom: Zoom = "month"
    start: date | None = None
    end: date | None = None
    collapsed: frozenset[str] = frozenset()
    title: str = "Roadmap"

    def __post_init__(self) -> None:
        if self.zoom not in ZOOMS:
            raise RoadmapInputError("zoom", f"Unknown zoom {self.zoom!r}.", ZOOMS)
        if self.start is not None and self.end is not None and self.end < self.start:
            raise RoadmapInputError("end", "The end of the range is before its start.")


def bucket_of(item: Item, today: date) -> Bucket:
    """The item's bucket: its own, else by how soon it starts, else "later" when undated."""
    if item.bucket is not None:
        return item.bucket
    first = item.first_day
    if first is None:
        return "later"
    days_away = (first - today).days
    if days_away <= NOW_HORIZON_DAYS:
        return "now"
    if days_away <= NEXT_HORIZON_DAYS:
        return "next"
    return "later"
