"""Release notes, the public changelog's Atom feed and the releases' iCalendar feed.

Notes come from the customer-facing `release_note` of the release's shipped (done) features,
grouped New / Improved / Fixed. The writers take plain data so they are easy to test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from xml.sax.saxutils import escape as xml_escape

from headway.planning.models import Feature, FeatureStatus, NoteKind
from headway.roadmaps.ical import CRLF, escape_text, fold_line

GROUPS: tuple[tuple[str, str], ...] = (
    (NoteKind.NEW, "New"),
    (NoteKind.IMPROVED, "Improved"),
    (NoteKind.FIXED, "Fixed"),
)


@dataclass(frozen=True)
class ReleaseNotes:
    """A release's notes, grouped by kind (only the groups that have notes)."""

    release_id: int
    name: str
    date: dt.date | None
    groups: list[tuple[str, list[str]]]

    def markdown(self) -> str:
        lines = [f"# {self.name}" + (f" ({self.date.isoformat()})" if self.date else ""), ""]
        if not self.groups:
            lines.append("No customer-facing changes.")
        for label, notes in self.groups:
            lines += [f"## {label}", ""] + [f"- {note}" for note in notes] + [""]
        return "\n".join(lines).rstrip() + "\n"

    def html(self) -> str:
        parts = []
        if not self.groups:
            parts.append("<p>No customer-facing changes.</p>")
        for label, notes in self.groups:
            items = "".join(f"<li>{escape(note)}</li>" for note in notes)
            parts.append(f"<h3>{escape(label)}</h3><ul>{items}</ul>")
        return "".join(parts)


def group_notes(rows: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(kind, note) pairs grouped New / Improved / Fixed, blank notes left out."""
    by_kind: dict[str, list[str]] = {kind: [] for kind, _ in GROUPS}
    for kind, note in rows:
        text = " ".join(note.split())
        if text:
            by_kind.setdefault(kind, []).append(text)
    return [(label, by_kind[kind]) for kind, label in GROUPS if by_kind[kind]]


def notes_for(releases: Sequence[object]) -> dict[int, ReleaseNotes]:
    """Notes of several releases in one query (release id -> notes)."""
    ids = [release.pk for release in releases]  # type: ignore[attr-defined]
    rows: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for release_id, kind, note in (
        Feature.objects.filter(release_id__in=ids, status=FeatureStatus.DONE)
        .exclude(release_note="")
        .order_by("done_at", "id")
        .values_list("release_id", "release_note_kind", "release_note")
    ):
        rows[release_id].append((kind, note))
    result = {}
    for release in releases:
        released_at = getattr(release, "released_at", None)
        day = released_at.date() if released_at else getattr(release, "target_date", None)
        result[release.pk] = ReleaseNotes(  # type: ignore[attr-defined]
            release.pk,  # type: ignore[attr-defined]
            str(getattr(release, "name", "")),
            day,
            group_notes(rows[release.pk]),  # type: ignore[attr-defined]
        )
    return result


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: dt.datetime
    html: str
    link: str


def atom_feed(
    *,
    feed_id: str,
    title: str,
    link: str,
    self_link: str,
    entries: Sequence[FeedEntry],
    updated: dt.datetime,
) -> str:
    """An Atom 1.0 document (RFC 4287): feed id, title, updated, author; entries with content."""

    def stamp(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{xml_escape(feed_id)}</id>",
        f"<title>{xml_escape(title)}</title>",
        f"<updated>{stamp(updated)}</updated>",
        f"<author><name>{xml_escape(title)}</name></author>",
        f'<link rel="alternate" type="text/html" href="{xml_escape(link, {chr(34): "&quot;"})}"/>',
        f'<link rel="self" type="application/atom+xml" '
        f'href="{xml_escape(self_link, {chr(34): "&quot;"})}"/>',
    ]
    for entry in entries:
        out += [
            "<entry>",
            f"<id>{xml_escape(entry.id)}</id>",
            f"<title>{xml_escape(entry.title)}</title>",
            f"<updated>{stamp(entry.updated)}</updated>",
            f'<link rel="alternate" type="text/html" '
            f'href="{xml_escape(entry.link, {chr(34): "&quot;"})}"/>',
            f'<content type="html">{xml_escape(entry.html)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class CalendarRelease:
    uid: str
    name: str
    day: dt.date
    status: str
    url: str


def releases_calendar(name: str, releases: Sequence[CalendarRelease], stamp: dt.datetime) -> str:
    """An iCalendar feed with one all-day event per dated release (roadmaps' TEXT rules)."""
    stamped = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Headway//Releases//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for release in releases:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{release.uid}",
            f"DTSTAMP:{stamped}",
            f"DTSTART;VALUE=DATE:{release.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(release.day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text('Release ' + release.name)}",
            f"DESCRIPTION:{escape_text('Status: ' + release.status)}",
            f"URL:{release.url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return CRLF.join(fold_line(line) for line in lines) + CRLF
