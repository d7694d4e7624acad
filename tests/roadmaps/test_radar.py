"""Tests for the technology radar: placement, numbering, movement and the SVG drawing."""

from __future__ import annotations

import math
import random
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.roadmaps.layout import RoadmapInputError
from headway.roadmaps.radar import (
    BLIP_GAP,
    BLIP_RADIUS,
    QUADRANT_START,
    QUADRANTS,
    RINGS,
    Blip,
    RadarLayout,
    RingMove,
    layout_radar,
    movement_since,
    moves_since,
    render_radar_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
SINCE = date(2025, 1, 1)


def parse(text: str) -> ET.Element:
    """Parse SVG that this test suite itself produced."""
    return ET.fromstring(text)  # noqa: S314 - our own output, not untrusted input


def blip(
    blip_id: str, quadrant: str = "tools", ring: str = "trial", *moves: tuple[date, str]
) -> Blip:
    history = tuple(RingMove(at, r) for at, r in moves)  # type: ignore[arg-type]
    return Blip(blip_id, f"Tech {blip_id}", quadrant, ring, history)  # type: ignore[arg-type]


def polar(radar: RadarLayout, x: float, y: float) -> tuple[float, float]:
    """Distance from the centre and angle in degrees, counter-clockwise from the x axis."""
    dx, dy = x - radar.cx, radar.cy - y
    return math.hypot(dx, dy), math.degrees(math.atan2(dy, dx)) % 360


blips_strategy = st.lists(
    st.builds(
        Blip,
        id=st.text(min_size=1, max_size=8),
        name=st.text(max_size=20),
        quadrant=st.sampled_from(QUADRANTS),
        ring=st.sampled_from(RINGS),
    ),
    max_size=40,
    unique_by=lambda b: b.id,
)


@settings(max_examples=100, deadline=None)
@given(blips=blips_strategy)
def test_every_blip_sits_inside_its_ring_and_quadrant(blips: list[Blip]) -> None:
    radar = layout_radar(blips)
    for placed in radar.blips:
        ring = RINGS.index(placed.blip.ring)
        inner = radar.ring_radii[ring - 1] if ring else 0.0
        distance, angle = polar(radar, placed.x, placed.y)
        assert inner + BLIP_RADIUS <= distance <= radar.ring_radii[ring] - BLIP_RADIUS
        start = QUADRANT_START[placed.blip.quadrant]
        assert start < angle < start + 90


@settings(max_examples=100, deadline=None)
@given(blips=blips_strategy)
def test_blips_are_numbered_once_each_in_reading_order(blips: list[Blip]) -> None:
    radar = layout_radar(blips)
    assert [placed.number for placed in radar.blips] == list(range(1, len(blips) + 1))
    keys = [(QUADRANTS.index(p.blip.quadrant), RINGS.index(p.blip.ring)) for p in radar.blips]
    assert keys == sorted(keys)


@settings(max_examples=60, deadline=None)
@given(blips=blips_strategy, seed=st.integers(0, 1000))
def test_positions_do_not_depend_on_input_order(blips: list[Blip], seed: int) -> None:
    shuffled = list(blips)
    random.Random(seed).shuffle(shuffled)
    first = {p.blip.id: (p.x, p.y) for p in layout_radar(blips).blips}
    second = {p.blip.id: (p.x, p.y) for p in layout_radar(shuffled).blips}
    assert first == second


def test_a_dozen_blips_in_every_sector_never_overlap() -> None:
    # Twelve blips in each of the sixteen quadrant-and-ring sectors.
    blips = [blip(f"b{n}", QUADRANTS[n % 4], RINGS[n // 4 % 4]) for n in range(12 * 16)]
    placed = layout_radar(blips).blips
    for one in placed:
        for other in placed:
            if one is not other:
                assert math.hypot(one.x - other.x, one.y - other.y) >= 2 * BLIP_RADIUS + BLIP_GAP


def test_a_blip_keeps_its_place_when_others_join_elsewhere() -> None:
    original = [blip("kafka", "tools", "trial")]
    grown = [
        *original,
        blip("rust", "languages_frameworks", "adopt"),
        blip("tdd", "techniques", "hold"),
    ]
    before = layout_radar(original).blips[0]
    after = next(p for p in layout_radar(grown).blips if p.blip.id == "kafka")
    assert (before.x, before.y) == (after.x, after.y)


def test_movement_since_a_date() -> None:
    moved_in = blip("a", "tools", "adopt", (date(2024, 3, 1), "trial"), (date(2025, 2, 1), "adopt"))
    moved_out = blip("b", "tools", "hold", (date(2024, 3, 1), "trial"), (date(2025, 2, 1), "hold"))
    new = blip("c", "tools", "assess", (date(2025, 3, 1), "assess"))
    still = blip("d", "tools", "trial", (date(2024, 3, 1), "trial"))
    no_history = blip("e", "tools", "trial")
    found = {b.id: movement_since(b, SINCE) for b in (moved_in, moved_out, new, still, no_history)}
    assert {k: m.movement for k, m in found.items()} == {
        "a": "in",
        "b": "out",
        "c": "new",
        "d": "none",
        "e": "none",
    }
    assert (found["a"].from_ring, found["a"].to_ring) == ("trial", "adopt")
    assert found["c"].from_ring is None


def test_moves_since_lists_only_what_moved() -> None:
    blips = [
        blip("a", "tools", "adopt", (date(2024, 3, 1), "trial"), (date(2025, 2, 1), "adopt")),
        blip("d", "tools", "trial", (date(2024, 3, 1), "trial")),
    ]
    assert [m.id for m in moves_since(blips, SINCE)] == ["a"]


def test_the_radar_svg_is_well_formed_numbered_and_marks_moves() -> None:
    blips = [
        blip("a", "tools", "adopt", (date(2024, 3, 1), "trial"), (date(2025, 2, 1), "adopt")),
        blip("b", "platforms", "hold", (date(2024, 3, 1), "trial"), (date(2025, 2, 1), "hold")),
        blip("c", "techniques", "assess", (date(2025, 3, 1), "assess")),
        blip("d", "languages_frameworks", "trial"),
    ]
    root = parse(render_radar_svg(layout_radar(blips, since=SINCE)))
    assert root.attrib["role"] == "img"
    groups = {
        g.attrib["data-blip-id"]: g
        for g in root.iter(f"{SVG}g")
        if "hw-blip" in g.attrib.get("class", "") and "data-blip-id" in g.attrib
    }
    assert set(groups) == {"a", "b", "c", "d"}
    assert "hw-moved-in" in groups["a"].attrib["class"]
    assert "hw-moved-out" in groups["b"].attrib["class"]
    assert "hw-moved-new" in groups["c"].attrib["class"]
    hover = groups["a"].find(f"{SVG}title")
    assert hover is not None and "moved in from Trial since 2025-01-01" in (hover.text or "")
    legend = "".join(el.text or "" for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}tspan"))
    assert "(moved in)" in legend and "(moved out)" in legend and "(new)" in legend
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for title in ("Techniques", "Platforms", "Tools", "Languages & frameworks", "Adopt", "Hold"):
        assert title in texts


def test_hostile_blip_names_and_links_are_escaped() -> None:
    hostile = Blip(
        'x"><script>', "<script>alert(1)</script> & co", "tools", "adopt", url="javascript:x"
    )
    safe = Blip("y", "Docs", "tools", "trial", url="https://example.org/?a=1&b=2")
    text = render_radar_svg(layout_radar([hostile, safe]))
    assert "<script" not in text and "javascript:" not in text
    root = parse(text)
    assert [a.attrib["href"] for a in root.iter(f"{SVG}a")] == ["https://example.org/?a=1&b=2"] * 2
    ids = {g.attrib["data-blip-id"] for g in root.iter(f"{SVG}g") if "data-blip-id" in g.attrib}
    assert 'x"><script>' in ids


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Blip("a", "A", "gadgets", "adopt"), "quadrant"),  # type: ignore[arg-type]
        (lambda: Blip("a", "A", "tools", "maybe"), "ring"),  # type: ignore[arg-type]
        (lambda: RingMove(SINCE, "maybe"), "history.ring"),  # type: ignore[arg-type]
        (lambda: layout_radar([Blip("a", "A", "tools", "adopt")] * 2), "blips"),
    ],
)
def test_bad_radar_input_names_the_field(make: object, field: str) -> None:
    with pytest.raises(RoadmapInputError) as error:
        make()  # type: ignore[operator]
    assert error.value.field == field
