"""A roadmap as a file: SVG, self-contained HTML, CSV, JSON, Markdown or iCalendar.

Every format is made from the same ``Board`` the page draws, one row (or event) per item. The
drawings leave out links to Headway's pages, which mean nothing outside it.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.text import slugify

from headway.core import clock
from headway.roadmaps.board import Board
from headway.roadmaps.ical import roadmap_calendar
from headway.roadmaps.items import Zoom, bucket_of
from headway.roadmaps.svg import render_svg

FORMATS: tuple[str, ...] = ("svg", "html", "csv", "json", "md", "ics")
COLUMNS: tuple[str, ...] = ("title", "lane", "start", "end", "kind", "status", "at_risk")
CONTENT_TYPES = {
    "svg": "image/svg+xml",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

HTML_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1f2937;
background:#fff}
@media (prefers-color-scheme:dark){body{color:#e5e7eb;background:#111827}}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem}p{margin:0 0 1rem;opacity:.75}
.scroll{overflow-x:auto;margin-bottom:1.5rem}
table{border-collapse:collapse;font-size:.875rem;width:100%}
th,td{text-align:left;padding:.4rem;border-bottom:1px solid #9ca3af55;vertical-align:top}
th{font-weight:600}
""".strip()


@dataclass(frozen=True)
class Export:
    """A file ready to send."""

    content: str
    content_type: str
    filename: str


def rows(board: Board) -> list[dict[str, Any]]:
    """One record per item: what every tabular format writes."""
    result = []
    for entry in board.entries:
        item = entry.item
        result.append(
            {
                "id": entry.key,
                "title": item.title,
                "lane": entry.lane_title,
                "start": item.start.isoformat() if item.start else None,
                "end": item.end.isoformat() if item.end else None,
                "kind": entry.kind,
                "status": entry.status,
                "at_risk": item.at_risk,
                "dates_from": entry.dates.source,
                "bucket": None if item.is_dated else bucket_of(item, board.today),
            }
        )
    return result


def export(board: Board, fmt: str, *, zoom: Zoom = "month", base_url: str | None = None) -> Export:
    """``board`` in format ``fmt`` (one of ``FORMATS``; the caller has checked it)."""
    roadmap = board.roadmap
    name = slugify(roadmap.name) or "roadmap"
    filename = f"{name}.{fmt}"
    if fmt == "svg":
        content = render_svg(_layout(board, zoom), id_prefix="roadmap")
    elif fmt == "html":
        content = standalone_html(board, zoom)
    elif fmt == "csv":
        content = to_csv(rows(board))
    elif fmt == "json":
        content = json.dumps(
            {
                "roadmap": {
                    "id": roadmap.pk,
                    "name": roadmap.name,
                    "kind": roadmap.kind,
                    "lane_by": roadmap.lane_by,
                    "exported": clock.now().isoformat(),
                },
                "items": rows(board),
            },
            indent=2,
            ensure_ascii=False,
        )
    elif fmt == "md":
        content = to_markdown(roadmap.name, rows(board), board.today)
    elif fmt == "ics":
        content = roadmap_calendar(
            board.items(),
            name=roadmap.name,
            stamp=clock.now(),
            base_url=base_url,
            lane_titles={lane.key: lane.title for lane in board.lanes},
        )
    else:
        raise ValueError(f"Unknown export format {fmt!r}.")
    return Export(content, CONTENT_TYPES[fmt], filename)


def _layout(board: Board, zoom: Zoom) -> Any:
    return board.layout(zoom=zoom, public=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """Records as CSV with a header row; cells that a spreadsheet would run are defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return out.getvalue()


def _md(value: Any) -> str:
    text = _cell(value) if not isinstance(value, str) else value
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or "—"


def to_markdown(title: str, records: Sequence[dict[str, Any]], today: date) -> str:
    """Records as a Markdown table under the roadmap's name."""
    lines = [
        f"# {_md(title)}",
        "",
        f"Exported {today.isoformat()}.",
        "",
        "| " + " | ".join(c.replace("_", " ").capitalize() for c in COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for record in records:
        lines.append("| " + " | ".join(_md(record[column]) for column in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def standalone_html(board: Board, zoom: Zoom) -> str:
    """One HTML file with the drawing inline and a table: no scripts, no external styles."""
    roadmap = board.roadmap
    svg = render_svg(_layout(board, zoom), id_prefix="roadmap")
    header = "".join(f"<th scope='col'>{c.replace('_', ' ').capitalize()}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(r[c]))}</td>" for c in COLUMNS) + "</tr>"
        for r in rows(board)
    )
    name = html.escape(roadmap.name)
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{name}</title><style>{HTML_CSS}</style></head><body>"
        f"<h1>{name}</h1><p>Exported from Headway on {board.today.isoformat()}.</p>"
        f"<div class='scroll'>{svg}</div>"
        "<h2>Items</h2>"
        f"<table><thead><tr>{header}</tr></thead>"
        f"<tbody>{body}</tbody></table></body></html>\n"
    )


RADAR_FORMATS: tuple[str, ...] = ("json", "csv")
RADAR_COLUMNS: tuple[str, ...] = (
    "name",
    "quadrant",
    "ring",
    "rationale",
    "owner",
    "since",
    "previous_ring",
    "roadmap_items",
)


def radar_export(product_name: str, blips: Sequence[dict[str, Any]], fmt: str) -> Export:
    """The radar's blips (as the API shows them) as JSON, or CSV with one row per blip."""
    name = slugify(product_name) or "product"
    if fmt == "json":
        content = json.dumps(
            {"product": product_name, "exported": clock.now().isoformat(), "blips": blips},
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        return Export(content, CONTENT_TYPES["json"], f"{name}-radar.json")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(RADAR_COLUMNS)
    for blip in blips:
        history = blip["history"]
        last = history[-1] if history else None
        writer.writerow(
            [
                _cell(blip["name"]),
                blip["quadrant"],
                blip["ring"],
                _cell(blip["rationale"]),
                _cell(blip["owner"]),
                last["at"].date().isoformat() if last else "",
                (last["from_ring"] or "") if last else "",
                " ".join(str(pk) for pk in blip["roadmap_items"]),
            ]
        )
    return Export(out.getvalue(), CONTENT_TYPES["csv"], f"{name}-radar.csv")
