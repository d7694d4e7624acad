"""Tests for the pure roadmap layout: rows, axis, buckets, lanes and arrows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.roadmaps.layout import (
    BUCKETS,
    ITEM_KINDS,
    TECHNOLOGY_LAYERS,
    Item,
    Lane,
    PlacedItem,
    RoadmapInputError,
    RoadmapLayout,
    View,
    bucket_of,
    layout_now_next_later,
    layout_roadmap,
    layout_technology,
    layout_timeline,
)

TODAY = date(2025, 5, 14)
LANES = (Lane("a", "Alpha", 0), Lane("b", "Beta", 1), Lane("c", "Gamma", 2))


def bar(item_id: str, start: date, end: date, lane: str = "a", **extra: object) -> Item:
    return Item(item_id, f"Item {item_id}", lane, start, end, **extra)  # type: ignore[arg-type]


@st.composite
def roadmap_items(draw: st.DrawFn) -> list[Item]:
    count = draw(st.integers(min_value=0, max_value=40))
    items: list[Item] = []
    for index in range(count):
        kind = draw(st.sampled_from(ITEM_KINDS))
        start = draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 12, 31))))
        end = draw(st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 12, 31))))
        if start is not None and end is not None and end < start:
            start, end = end, start
        earlier = [f"i{n}" for n in range(index)]
        depends_on = draw(st.lists(st.sampled_from(earlier), max_size=2)) if earlier else []
        items.append(
            Item(
                id=f"i{index}",
                title=draw(st.text(max_size=30)),
                lane=draw(st.sampled_from([lane.key for lane in LANES])),
                start=start,
                end=end,
                kind=kind,
                at_risk=draw(st.booleans()),
                depends_on=tuple(dict.fromkeys(depends_on)),
                bucket=draw(st.one_of(st.none(), st.sampled_from(BUCKETS))),
            )
        )
    return items


views = st.builds(
    View,
    today=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    zoom=st.sampled_from(["month", "quarter"]),
    collapsed=st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=2),
)


def reach(placed: PlacedItem) -> float:
    """The right edge of everything drawn for an item, a marker's label included."""
    if placed.shape in ("bar", "card"):
        return placed.right
    return placed.right + 4 + placed.text_room


def timeline_parts(layout: RoadmapLayout) -> list[PlacedItem]:
    return [placed for placed in layout.items if placed.shape != "card"]


@settings(max_examples=60, deadline=None)
@given(items=roadmap_items(), view=views)
def test_items_sharing_a_lane_row_never_overlap(items: list[Item], view: View) -> None:
    layout = layout_timeline(items, LANES, view)
    rows: dict[tuple[str, int], list[PlacedItem]] = defaultdict(list)
    for placed in timeline_parts(layout):
        rows[(placed.lane, placed.row)].append(placed)
    for row in rows.values():
        row.sort(key=lambda placed: placed.x)
        for left, right in zip(row, row[1:], strict=False):
            assert reach(left) <= right.x


@settings(max_examples=60, deadline=None)
@given(items=roadmap_items(), view=views)
def test_every_dated_item_is_placed_inside_the_axis(items: list[Item], view: View) -> None:
    layout = layout_timeline(items, LANES, view)
    axis = layout.axis
    assert axis is not None
    placed = {p.item.id: p for p in timeline_parts(layout)}
    for item in items:
        if not item.is_dated or item.lane in view.collapsed:
            continue
        box = placed[item.id]
        if item.kind == "bar":
            assert axis.x0 <= box.x <= box.right <= axis.x1
        else:
            assert axis.x0 <= box.x + box.width / 2 <= axis.x1
        band = next(band for band in layout.lanes if band.lane.key == item.lane)
        assert band.y <= box.y and box.y + box.height <= band.y + band.height


@settings(max_examples=60, deadline=None)
@given(items=roadmap_items(), view=views)
def test_collapsed_lanes_are_one_row_that_counts_their_dated_items(
    items: list[Item], view: View
) -> None:
    layout = layout_timeline(items, LANES, view)
    counted = defaultdict(int)
    for summary in layout.summaries:
        counted[summary.lane] += summary.count
    for band in layout.lanes:
        dated_here = sum(1 for item in items if item.lane == band.lane.key and item.is_dated)
        if band.collapsed:
            assert band.rows == 1
            assert counted[band.lane.key] == dated_here
            assert not [p for p in timeline_parts(layout) if p.lane == band.lane.key]


@settings(max_examples=60, deadline=None)
@given(items=roadmap_items(), view=views)
def test_undated_items_go_to_their_buckets_and_never_onto_the_axis(
    items: list[Item], view: View
) -> None:
    layout = layout_timeline(items, LANES, view)
    cards = {p.item.id: p for p in layout.items if p.shape == "card"}
    columns = {column.bucket: column for column in layout.columns}
    for item in items:
        if item.is_dated:
            assert item.id not in cards
            continue
        card = cards[item.id]
        column = columns[bucket_of(item, view.today)]
        assert column.x <= card.x and card.right <= column.x + column.width + 0.001
        assert column.y <= card.y and card.y + card.height <= column.y + column.height
        assert card.y >= layout.lanes_bottom


@settings(max_examples=50, deadline=None)
@given(items=roadmap_items(), view=views)
def test_now_next_later_places_every_item_once_in_its_bucket_column(
    items: list[Item], view: View
) -> None:
    layout = layout_now_next_later(items, LANES, view)
    columns = {column.bucket: column for column in layout.columns}
    placed = [p.item.id for p in layout.items]
    assert len(placed) == len(set(placed))
    hidden = sum(summary.count for summary in layout.summaries)
    assert len(placed) + hidden == len(items)
    for card in layout.items:
        column = columns[bucket_of(card.item, view.today)]
        assert column.x <= card.x and card.right <= column.x + column.width
    boxes = sorted((p.x, p.y, p.right, p.y + p.height) for p in layout.items)
    for one, other in zip(boxes, boxes[1:], strict=False):
        assert one[0] != other[0] or one[3] <= other[1]


@settings(max_examples=50, deadline=None)
@given(items=roadmap_items(), view=views)
def test_arrows_join_a_prerequisite_to_its_dependant(items: list[Item], view: View) -> None:
    layout = layout_timeline(items, LANES, view)
    by_id = {item.id: item for item in items}
    for arrow in layout.arrows:
        assert arrow.from_id in by_id[arrow.to_id].depends_on
        assert by_id[arrow.from_id].is_dated and by_id[arrow.to_id].is_dated


def test_overlapping_bars_stack_and_disjoint_bars_share_a_row() -> None:
    items = [
        bar("x", date(2025, 1, 1), date(2025, 1, 31)),
        bar("y", date(2025, 1, 15), date(2025, 2, 15)),
        bar("z", date(2025, 3, 1), date(2025, 3, 31)),
    ]
    layout = layout_timeline(items, LANES, View(today=TODAY))
    rows = {p.item.id: p.row for p in layout.items}
    assert rows == {"x": 0, "y": 1, "z": 0}
    assert layout.lanes[0].rows == 2


def test_a_bar_covers_its_end_day_inclusive() -> None:
    layout = layout_timeline([bar("x", date(2025, 1, 1), date(2025, 1, 1))], LANES, View(TODAY))
    assert layout.axis is not None
    assert layout.items[0].width == pytest.approx(layout.axis.pixels_per_day)


def test_month_zoom_snaps_to_months_and_labels_months_and_quarters() -> None:
    items = [bar("x", date(2025, 1, 15), date(2025, 3, 3))]
    axis = layout_timeline(items, LANES, View(today=date(2025, 2, 1))).axis
    assert axis is not None
    assert (axis.start, axis.stop) == (date(2025, 1, 1), date(2025, 4, 1))
    assert [month.label for month in axis.months] == ["Jan", "Feb", "Mar"]
    assert [quarter.label for quarter in axis.quarters] == ["Q1 2025"]


def test_quarter_zoom_snaps_to_whole_quarters() -> None:
    items = [bar("x", date(2025, 2, 15), date(2025, 4, 3))]
    axis = layout_timeline(items, LANES, View(today=TODAY, zoom="quarter")).axis
    assert axis is not None
    assert (axis.start, axis.stop) == (date(2025, 1, 1), date(2025, 7, 1))
    assert [quarter.label for quarter in axis.quarters] == ["Q1 2025", "Q2 2025"]
    assert len(axis.months) == 6


def test_quarter_zoom_is_narrower_than_month_zoom() -> None:
    items = [bar("x", date(2025, 1, 1), date(2025, 12, 31))]
    month = layout_timeline(items, LANES, View(today=TODAY))
    quarter = layout_timeline(items, LANES, View(today=TODAY, zoom="quarter"))
    assert quarter.width < month.width


def test_the_today_line_sits_on_today_and_only_inside_the_range() -> None:
    items = [bar("x", date(2025, 1, 1), date(2025, 12, 31))]
    axis = layout_timeline(items, LANES, View(today=TODAY)).axis
    assert axis is not None and axis.today_x is not None
    assert axis.day_at(axis.today_x) == TODAY
    outside = layout_timeline(items, LANES, View(today=date(2030, 1, 1))).axis
    assert outside is not None and outside.today_x is None


def test_day_at_turns_a_drop_position_back_into_the_date() -> None:
    items = [bar("x", date(2025, 1, 1), date(2025, 12, 31))]
    axis = layout_timeline(items, LANES, View(today=TODAY)).axis
    assert axis is not None
    for day in (date(2025, 1, 1), date(2025, 6, 30), date(2025, 12, 31)):
        assert axis.day_at(axis.x_of(day) + 0.5) == day
    assert axis.day_at(-1000) == axis.start


def test_an_explicit_range_clips_items_to_its_edges() -> None:
    items = [
        bar("x", date(2024, 6, 1), date(2025, 2, 10)),
        bar("y", date(2026, 1, 1), date(2026, 2, 1)),
    ]
    view = View(today=TODAY, start=date(2025, 1, 1), end=date(2025, 6, 30))
    layout = layout_timeline(items, LANES, view)
    assert layout.axis is not None
    placed = {p.item.id: p for p in layout.items}
    assert placed["x"].clipped and placed["x"].x == layout.axis.x0
    assert placed["y"].clipped and placed["y"].right == layout.axis.x1


def test_a_collapsed_lane_shows_one_summary_spanning_its_items() -> None:
    items = [
        bar("x", date(2025, 1, 1), date(2025, 1, 31), at_risk=True),
        bar("y", date(2025, 1, 10), date(2025, 3, 31)),
    ]
    layout = layout_timeline(items, LANES, View(today=TODAY, collapsed=frozenset({"a"})))
    (summary,) = layout.summaries
    assert (summary.count, summary.at_risk_count) == (2, 1)
    assert layout.axis is not None
    assert summary.x == layout.axis.x_of(date(2025, 1, 1))
    assert summary.x + summary.width == layout.axis.x_of(date(2025, 4, 1))
    assert layout.items == ()


def test_an_arrow_runs_from_the_prerequisite_end_to_the_dependant_start_across_lanes() -> None:
    items = [
        bar("base", date(2025, 1, 1), date(2025, 1, 31), lane="a"),
        bar("top", date(2025, 2, 1), date(2025, 2, 28), lane="c", depends_on=("base",)),
    ]
    layout = layout_timeline(items, LANES, View(today=TODAY))
    (arrow,) = layout.arrows
    placed = {p.item.id: p for p in layout.items}
    assert arrow.points[0] == (placed["base"].right, placed["base"].cy)
    assert arrow.points[3] == (placed["top"].x, placed["top"].cy)
    assert not arrow.conflict


def test_a_dependant_starting_before_its_prerequisite_ends_is_a_conflict() -> None:
    items = [
        bar("base", date(2025, 1, 1), date(2025, 1, 31)),
        bar("early", date(2025, 1, 31), date(2025, 2, 28), lane="b", depends_on=("base",)),
    ]
    (arrow,) = layout_timeline(items, LANES, View(today=TODAY)).arrows
    assert arrow.conflict


def test_a_dependency_on_an_item_not_on_the_roadmap_draws_no_arrow() -> None:
    items = [bar("x", date(2025, 1, 1), date(2025, 1, 31), depends_on=("elsewhere",))]
    assert layout_timeline(items, LANES, View(today=TODAY)).arrows == ()


def test_point_items_become_markers_on_their_date() -> None:
    items = [
        Item("m", "Launch", "a", end=date(2025, 3, 1), kind="milestone"),
        Item("e", "Python 3.9", "b", start=date(2025, 10, 5), kind="end_of_life"),
        Item("d", "Old API", "c", date(2025, 4, 1), date(2025, 4, 1), kind="deprecation"),
    ]
    layout = layout_timeline(items, LANES, View(today=TODAY))
    assert layout.axis is not None
    for placed in layout.items:
        day = placed.item.last_day
        assert day is not None
        assert placed.shape == placed.item.kind
        assert layout.axis.day_at(placed.x + placed.width / 2) == day


def test_the_technology_roadmap_uses_the_six_layers_in_order() -> None:
    items = [bar("x", date(2025, 1, 1), date(2025, 2, 1), lane="tech_debt")]
    layout = layout_technology(items, View(today=TODAY))
    keys = [band.lane.key for band in layout.lanes]
    assert keys == ["market", "capability", "platform", "infrastructure", "tech_debt", "resources"]
    assert [band.lane for band in layout.lanes] == list(TECHNOLOGY_LAYERS)


def test_the_technology_roadmap_refuses_an_unknown_layer_naming_the_allowed_ones() -> None:
    with pytest.raises(RoadmapInputError) as error:
        layout_technology([bar("x", date(2025, 1, 1), date(2025, 2, 1), lane="a")], View(TODAY))
    assert error.value.field == "lane"
    assert "market" in error.value.allowed


def test_arrows_cross_technology_layers() -> None:
    items = [
        bar("infra", date(2025, 1, 1), date(2025, 1, 31), lane="infrastructure"),
        bar(
            "feature", date(2025, 2, 1), date(2025, 3, 1), lane="capability", depends_on=("infra",)
        ),
    ]
    (arrow,) = layout_technology(items, View(today=TODAY)).arrows
    assert arrow.points[0][1] > arrow.points[3][1]


def test_lanes_follow_their_order_not_the_order_given() -> None:
    lanes = [Lane("z", "Last", 9), Lane("y", "First", 1)]
    layout = layout_timeline([], lanes, View(today=TODAY))
    assert [band.lane.key for band in layout.lanes] == ["y", "z"]


def test_an_empty_roadmap_still_has_an_axis_around_today() -> None:
    layout = layout_timeline([], LANES, View(today=TODAY))
    assert layout.axis is not None
    assert layout.axis.start <= TODAY < layout.axis.stop
    assert [band.rows for band in layout.lanes] == [1, 1, 1]


def test_an_explicit_bucket_beats_the_dates() -> None:
    item = bar("x", TODAY, TODAY + timedelta(days=3), bucket="later")
    assert bucket_of(item, TODAY) == "later"


def test_dated_items_fall_into_buckets_by_how_soon_they_start() -> None:
    assert bucket_of(bar("x", TODAY - timedelta(days=10), TODAY), TODAY) == "now"
    assert (
        bucket_of(bar("x", TODAY + timedelta(days=60), TODAY + timedelta(days=70)), TODAY) == "next"
    )
    assert (
        bucket_of(bar("x", TODAY + timedelta(days=400), TODAY + timedelta(days=410)), TODAY)
        == "later"
    )
    assert bucket_of(Item("u", "Undated", "a"), TODAY) == "later"


def test_now_next_later_collapsed_lane_counts_per_bucket() -> None:
    items = [
        Item("1", "One", "a", bucket="now"),
        Item("2", "Two", "a", bucket="now", at_risk=True),
        Item("3", "Three", "a", bucket="later"),
    ]
    layout = layout_now_next_later(items, LANES, View(today=TODAY, collapsed=frozenset({"a"})))
    counts = {s.bucket: (s.count, s.at_risk_count) for s in layout.summaries}
    assert counts == {"now": (2, 1), "later": (1, 0)}


def test_collapsing_every_lane_keeps_five_hundred_items_to_one_row_per_lane() -> None:
    lanes = [Lane(f"l{n}", f"Lane {n}", n) for n in range(10)]
    items = [
        bar(
            f"i{n}",
            date(2025, 1, 1) + timedelta(days=n % 300),
            date(2025, 3, 1) + timedelta(days=n % 300),
            lane=f"l{n % 10}",
        )
        for n in range(500)
    ]
    expanded = layout_timeline(items, lanes, View(today=TODAY))
    collapsed = layout_timeline(
        items, lanes, View(today=TODAY, collapsed=frozenset(lane.key for lane in lanes))
    )
    assert [band.rows for band in collapsed.lanes] == [1] * 10
    assert collapsed.height < expanded.height / 5


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: Item("x", "X", "a", date(2025, 2, 1), date(2025, 1, 1)), "end"),
        (lambda: Item("x", "X", "a", kind="rocket"), "kind"),  # type: ignore[arg-type]
        (lambda: Item("x", "X", "a", bucket="soon"), "bucket"),  # type: ignore[arg-type]
        (lambda: View(today=TODAY, zoom="week"), "zoom"),  # type: ignore[arg-type]
        (lambda: View(today=TODAY, start=date(2025, 2, 1), end=date(2025, 1, 1)), "end"),
        (lambda: layout_roadmap("gantt", [], LANES, View(TODAY)), "kind"),
        (lambda: layout_timeline([Item("x", "X", "nowhere")], LANES, View(TODAY)), "lane"),
        (
            lambda: layout_timeline([Item("x", "X", "a"), Item("x", "Y", "b")], LANES, View(TODAY)),
            "items",
        ),
        (lambda: layout_timeline([], [*LANES, Lane("a", "Again")], View(TODAY)), "lanes"),
        (lambda: layout_timeline([], LANES, View(TODAY, collapsed=frozenset({"q"}))), "collapsed"),
    ],
)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(RoadmapInputError) as error:
        call()  # type: ignore[operator]
    assert error.value.field == field
    assert error.value.message


def test_bad_kind_lists_the_allowed_kinds() -> None:
    with pytest.raises(RoadmapInputError) as error:
        layout_roadmap("gantt", [], LANES, View(TODAY))
    assert error.value.allowed == ("timeline", "now_next_later", "technology")


def test_layout_roadmap_dispatches_each_kind() -> None:
    for kind in ("timeline", "now_next_later"):
        assert layout_roadmap(kind, [], LANES, View(TODAY)).kind == kind
    assert layout_roadmap("technology", [], [], View(TODAY)).kind == "technology"


def test_arrows_among_collapsed_lanes_are_hidden_but_arrows_into_open_lanes_stay() -> None:
    items = [
        bar("a1", date(2025, 1, 1), date(2025, 1, 31), lane="a"),
        bar("b1", date(2025, 2, 1), date(2025, 2, 28), lane="b", depends_on=("a1",)),
        bar("c1", date(2025, 3, 1), date(2025, 3, 31), lane="c", depends_on=("b1",)),
    ]
    layout = layout_timeline(items, LANES, View(today=TODAY, collapsed=frozenset({"a", "b"})))
    (arrow,) = layout.arrows
    assert (arrow.from_id, arrow.to_id) == ("b1", "c1")
    summary_b = next(s for s in layout.summaries if s.lane == "b")
    assert arrow.points[0][1] == summary_b.y + summary_b.height / 2
