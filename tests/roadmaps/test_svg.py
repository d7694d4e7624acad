"""Tests for the roadmap SVG renderer: well-formed, escaped, accessible and self-contained."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.roadmaps.layout import (
    Item,
    Lane,
    RoadmapInputError,
    View,
    estimate_text_width,
    layout_now_next_later,
    layout_roadmap,
    layout_technology,
    layout_timeline,
)
from headway.roadmaps.svg import fit_text, render_svg, safe_url, xml_escape

NS = {"svg": "http://www.w3.org/2000/svg"}
TODAY = date(2025, 5, 14)
LANES = (Lane("a", "Alpha", 0), Lane("b", "Beta", 1))
HOSTILE = "<script>alert('x')</script> & \"quoted\" ]]> <!-- -->"


def parse(text: str) -> ET.Element:
    """Parse SVG that this test suite itself produced."""
    return ET.fromstring(text)  # noqa: S314 - our own output, not untrusted input


def render(items: list[Item], kind: str = "timeline", **view: object) -> ET.Element:
    lanes = () if kind == "technology" else LANES
    layout = layout_roadmap(kind, items, lanes, View(today=TODAY, **view))  # type: ignore[arg-type]
    return parse(render_svg(layout))


def item_groups(root: ET.Element) -> dict[str, ET.Element]:
    return {
        g.attrib["data-item-id"]: g
        for g in root.iter(f"{{{NS['svg']}}}g")
        if "data-item-id" in g.attrib
    }


def sample_items(lane: str = "a") -> list[Item]:
    return [
        Item("bar", "A bar", lane, date(2025, 1, 1), date(2025, 2, 1), url="/features/1/"),
        Item(
            "late",
            "Late work",
            lane,
            date(2025, 3, 1),
            date(2025, 4, 1),
            at_risk=True,
            depends_on=("bar",),
        ),
        Item("ms", "Launch", lane, end=date(2025, 4, 15), kind="milestone"),
        Item("eol", "Python 3.9", lane, end=date(2025, 10, 5), kind="end_of_life"),
        Item("dep", "Old API", lane, end=date(2025, 6, 1), kind="deprecation"),
        Item("idea", "Someday", lane, bucket="later"),
    ]


@pytest.mark.parametrize("kind", ["timeline", "now_next_later", "technology"])
def test_every_kind_renders_well_formed_svg_with_each_item(kind: str) -> None:
    root = render(sample_items("platform" if kind == "technology" else "a"), kind)
    assert root.tag == f"{{{NS['svg']}}}svg"
    assert set(item_groups(root)) == {"bar", "late", "ms", "eol", "dep", "idea"}


def test_hostile_titles_and_ids_are_escaped_not_executed() -> None:
    items = [
        Item(HOSTILE, HOSTILE, "a", date(2025, 1, 1), date(2025, 3, 1)),
        Item("card", HOSTILE, "b", bucket="now", status=HOSTILE, label="&amp;"),
    ]
    svg = render_svg(
        layout_timeline(items, [Lane("a", HOSTILE), Lane("b", "B", 1)], View(TODAY, title=HOSTILE))
    )
    assert "<script" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{{{NS['svg']}}}script"))
    assert root.find("svg:title", NS).text == HOSTILE  # type: ignore[union-attr]
    groups = item_groups(root)
    assert HOSTILE in groups
    hover = groups[HOSTILE].find("svg:title", NS)
    assert hover is not None and hover.text is not None and hover.text.startswith(HOSTILE)
    card_hover = groups["card"].find("svg:title", NS)
    assert card_hover is not None and "&amp;" in (card_hover.text or "")


@settings(max_examples=100, deadline=None)
@given(title=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_any_title_yields_parseable_svg(title: str) -> None:
    items = [
        Item("x", title, "a", date(2025, 1, 1), date(2025, 1, 20), at_risk=True),
        Item("y", title, "b", end=date(2025, 2, 1), kind="milestone"),
        Item("z", title, "a", bucket="next"),
    ]
    for layout in (
        layout_timeline(items, LANES, View(TODAY, title=title)),
        layout_now_next_later(items, LANES, View(TODAY, title=title)),
    ):
        parse(render_svg(layout))


def test_control_characters_are_dropped_so_the_xml_stays_valid() -> None:
    assert xml_escape("a\x00b\x1bc\ufffe") == "abc"
    parse(f"<t>{xml_escape('bell\x07 & <tag>')}</t>")


def test_titles_are_truncated_with_an_ellipsis_and_kept_whole_on_hover() -> None:
    long_title = "A remarkably long feature title that cannot possibly fit in a short bar"
    items = [Item("x", long_title, "a", date(2025, 1, 1), date(2025, 1, 20))]
    root = render(items)
    group = item_groups(root)["x"]
    shown = group.find("svg:text", NS)
    assert shown is not None and shown.text is not None
    assert shown.text.endswith("…") and len(shown.text) < len(long_title)
    assert long_title.startswith(shown.text[:-1])
    assert (group.find("svg:title", NS).text or "").startswith(long_title)  # type: ignore[union-attr]


def test_fit_text_respects_the_room_it_is_given() -> None:
    for room in (20.0, 50.0, 120.0):
        fitted = fit_text("Internationalisation of everything 日本語のテキスト", room)
        assert estimate_text_width(fitted) <= room
    assert fit_text("Short", 200) == "Short"
    assert fit_text("Anything at all", 5) == ""


def test_bars_with_a_url_are_links_and_unsafe_urls_are_not() -> None:
    items = [
        Item(
            "ok",
            "Ok",
            "a",
            date(2025, 1, 1),
            date(2025, 2, 1),
            url="https://example.org/f/1?a=1&b=2",
        ),
        Item("js", "Js", "a", date(2025, 3, 1), date(2025, 4, 1), url="javascript:alert(1)"),
    ]
    root = render(items)
    links = list(root.iter(f"{{{NS['svg']}}}a"))
    assert [a.attrib["href"] for a in links] == ["https://example.org/f/1?a=1&b=2"]
    assert links[0].find("svg:g", NS).attrib["data-item-id"] == "ok"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/features/3/", "/features/3/"),
        ("https://x.org/a", "https://x.org/a"),
        ("mailto:pm@x.org", "mailto:pm@x.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_allows_only_relative_http_and_mailto(
    url: str | None, expected: str | None
) -> None:
    assert safe_url(url) == expected


def test_at_risk_bars_carry_a_pattern_and_an_icon_not_just_a_colour() -> None:
    root = render(sample_items())
    late = item_groups(root)["late"]
    assert "hw-risk" in late.attrib["class"]
    assert any(
        r.attrib.get("fill", "").startswith("url(#") for r in late.iter(f"{{{NS['svg']}}}rect")
    )
    assert any(
        "hw-risk-icon" in p.attrib.get("class", "") for p in late.iter(f"{{{NS['svg']}}}path")
    )
    assert "at risk" in (late.find("svg:title", NS).text or "")  # type: ignore[union-attr]


def test_milestones_are_diamonds_and_markers_have_their_own_shapes() -> None:
    groups = item_groups(render(sample_items()))
    diamond = groups["ms"].find("svg:path", NS)
    assert diamond is not None and diamond.attrib["d"].count("L") == 3
    assert groups["eol"].find("svg:circle", NS) is not None
    assert "hw-end_of_life" in groups["eol"].attrib["class"]
    assert "hw-deprecation" in groups["dep"].attrib["class"]


def test_dependency_arrows_end_in_an_arrowhead_marker() -> None:
    root = render(sample_items())
    arrows = [
        p
        for p in root.iter(f"{{{NS['svg']}}}path")
        if "hw-dep" in p.attrib.get("class", "") and "data-from" in p.attrib
    ]
    assert [(a.attrib["data-from"], a.attrib["data-to"]) for a in arrows] == [("bar", "late")]
    marker_id = re.fullmatch(r"url\(#(.+)\)", arrows[0].attrib["marker-end"])
    assert marker_id is not None
    markers = {m.attrib["id"] for m in root.iter(f"{{{NS['svg']}}}marker")}
    assert marker_id.group(1) in markers


def test_items_carry_the_data_the_page_needs_to_drag_them() -> None:
    root = render(sample_items())
    late = item_groups(root)["late"]
    assert late.attrib["data-start"] == "2025-03-01"
    assert late.attrib["data-end"] == "2025-04-01"
    assert late.attrib["data-depends-on"] == "bar"
    assert float(root.attrib["data-pixels-per-day"]) > 0
    assert root.attrib["data-axis-start"] == "2025-01-01"


def test_the_svg_is_an_accessible_image_with_a_title_and_description() -> None:
    root = render(sample_items(), title="Platform plan")
    assert root.attrib["role"] == "img"
    ids = root.attrib["aria-labelledby"].split()
    found = {el.attrib.get("id"): el.text for el in root.iter() if el.attrib.get("id") in ids}
    assert found[ids[0]] == "Platform plan"
    assert "roadmap with 6 items" in (found[ids[1]] or "")


def test_the_svg_is_self_contained_and_follows_the_colour_scheme() -> None:
    svg = render_svg(layout_timeline(sample_items(), LANES, View(TODAY)))
    root = parse(svg)
    style = root.find("svg:style", NS)
    assert style is not None and style.text is not None
    assert "prefers-color-scheme:dark" in style.text and "currentColor" in style.text
    assert "@import" not in style.text and "url(http" not in svg
    assert not list(root.iter(f"{{{NS['svg']}}}image")) and not list(
        root.iter(f"{{{NS['svg']}}}script")
    )
    hrefs = [el.attrib["href"] for el in root.iter() if "href" in el.attrib]
    assert hrefs == ["/features/1/"]


def test_the_today_line_and_axis_labels_are_drawn() -> None:
    root = render(sample_items())
    texts = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "Today" in texts
    assert "Q1 2025" in texts and "Jan" in texts
    assert any("hw-today" == line.attrib.get("class") for line in root.iter(f"{{{NS['svg']}}}line"))


def test_collapsed_lanes_render_a_summary() -> None:
    root = render(sample_items(), collapsed=frozenset({"a"}))
    summaries = [g for g in root.iter(f"{{{NS['svg']}}}g") if g.attrib.get("class") == "hw-summary"]
    assert len(summaries) == 1
    assert "5 items, 1 at risk" in (summaries[0].find("svg:text", NS).text or "")  # type: ignore[union-attr]


def test_technology_layers_are_labelled_in_order() -> None:
    layout = layout_technology([], View(TODAY))
    root = parse(render_svg(layout))
    labels = [
        g.find("svg:title", NS).text
        for g in root.iter(f"{{{NS['svg']}}}g")
        if g.attrib.get("class") == "hw-lane-label"
    ]  # type: ignore[union-attr]
    assert labels[0] == "Market & customer" and labels[-1] == "Resources & skills"


def test_id_prefix_keeps_two_svgs_on_one_page_apart() -> None:
    layout = layout_timeline(sample_items(), LANES, View(TODAY))
    first, second = render_svg(layout, id_prefix="one"), render_svg(layout, id_prefix="two")
    first_ids = {el.attrib["id"] for el in parse(first).iter() if "id" in el.attrib}
    second_ids = {el.attrib["id"] for el in parse(second).iter() if "id" in el.attrib}
    assert first_ids and not first_ids & second_ids


def test_a_bad_id_prefix_is_refused() -> None:
    with pytest.raises(RoadmapInputError) as error:
        render_svg(layout_timeline([], LANES, View(TODAY)), id_prefix='x" onload="alert(1)')
    assert error.value.field == "id_prefix"


def test_a_style_nonce_is_put_on_the_embedded_style() -> None:
    root = parse(render_svg(layout_timeline([], LANES, View(TODAY)), style_nonce="abc123"))
    assert root.find("svg:style", NS).attrib["nonce"] == "abc123"  # type: ignore[union-attr]
