"""Tests for the iCalendar export, checked by parsing it back with the icalendar package."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.roadmaps.ical import escape_text, fold_line, roadmap_calendar
from headway.roadmaps.layout import Item, RoadmapInputError

STAMP = datetime(2025, 5, 14, 9, 30, tzinfo=UTC)


def events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def sample() -> list[Item]:
    return [
        Item(
            "1",
            "Checkout, v2; with \\ backslash",
            "pay",
            date(2025, 1, 6),
            date(2025, 2, 28),
            url="/features/1/",
        ),
        Item(
            "2",
            "Launch",
            "pay",
            end=date(2025, 3, 1),
            kind="milestone",
            url="https://x.org/m?a=1,2;b",
        ),
        Item("3", "Python 3.9", "infra", start=date(2025, 10, 5), kind="end_of_life"),
        Item("4", "Undated idea", "pay", bucket="later"),
        Item(
            "5",
            "Risky\nwork",
            "pay",
            date(2025, 4, 1),
            date(2025, 4, 1),
            at_risk=True,
            status="in progress",
        ),
    ]


def test_one_event_per_dated_item_with_exclusive_all_day_ends() -> None:
    found = events(roadmap_calendar(sample(), name="Payments", stamp=STAMP))
    assert set(found) == {f"roadmap-item-{n}@headway.invalid" for n in ("1", "2", "3", "5")}
    checkout = found["roadmap-item-1@headway.invalid"]
    assert checkout["DTSTART"].dt == date(2025, 1, 6)
    assert checkout["DTEND"].dt == date(2025, 3, 1)
    one_day = found["roadmap-item-5@headway.invalid"]
    assert one_day["DTEND"].dt - one_day["DTSTART"].dt == timedelta(days=1)


def test_point_items_are_one_day_events_on_their_date() -> None:
    found = events(roadmap_calendar(sample(), name="Payments", stamp=STAMP))
    launch = found["roadmap-item-2@headway.invalid"]
    assert (launch["DTSTART"].dt, launch["DTEND"].dt) == (date(2025, 3, 1), date(2025, 3, 2))
    assert str(launch["SUMMARY"]) == "Milestone: Launch"
    assert str(found["roadmap-item-3@headway.invalid"]["SUMMARY"]) == "End of life: Python 3.9"


def test_special_characters_survive_the_round_trip() -> None:
    found = events(roadmap_calendar(sample(), name="Pay, ments; \\ team", stamp=STAMP))
    assert (
        str(found["roadmap-item-1@headway.invalid"]["SUMMARY"]) == "Checkout, v2; with \\ backslash"
    )
    assert str(found["roadmap-item-5@headway.invalid"]["SUMMARY"]) == "Risky\nwork"
    description = str(found["roadmap-item-5@headway.invalid"]["DESCRIPTION"])
    assert "in progress" in description and "At risk" in description
    calendar = icalendar.Calendar.from_ical(
        roadmap_calendar([], name="Pay, ments; \\ team", stamp=STAMP)
    )
    # icalendar leaves NAME and X-WR-CALNAME undecoded: they arrive whole, still escaped.
    for key in ("NAME", "X-WR-CALNAME"):
        assert str(calendar[key]) == "Pay\\, ments\\; \\\\ team"


def test_urls_are_absolute_or_left_out() -> None:
    without_base = events(roadmap_calendar(sample(), name="P", stamp=STAMP))
    assert "URL" not in without_base["roadmap-item-1@headway.invalid"]
    assert str(without_base["roadmap-item-2@headway.invalid"]["URL"]) == "https://x.org/m?a=1,2;b"
    with_base = events(
        roadmap_calendar(sample(), name="P", stamp=STAMP, base_url="https://pm.example.org/")
    )
    assert (
        str(with_base["roadmap-item-1@headway.invalid"]["URL"])
        == "https://pm.example.org/features/1/"
    )


def test_unsafe_urls_are_never_written() -> None:
    item = Item("x", "X", "a", date(2025, 1, 1), date(2025, 1, 2), url="javascript:alert(1)")
    assert "javascript" not in roadmap_calendar([item], name="P", stamp=STAMP)


def test_uids_are_stable_across_exports_and_dtstamp_is_utc() -> None:
    later = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    first = events(roadmap_calendar(sample(), name="P", stamp=STAMP, uid_domain="acme.example"))
    second = events(
        roadmap_calendar(list(reversed(sample())), name="P", stamp=later, uid_domain="acme.example")
    )
    assert set(first) == set(second)
    stamp = second["roadmap-item-1@acme.example"]["DTSTAMP"].dt
    assert stamp == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def test_lines_end_in_crlf_and_never_exceed_75_octets() -> None:
    long_title = "Überarbeitung der Zahlungsabwicklung für 日本 und 🚀 " * 6
    text = roadmap_calendar(
        [Item("x", long_title, "a", date(2025, 1, 1), date(2025, 1, 9))], name="P", stamp=STAMP
    )
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)
    (event,) = events(text).values()
    assert str(event["SUMMARY"]) == long_title


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
        min_size=1,
        max_size=200,
    )
)
def test_any_title_round_trips_through_icalendar(title: str) -> None:
    text = roadmap_calendar(
        [Item("x", title, "a", date(2025, 1, 1), date(2025, 1, 2))], name="P", stamp=STAMP
    )
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    (event,) = events(text).values()
    assert str(event["SUMMARY"]) == title


@settings(max_examples=150, deadline=None)
@given(
    line=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=300
    )
)
def test_folding_never_splits_a_character_and_unfolds_to_the_original(line: str) -> None:
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line


def test_text_escaping_follows_rfc_5545() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert escape_text("bell\x07") == "bell"


def test_undated_items_are_left_out() -> None:
    text = roadmap_calendar([Item("x", "Someday", "a")], name="P", stamp=STAMP)
    assert "BEGIN:VEVENT" not in text
    assert icalendar.Calendar.from_ical(text)["VERSION"] == "2.0"


def test_a_naive_time_stamp_is_refused() -> None:
    with pytest.raises(RoadmapInputError) as error:
        roadmap_calendar([], name="P", stamp=datetime(2025, 1, 1, 12, 0))
    assert error.value.field == "stamp"


def test_a_base_url_without_http_is_refused() -> None:
    with pytest.raises(RoadmapInputError) as error:
        roadmap_calendar([], name="P", stamp=STAMP, base_url="javascript:x")
    assert error.value.field == "base_url"
