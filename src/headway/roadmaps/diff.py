"""What changed between two states of a roadmap: items added, dropped, moved, changed lane.

Pure Python with no Django import. A snapshot is stored as JSON records (``snapshot_records``)
and read back with ``items_from_records``; ``diff_roadmaps`` compares any two states, and its
result turns into JSON-ready data with ``RoadmapDiff.to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from headway.roadmaps.layout import Item, RoadmapInputError

JsonRecord = dict[str, Any]


class RoadmapEntry(Protocol):
    """Anything with the fields a diff compares (``Item`` is one)."""

    @property
    def id(self) -> str:
        """The item's id, stable across snapshots."""

    @property
    def title(self) -> str:
        """The item's title as shown."""

    @property
    def lane(self) -> str:
        """The key of the lane the item sits in."""

    @property
    def start(self) -> date | None:
        """The first day, if dated."""

    @property
    def end(self) -> date | None:
        """The last day (inclusive), if dated."""


@dataclass(frozen=True, slots=True)
class EntryRef:
    """An item as it stood on one side of the comparison."""

    id: str
    title: str
    lane: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Moved:
    """An item whose dates changed; the day counts are None where a side had no date."""

    id: str
    title: str
    start_before: date | None
    start_after: date | None
    end_before: date | None
    end_after: date | None
    start_days: int | None
    end_days: int | None


@dataclass(frozen=True, slots=True)
class LaneChange:
    """An item that moved from one lane to another."""

    id: str
    title: str
    from_lane: str
    to_lane: str


@dataclass(frozen=True, slots=True)
class RoadmapDiff:
    """The changes from one roadmap state to another, each list ordered by title."""

    added: tuple[EntryRef, ...]
    dropped: tuple[EntryRef, ...]
    moved: tuple[Moved, ...]
    changed_lane: tuple[LaneChange, ...]

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.dropped or self.moved or self.changed_lane)

    def to_dict(self) -> JsonRecord:
        """The diff as JSON-ready data (dates as ISO 8601 strings)."""
        return {
            "added": [_ref_record(ref) for ref in self.added],
            "dropped": [_ref_record(ref) for ref in self.dropped],
            "moved": [
                {
                    "id": m.id,
                    "title": m.title,
                    "start_before": _iso(m.start_before),
                    "start_after": _iso(m.start_after),
                    "end_before": _iso(m.end_before),
                    "end_after": _iso(m.end_after),
                    "start_days": m.start_days,
                    "end_days": m.end_days,
                }
                for m in self.moved
            ],
            "changed_lane": [
                {"id": c.id, "title": c.title, "from_lane": c.from_lane, "to_lane": c.to_lane}
                for c in self.changed_lane
            ],
        }


def diff_roadmaps(before: Iterable[RoadmapEntry], after: Iterable[RoadmapEntry]) -> RoadmapDiff:
    """Compare two roadmap states by item id.

    An item whose start or end changed is ``moved`` (by signed days: positive is later); one
    that also changed lane appears in both ``moved`` and ``changed_lane``.
    """
    old = _by_id(before, "before")
    new = _by_id(after, "after")
    added = [_ref(new[key]) for key in new.keys() - old.keys()]
    dropped = [_ref(old[key]) for key in old.keys() - new.keys()]
    moved: list[Moved] = []
    changed_lane: list[LaneChange] = []
    for key in old.keys() & new.keys():
        was, now = old[key], new[key]
        if (was.start, was.end) != (now.start, now.end):
            moved.append(
                Moved(
                    now.id,
                    now.title,
                    was.start,
                    now.start,
                    was.end,
                    now.end,
                    _days(was.start, now.start),
                    _days(was.end, now.end),
                )
            )
        if was.lane != now.lane:
            changed_lane.append(LaneChange(now.id, now.title, was.lane, now.lane))
    return RoadmapDiff(
        added=tuple(sorted(added, key=_order)),
        dropped=tuple(sorted(dropped, key=_order)),
        moved=tuple(sorted(moved, key=_order)),
        changed_lane=tuple(sorted(changed_lane, key=_order)),
    )


def snapshot_records(items: Sequence[Item]) -> list[JsonRecord]:
    """Items as JSON-ready records, to keep a roadmap as it stands in a snapshot."""
    return [
        {
            "id": item.id,
            "title": item.title,
            "lane": item.lane,
            "start": _iso(item.start),
            "end": _iso(item.end),
            "kind": item.kind,
            "at_risk": item.at_risk,
            "url": item.url,
            "depends_on": list(item.depends_on),
            "bucket": item.bucket,
            "status": item.status,
            "label": item.label,
        }
        for item in items
    ]


def items_from_records(records: Iterable[Mapping[str, Any]]) -> list[Item]:
    """Items read back from snapshot records; a bad record names its index and field."""
    items: list[Item] = []
    for index, record in enumerate(records):
        where = f"items[{index}]"
        try:
            items.append(
                Item(
                    id=_text(record, "id", where),
                    title=_text(record, "title", where),
                    lane=_text(record, "lane", where),
                    start=_date(record, "start", where),
                    end=_date(record, "end", where),
                    kind=record.get("kind") or "bar",
                    at_risk=bool(record.get("at_risk", False)),
                    url=_optional_text(record, "url", where),
                    depends_on=tuple(str(ref) for ref in record.get("depends_on") or ()),
                    bucket=record.get("bucket") or None,
                    status=_optional_text(record, "status", where),
                    label=_optional_text(record, "label", where),
                )
            )
        except RoadmapInputError as error:
            if error.field.startswith(where):
                raise
            raise RoadmapInputError(
                f"{where}.{error.field}", error.message, error.allowed
            ) from None
    return items


def _by_id(entries: Iterable[RoadmapEntry], side: str) -> dict[str, RoadmapEntry]:
    found: dict[str, RoadmapEntry] = {}
    for entry in entries:
        if entry.id in found:
            raise RoadmapInputError(side, f"The item {entry.id!r} is listed twice.")
        found[entry.id] = entry
    return found


def _ref(entry: RoadmapEntry) -> EntryRef:
    return EntryRef(entry.id, entry.title, entry.lane, entry.start, entry.end)


def _order(change: EntryRef | Moved | LaneChange) -> tuple[str, str]:
    return (change.title.casefold(), change.id)


def _days(was: date | None, now: date | None) -> int | None:
    if was is None or now is None:
        return None
    return (now - was).days


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _ref_record(ref: EntryRef) -> JsonRecord:
    return {
        "id": ref.id,
        "title": ref.title,
        "lane": ref.lane,
        "start": _iso(ref.start),
        "end": _iso(ref.end),
    }


def _text(record: Mapping[str, Any], key: str, where: str) -> str:
    value = record.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise RoadmapInputError(f"{where}.{key}", f"The {key} must be text.")
    return str(value)


def _optional_text(record: Mapping[str, Any], key: str, where: str) -> str | None:
    if record.get(key) is None:
        return None
    return _text(record, key, where)


def _date(record: Mapping[str, Any], key: str, where: str) -> date | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        message = f"{value!r} is not a date in the form YYYY-MM-DD."
        raise RoadmapInputError(f"{where}.{key}", message) from None
