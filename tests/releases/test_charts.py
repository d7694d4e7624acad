"""The SVG charts are well-formed, labelled, and say in words what they show."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from headway.releases.charts import burnup_svg, histogram_svg

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = dt.date(2026, 1, 5)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output, in a test


def test_the_burnup_draws_history_scope_and_a_cone_for_each_level() -> None:
    dates = {"50": dt.date(2026, 3, 1), "85": dt.date(2026, 3, 15), "95": dt.date(2026, 3, 29)}
    root = parse(
        burnup_svg(
            title="Burn-up <2.4>",
            start=MONDAY,
            weekly_done=[3, 4, 0, 5],
            done_before=2,
            scope=40,
            today=MONDAY + dt.timedelta(weeks=4),
            dates=dates,
            target=dt.date(2026, 3, 20),
        )
    )
    assert root.findtext(f"{SVG}title") == "Burn-up <2.4>"
    assert "14 of 40 items done" in (root.findtext(f"{SVG}desc") or "")
    assert len(root.findall(f"{SVG}polygon")) == 1
    assert len(root.findall(f"{SVG}polyline")) == 1


def test_the_burnup_without_a_forecast_has_no_cone() -> None:
    root = parse(
        burnup_svg(
            title="t",
            start=MONDAY,
            weekly_done=[],
            done_before=0,
            scope=0,
            today=MONDAY,
            dates=None,
        )
    )
    assert root.findall(f"{SVG}polygon") == []


def test_the_histogram_marks_weeks_after_the_target_in_words_too() -> None:
    root = parse(
        histogram_svg(
            title="When", start=MONDAY, histogram={3: 10, 4: 50, 6: 5}, target=dt.date(2026, 1, 28)
        )
    )
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 4  # weeks 3 to 6, the empty week 5 included
    assert any("after the target" in (bar.findtext(f"{SVG}title") or "") for bar in bars)
    assert "most often in the week ending 2026-02-01" in (root.findtext(f"{SVG}desc") or "")


def test_an_empty_histogram_says_so() -> None:
    root = parse(histogram_svg(title="When", start=MONDAY, histogram={}))
    assert root.findtext(f"{SVG}desc") == "No simulated completion dates."
