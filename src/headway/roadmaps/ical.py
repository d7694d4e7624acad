"""iCalendar (RFC 5545) export of a roadmap: one all-day event per dated item.

Written by hand because the format is small and the rules that matter are few: TEXT escaping
(RFC 5545 §3.3.11), lines folded at 75 octets without splitting a UTF-8 character (§3.1), CRLF
line ends, DATE values with an exclusive DTEND (§3.6.1), a UID that stays the same for an item
across exports so calendar clients update events instead of duplicating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

from headway.roadmaps.layout import Item, RoadmapInputError
from headway.roadmaps.svg import safe_url

PRODUCT_ID = "-//Headway//Roadmap//EN"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"
KIND_PREFIX = {
    "bar": "",
    "milestone": "Milestone: ",
    "end_of_life": "End of life: ",
    "deprecation": "Deprecation: ",
}

# RFC 5545 TEXT allows no control characters except HTAB; newlines are escaped as \n.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """``value`` as an RFC 5545 TEXT value: backslash, semicolon, comma and newline escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """``line`` folded into pieces of at most 75 octets, continuation lines led by a space."""
    encoded = line.encode()
    if len(encoded) <= MAX_LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        size = len(char.encode())
        if used + size > limit:
            pieces.append("".join(current))
            current, used = [], 0
            limit = MAX_LINE_OCTETS - 1  # the leading space of a continuation line counts
        current.append(char)
        used += size
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def roadmap_calendar(
    items: Sequence[Item],
    *,
    name: str,
    stamp: datetime,
    uid_domain: str = "headway.invalid",
    base_url: str | None = None,
    lane_titles: Mapping[str, str] | None = None,
) -> str:
    """The dated items of a roadmap as an iCalendar document (a ``str`` with CRLF line ends).

    ``stamp`` (timezone-aware) becomes every event's DTSTAMP; pass the export time from the
    clock seam. Relative item URLs are made absolute with ``base_url``, and left out without it,
    because the URL property must hold an absolute URI. Undated items are skipped.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise RoadmapInputError("stamp", "The time stamp needs a time zone.")
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        raise RoadmapInputError("base_url", "The base URL must start with http:// or https://.")
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    dated = sorted(
        (item for item in items if item.is_dated),
        key=lambda item: (item.first_day, item.id),
    )
    for item in dated:
        lines.extend(_event(item, dtstamp, uid_domain, base_url, lane_titles or {}))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)


def _event(
    item: Item,
    dtstamp: str,
    uid_domain: str,
    base_url: str | None,
    lane_titles: Mapping[str, str],
) -> Iterable[str]:
    first, last = item.first_day, item.last_day
    if first is None or last is None:  # only dated items reach here
        return
    if item.kind != "bar":
        first = last  # a point item is a one-day event on its date
    lane = lane_titles.get(item.lane, item.lane)
    details = [f"Lane: {lane}"]
    details.extend(text for text in (item.status, item.label) if text)
    if item.at_risk:
        details.append("At risk: the forecast misses this date.")
    yield "BEGIN:VEVENT"
    yield f"UID:{escape_text(f'roadmap-item-{item.id}@{uid_domain}')}"
    yield f"DTSTAMP:{dtstamp}"
    yield f"DTSTART;VALUE=DATE:{first:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{last + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape_text(KIND_PREFIX[item.kind] + item.title)}"
    yield f"DESCRIPTION:{escape_text(chr(10).join(details))}"
    if lane:
        yield f"CATEGORIES:{escape_text(lane)}"
    url = _absolute_url(item.url, base_url)
    if url is not None:
        yield f"URL:{url}"
    yield "TRANSP:TRANSPARENT"  # a roadmap item does not make anyone busy
    yield "END:VEVENT"


def _absolute_url(url: str | None, base_url: str | None) -> str | None:
    href = safe_url(url)
    if href is None:
        return None
    if not urlsplit(href).scheme:
        if base_url is None:
            return None
        href = urljoin(base_url, href)
    return href
