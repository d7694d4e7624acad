"""Tests for comparing roadmap states (snapshots): added, dropped, moved, changed lane."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.roadmaps.diff import (
    EntryRef,
    LaneChange,
    Moved,
    diff_roadmaps,
    items_from_records,
    snapshot_records,
)
from headway.roadmaps.layout import Item, RoadmapInputError

JAN = date(2025, 1, 1)


def test_added_dropped_moved_and_changed_lane_are_reported() -> None:
    before = [
        Item("1", "Checkout", "pay", JAN, JAN + timedelta(days=30)),
        Item("2", "Invoices", "pay", JAN, JAN + timedelta(days=10)),
        Item("3", "Old report", "data"),
        Item("4", "Search", "data", JAN, JAN + timedelta(days=5)),
    ]
    after = [
        Item("1", "Checkout", "pay", JAN + timedelta(days=14), JAN + timedelta(days=51)),
        Item("2", "Invoices", "billing", JAN, JAN + timedelta(days=10)),
        Item("4", "Search", "data", JAN, JAN + timedelta(days=5)),
        Item("5", "Dashboards", "data", bucket="next"),
    ]
    diff = diff_roadmaps(before, after)
    assert diff.added == (EntryRef("5", "Dashboards", "data", None, None),)
    assert diff.dropped == (EntryRef("3", "Old report", "data", None, None),)
    assert diff.moved == (
        Moved(
            "1",
            "Checkout",
            JAN,
            JAN + timedelta(days=14),
            JAN + timedelta(days=30),
            JAN + timedelta(days=51),
            14,
            21,
        ),
    )
    assert diff.changed_lane == (LaneChange("2", "Invoices", "pay", "billing"),)
    assert not diff.is_empty


def test_moving_earlier_gives_negative_days() -> None:
    before = [Item("1", "X", "a", JAN, JAN + timedelta(days=9))]
    after = [Item("1", "X", "a", JAN - timedelta(days=7), JAN + timedelta(days=2))]
    (moved,) = diff_roadmaps(before, after).moved
    assert (moved.start_days, moved.end_days) == (-7, -7)


def test_gaining_or_losing_dates_is_a_move_without_a_day_count() -> None:
    before = [Item("1", "X", "a"), Item("2", "Y", "a", JAN, JAN)]
    after = [Item("1", "X", "a", JAN, JAN + timedelta(days=3)), Item("2", "Y", "a", end=JAN)]
    moved = {m.id: m for m in diff_roadmaps(before, after).moved}
    assert (moved["1"].start_days, moved["1"].end_days) == (None, None)
    assert (moved["1"].start_after, moved["1"].end_after) == (JAN, JAN + timedelta(days=3))
    assert (moved["2"].start_days, moved["2"].end_days) == (None, 0)


def test_an_item_that_moved_and_changed_lane_is_in_both_lists() -> None:
    before = [Item("1", "X", "a", JAN, JAN)]
    after = [Item("1", "X renamed", "b", JAN + timedelta(days=1), JAN + timedelta(days=1))]
    diff = diff_roadmaps(before, after)
    assert [m.id for m in diff.moved] == ["1"] and [c.id for c in diff.changed_lane] == ["1"]
    assert diff.moved[0].title == "X renamed"


def test_a_renamed_item_that_did_not_move_is_not_a_change() -> None:
    assert diff_roadmaps(
        [Item("1", "Old", "a", JAN, JAN)], [Item("1", "New", "a", JAN, JAN)]
    ).is_empty


def test_results_are_ordered_by_title() -> None:
    after = [Item(str(n), title, "a") for n, title in enumerate(["beta", "Alpha", "gamma"])]
    assert [ref.title for ref in diff_roadmaps([], after).added] == ["Alpha", "beta", "gamma"]


def test_the_diff_dumps_to_json_with_iso_dates() -> None:
    before = [Item("1", "X", "a", JAN, JAN + timedelta(days=3)), Item("2", "Gone", "a")]
    after = [
        Item("1", "X", "b", JAN + timedelta(days=7), JAN + timedelta(days=10)),
        Item("3", "New", "a", JAN, JAN),
    ]
    data = json.loads(json.dumps(diff_roadmaps(before, after).to_dict()))
    assert data["moved"] == [
        {
            "id": "1",
            "title": "X",
            "start_before": "2025-01-01",
            "start_after": "2025-01-08",
            "end_before": "2025-01-04",
            "end_after": "2025-01-11",
            "start_days": 7,
            "end_days": 7,
        }
    ]
    assert data["added"] == [
        {"id": "3", "title": "New", "lane": "a", "start": "2025-01-01", "end": "2025-01-01"}
    ]
    assert data["dropped"][0]["start"] is None
    assert data["changed_lane"] == [{"id": "1", "title": "X", "from_lane": "a", "to_lane": "b"}]


def test_a_state_listing_an_item_twice_is_refused() -> None:
    with pytest.raises(RoadmapInputError) as error:
        diff_roadmaps([Item("1", "X", "a"), Item("1", "Y", "a")], [])
    assert error.value.field == "before"


@st.composite
def states(draw: st.DrawFn) -> list[Item]:
    ids = draw(st.sets(st.integers(0, 30), max_size=20))
    items = []
    for item_id in sorted(ids):
        start = draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 12, 31))))
        length = draw(st.integers(0, 90))
        end = start + timedelta(days=length) if start is not None else None
        lane = draw(st.sampled_from(["a", "b", "c"]))
        items.append(Item(str(item_id), f"Item {item_id}", lane, start, end))
    return items


@settings(max_examples=150, deadline=None)
@given(before=states(), after=states())
def test_the_diff_accounts_for_every_item(before: list[Item], after: list[Item]) -> None:
    diff = diff_roadmaps(before, after)
    old = {item.id: item for item in before}
    new = {item.id: item for item in after}
    assert {ref.id for ref in diff.added} == new.keys() - old.keys()
    assert {ref.id for ref in diff.dropped} == old.keys() - new.keys()
    common = old.keys() & new.keys()
    assert {m.id for m in diff.moved} == {
        k for k in common if (old[k].start, old[k].end) != (new[k].start, new[k].end)
    }
    assert {c.id for c in diff.changed_lane} == {k for k in common if old[k].lane != new[k].lane}
    for moved in diff.moved:
        was = old[moved.id]
        if moved.start_days is not None and was.start is not None:
            assert was.start + timedelta(days=moved.start_days) == new[moved.id].start
        if moved.end_days is not None and was.end is not None:
            assert was.end + timedelta(days=moved.end_days) == new[moved.id].end
    json.dumps(diff.to_dict())


@settings(max_examples=50, deadline=None)
@given(state=states())
def test_a_state_compared_with_itself_has_no_changes(state: list[Item]) -> None:
    assert diff_roadmaps(state, list(reversed(state))).is_empty


def test_snapshot_records_round_trip_through_json() -> None:
    items = [
        Item(
            "1",
            "Checkout",
            "pay",
            JAN,
            JAN + timedelta(days=3),
            "bar",
            True,
            "/f/1/",
            ("0",),
            None,
            "doing",
            "v2",
        ),
        Item("2", "Launch", "pay", end=JAN, kind="milestone"),
        Item("3", "Idea", "data", bucket="later"),
    ]
    records = json.loads(json.dumps(snapshot_records(items)))
    assert items_from_records(records) == items


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": "1", "title": "X", "lane": "a", "start": "01/02/2025"}, "items[0].start"),
        ({"id": "1", "title": "X", "lane": "a", "kind": "rocket"}, "items[0].kind"),
        (
            {"id": "1", "title": "X", "lane": "a", "start": "2025-02-01", "end": "2025-01-01"},
            "items[0].end",
        ),
        ({"id": "1", "lane": "a"}, "items[0].title"),
        ({"id": ["1"], "title": "X", "lane": "a"}, "items[0].id"),
    ],
)
def test_a_bad_snapshot_record_names_its_index_and_field(
    record: dict[str, object], field: str
) -> None:
    with pytest.raises(RoadmapInputError) as error:
        items_from_records([record])
    assert error.value.field == field
