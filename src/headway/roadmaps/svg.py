"""One SVG renderer for roadmap layouts, used by the roadmap page and by the SVG/HTML exports.

The output is self-contained (no external fonts, scripts or styles: a ``<style>`` element
inside the SVG), draws with CSS classes and ``currentColor`` so it follows light and dark mode,
and never relies on colour alone: at-risk items also carry a hatch pattern and a warning icon.
All text is XML-escaped and links are limited to safe schemes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import date
from urllib.parse import urlsplit

from headway.roadmaps.layout import (
    FONT_SIZE,
    LANE_LABEL_WIDTH,
    MARGIN,
    PlacedItem,
    PlacedSummary,
    RoadmapInputError,
    RoadmapLayout,
    estimate_text_width,
)

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LEGEND_HEIGHT = 28.0
ELLIPSIS = "…"

# Characters XML 1.0 forbids (C0 controls other than tab/newline/return, lone surrogates,
# U+FFFE/U+FFFF): a hostile title must not make the document unparsable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}")
_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f]")

BASE_CSS = """
.hw-svg{--hw-fg:#1f2937;--hw-bg:#ffffff;--hw-bar:#2563eb;--hw-bar-text:#ffffff;
--hw-risk:#b45309;--hw-risk-fill:#fcd34d;--hw-risk-text:#1f2937;--hw-milestone:#7c3aed;
--hw-eol:#dc2626;--hw-deprecation:#d97706;--hw-today:#dc2626;--hw-new:#059669;
color:var(--hw-fg);font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
font-size:11px}
@media (prefers-color-scheme:dark){.hw-svg{--hw-fg:#e5e7eb;--hw-bg:#111827;--hw-bar:#3b82f6;
--hw-risk:#f59e0b;--hw-risk-fill:#fbbf24;--hw-milestone:#a78bfa;--hw-eol:#f87171;
--hw-deprecation:#fbbf24;--hw-today:#f87171;--hw-new:#34d399}}
.hw-svg .hw-bg{fill:var(--hw-bg)}
.hw-svg text{fill:currentColor}
.hw-svg .hw-muted{opacity:.7}
.hw-svg .hw-small{font-size:10px}
.hw-svg .hw-heading{font-weight:600}
.hw-svg .hw-grid{stroke:currentColor;stroke-opacity:.12}
.hw-svg .hw-grid-major{stroke:currentColor;stroke-opacity:.3}
.hw-svg .hw-band{fill:currentColor;fill-opacity:.04}
.hw-svg .hw-rule{stroke:currentColor;stroke-opacity:.2}
.hw-svg a:hover .hw-shape,.hw-svg a:focus .hw-shape{stroke:currentColor;stroke-width:2}
""".strip()

ROADMAP_CSS = """
.hw-svg .hw-today{stroke:var(--hw-today);stroke-width:2;stroke-dasharray:4 3}
.hw-svg .hw-today-label{fill:var(--hw-today);font-weight:600}
.hw-svg .hw-bar .hw-shape{fill:var(--hw-bar)}
.hw-svg .hw-bar text{fill:var(--hw-bar-text)}
.hw-svg .hw-bar.hw-risk .hw-shape{fill:var(--hw-risk-fill);stroke:var(--hw-risk);stroke-width:2}
.hw-svg .hw-bar.hw-risk text{fill:var(--hw-risk-text)}
.hw-svg .hw-risk-icon{fill:var(--hw-risk)}
.hw-svg .hw-bar .hw-risk-icon{fill:var(--hw-risk-text)}
.hw-svg .hw-bar .hw-risk-icon+.hw-glyph{stroke:var(--hw-risk-fill)}
.hw-svg .hw-risk-ring{fill:none;stroke:var(--hw-risk);stroke-width:2;stroke-dasharray:2 2}
.hw-svg .hw-card .hw-shape{fill:var(--hw-bg);stroke:currentColor;stroke-opacity:.35}
.hw-svg .hw-card.hw-risk .hw-shape{stroke:var(--hw-risk);stroke-opacity:1;stroke-width:2}
.hw-svg .hw-milestone .hw-shape{fill:var(--hw-milestone)}
.hw-svg .hw-end_of_life .hw-shape{fill:var(--hw-eol)}
.hw-svg .hw-deprecation .hw-shape{fill:var(--hw-deprecation)}
.hw-svg .hw-glyph{stroke:var(--hw-bg);stroke-width:1.6;fill:none}
.hw-svg .hw-summary .hw-shape{fill:currentColor;fill-opacity:.2;stroke:currentColor;
stroke-opacity:.4;stroke-dasharray:3 2}
.hw-svg .hw-dep{fill:none;stroke:currentColor;stroke-opacity:.55;stroke-width:1.25;
pointer-events:none}
.hw-svg .hw-dep.hw-conflict{stroke:var(--hw-eol);stroke-opacity:1;stroke-dasharray:4 2}
.hw-svg .hw-head{fill:currentColor}
.hw-svg .hw-head-conflict{fill:var(--hw-eol)}
.hw-svg .hw-moved .hw-shape{stroke:var(--hw-new);stroke-width:3;stroke-dasharray:5 2}
""".strip()


def xml_escape(text: str) -> str:
    """``text`` made safe for XML character data and quoted attribute values."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return html.escape(text, quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is relative or http(s)/mailto, else None (so ``javascript:`` never links)."""
    if url is None:
        return None
    url = url.strip()
    if not url or _UNSAFE_IN_URL.search(url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme and scheme not in SAFE_URL_SCHEMES:
        return None
    return url


def fit_text(text: str, room: float, font_size: float = FONT_SIZE) -> str:
    """``text`` cut with an ellipsis to fit ``room`` pixels; empty when not even that fits."""
    text = " ".join(text.split())
    if estimate_text_width(text, font_size) <= room:
        return text
    room -= estimate_text_width(ELLIPSIS, font_size)
    if room < font_size:  # fewer than two characters would be left: show nothing
        return ""
    if text.isascii():
        kept = text[: int(room / (font_size * 0.6))]
    else:
        used, end = 0.0, 0
        for end, char in enumerate(text):  # noqa: B007 - end is read after the loop
            used += estimate_text_width(char, font_size)
            if used > room:
                break
        kept = text[:end]
    return kept.rstrip() + ELLIPSIS


def check_id_prefix(id_prefix: str) -> str:
    """``id_prefix`` when it can start XML ids safely, else a RoadmapInputError."""
    if not _ID_PREFIX.fullmatch(id_prefix):
        message = "Use a letter, then up to 31 letters, digits, hyphens or underscores."
        raise RoadmapInputError("id_prefix", message)
    return id_prefix


def num(value: float) -> str:
    """A coordinate with one decimal, which is finer than any screen needs."""
    return f"{value:.1f}"


def svg_document(
    *,
    width: float,
    height: float,
    title: str,
    description: str,
    body: Iterable[str],
    id_prefix: str,
    css: str,
    defs: str = "",
    root_class: str = "",
    data: Mapping[str, str] | None = None,
    style_nonce: str | None = None,
    embed_style: bool = True,
    role: str = "img",
) -> str:
    """Wrap rendered parts in an accessible, self-contained ``<svg>`` root.

    ``role`` is "img" for a picture; a page whose drawing holds links passes "group", since
    an image's parts cannot be interactive.

    Without ``embed_style`` the ``<style>`` is left out, for pages that load ``BASE_CSS`` and
    the drawing's CSS from a stylesheet instead (so fragments swapped in later need no nonce).
    """
    p = check_id_prefix(id_prefix)
    attributes = "".join(
        f' data-{name}="{xml_escape(value)}"' for name, value in (data or {}).items()
    )
    nonce = f' nonce="{xml_escape(style_nonce)}"' if style_nonce else ""
    return "".join(
        (
            f'<svg xmlns="{SVG_NAMESPACE}" class="hw-svg {root_class}" id="{p}"',
            f' width="{num(width)}" height="{num(height)}"',
            f' viewBox="0 0 {num(width)} {num(height)}"',
            f' role="{"group" if role == "group" else "img"}"',
            f' aria-labelledby="{p}-title {p}-desc"{attributes}>',
            f'<title id="{p}-title">{xml_escape(title)}</title>',
            f'<desc id="{p}-desc">{xml_escape(description)}</desc>',
            f"<style{nonce}>{BASE_CSS}\n{css}</style>" if embed_style else "",
            f"<defs>{defs}</defs>" if defs else "",
            f'<rect class="hw-bg" width="{num(width)}" height="{num(height)}"/>',
            *body,
            "</svg>",
        )
    )


def link(url: str | None, inner: str) -> str:
    """``inner`` wrapped in an ``<a href>`` when ``url`` is safe to link to."""
    href = safe_url(url)
    if href is None:
        return inner
    return f'<a href="{xml_escape(href)}">{inner}</a>'


def render_svg(
    layout: RoadmapLayout,
    *,
    id_prefix: str = "hw-roadmap",
    style_nonce: str | None = None,
    highlight: frozenset[str] = frozenset(),
    embed_style: bool = True,
    role: str = "img",
) -> str:
    """The whole roadmap as an SVG string.

    ``id_prefix`` keeps ids unique when several SVGs share a page; ``style_nonce`` lets the
    embedded ``<style>`` pass a Content-Security-Policy that requires nonces (or leave it out
    with ``embed_style=False`` when the page loads the CSS itself); items whose id is
    in ``highlight`` (say, the ones a move just changed) get an outline and "moved" in their
    hover text.
    """
    p = check_id_prefix(id_prefix)
    lane_titles = {band.lane.key: band.lane.title for band in layout.lanes}
    body: list[str] = []
    body.extend(_lanes(layout))
    if layout.axis is not None:
        body.extend(_axis(layout))
    body.extend(_columns(layout))
    body.extend(_summary(layout, summary) for summary in layout.summaries)
    body.extend(
        _item(placed, p, lane_titles, placed.item.id in highlight) for placed in layout.items
    )
    body.extend(_arrows(layout, p))
    body.append(_legend(layout, p))
    data: dict[str, str] = {"kind": layout.kind}
    if layout.axis is not None:
        data |= {
            "axis-start": layout.axis.start.isoformat(),
            "axis-x0": num(layout.axis.x0),
            "pixels-per-day": num(layout.axis.pixels_per_day),
        }
    return svg_document(
        width=layout.width,
        height=layout.height + LEGEND_HEIGHT,
        title=layout.title,
        description=_describe(layout),
        body=body,
        id_prefix=p,
        css=ROADMAP_CSS,
        defs=_defs(p),
        root_class=f"hw-roadmap hw-{layout.kind}",
        data=data,
        style_nonce=style_nonce,
        embed_style=embed_style,
        role=role,
    )


def _defs(p: str) -> str:
    head = '<path d="M0,0L10,5L0,10z" class="{cls}"/>'
    marker = (
        '<marker id="{id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse">{head}</marker>'
    )
    return (
        f'<pattern id="{p}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="2.5" height="6" fill="currentColor"'
        ' fill-opacity=".3"/></pattern>'
        + marker.format(id=f"{p}-arrow", head=head.format(cls="hw-head"))
        + marker.format(id=f"{p}-arrow-conflict", head=head.format(cls="hw-head-conflict"))
    )


def _describe(layout: RoadmapLayout) -> str:
    kinds = {"timeline": "Timeline", "now_next_later": "Now, next, later", "technology": "Layered"}
    hidden = sum(summary.count for summary in layout.summaries)
    dated = hidden + sum(1 for placed in layout.items if placed.shape != "card")
    at_risk = sum(1 for placed in layout.items if placed.item.at_risk)
    at_risk += sum(summary.at_risk_count for summary in layout.summaries)
    parts = [
        f"{kinds[layout.kind]} roadmap with {len(layout.items) + hidden} items"
        f" in {len(layout.lanes)} lanes"
    ]
    if layout.axis is not None:
        last = date.fromordinal(layout.axis.stop.toordinal() - 1)
        parts.append(
            f"{dated} dated from {layout.axis.start:%B %Y} to {last:%B %Y}"
            f" ({layout.axis.zoom} zoom)"
        )
    parts.append(f"{at_risk} at risk")
    parts.append(f"{len(layout.arrows)} dependencies")
    return "; ".join(parts) + "."


def _lanes(layout: RoadmapLayout) -> Iterable[str]:
    right = layout.width - MARGIN
    for index, band in enumerate(layout.lanes):
        y, h = band.y, band.height
        if index % 2:
            yield (
                f'<rect class="hw-band" x="{num(MARGIN)}" y="{num(y)}"'
                f' width="{num(right - MARGIN)}" height="{num(h)}"/>'
            )
        yield (
            f'<line class="hw-rule" x1="{num(MARGIN)}" x2="{num(right)}"'
            f' y1="{num(y + h)}" y2="{num(y + h)}"/>'
        )
        title = band.lane.title
        label = fit_text(title, LANE_LABEL_WIDTH - 16)
        state = "true" if band.collapsed else "false"
        note = ""
        if band.collapsed:
            noun = "item" if band.item_count == 1 else "items"
            note = (
                f'<text class="hw-muted hw-small" x="{num(MARGIN + 6)}" y="{num(y + 30)}">'
                f"{band.item_count} {noun}, collapsed</text>"
            )
        yield (
            f'<g class="hw-lane-label" data-lane="{xml_escape(band.lane.key)}"'
            f' data-collapsed="{state}"><title>{xml_escape(title)}</title>'
            f'<text class="hw-heading" x="{num(MARGIN + 6)}" y="{num(y + 17)}">'
            f"{xml_escape(label)}</text>{note}</g>"
        )
    if layout.lanes:
        yield (
            f'<line class="hw-rule" x1="{num(MARGIN)}" x2="{num(right)}"'
            f' y1="{num(layout.lanes_top)}" y2="{num(layout.lanes_top)}"/>'
        )


def _vertical(css: str, x: float, top: float, bottom: float) -> str:
    return f'<line class="{css}" x1="{num(x)}" x2="{num(x)}" y1="{num(top)}" y2="{num(bottom)}"/>'


def _axis(layout: RoadmapLayout) -> Iterable[str]:
    axis = layout.axis
    if axis is None:
        return
    top, bottom = layout.lanes_top, layout.lanes_bottom
    for quarter in axis.quarters:
        yield _vertical("hw-grid-major", quarter.x, MARGIN, bottom)
        label = xml_escape(fit_text(quarter.label, quarter.width - 8))
        x = num(quarter.x + 4)
        yield f'<text class="hw-heading" x="{x}" y="{num(MARGIN + 14)}">{label}</text>'
    for month in axis.months:
        yield _vertical("hw-grid", month.x, MARGIN + 20, bottom)
        label = xml_escape(month.label)
        yield f'<text class="hw-muted" x="{num(month.x + 3)}" y="{num(top - 8)}">{label}</text>'
    yield _vertical("hw-grid-major", axis.x1, MARGIN, bottom)
    if axis.today_x is not None:
        yield (
            f'<g class="hw-today-marker"><title>Today, {axis.today.isoformat()}</title>'
            + _vertical("hw-today", axis.today_x, MARGIN + 20, bottom)
            + f'<text class="hw-today-label hw-small" x="{num(axis.today_x + 3)}"'
            f' y="{num(bottom + 11)}">Today</text></g>'
        )


def _columns(layout: RoadmapLayout) -> Iterable[str]:
    if layout.columns and layout.axis is not None:
        yield (
            f'<text class="hw-heading" x="{num(MARGIN)}" y="{num(layout.columns[0].y + 4)}">'
            "Not yet scheduled</text>"
        )
    for column in layout.columns:
        label = xml_escape(f"{column.title} ({column.count})")
        yield (
            f'<text class="hw-heading" data-bucket="{column.bucket}" x="{num(column.x + 6)}"'
            f' y="{num(column.y + 20)}">{label}</text>'
        )
        if layout.axis is None:
            x = num(column.x)
            yield (
                f'<line class="hw-rule" x1="{x}" x2="{x}" y1="{num(column.y)}"'
                f' y2="{num(column.y + column.height)}"/>'
            )


def _summary(layout: RoadmapLayout, summary: PlacedSummary) -> str:
    noun = "item" if summary.count == 1 else "items"
    text = f"{summary.count} {noun}"
    if summary.at_risk_count:
        text += f", {summary.at_risk_count} at risk"
    lane_title = layout.lane_title(summary.lane)
    bucket = f' data-bucket="{summary.bucket}"' if summary.bucket else ""
    return (
        f'<g class="hw-summary" data-lane="{xml_escape(summary.lane)}"{bucket}>'
        f"<title>{xml_escape(f'{lane_title}: {text}')}</title>"
        f'<rect class="hw-shape" x="{num(summary.x)}" y="{num(summary.y)}"'
        f' width="{num(summary.width)}" height="{num(summary.height)}" rx="3"/>'
        f'<text x="{num(summary.x + 6)}" y="{num(summary.y + summary.height / 2 + 4)}">'
        f"{xml_escape(fit_text(text, summary.width - 12))}</text></g>"
    )


def _hover_text(placed: PlacedItem, lane_title: str) -> str:
    item = placed.item
    parts = [item.title]
    if item.start is not None and item.end is not None and item.start != item.end:
        parts.append(f"{item.start.isoformat()} to {item.end.isoformat()}")
    elif item.is_dated:
        parts.append(str(item.last_day))
    if item.kind != "bar":
        parts.append(item.kind.replace("_", " "))
    parts.append(lane_title)
    parts.extend(text for text in (item.status, item.label) if text)
    if item.at_risk:
        parts.append("at risk")
    return " · ".join(parts)


def _item(placed: PlacedItem, p: str, lane_titles: Mapping[str, str], moved: bool = False) -> str:
    item = placed.item
    risk = " hw-risk" if item.at_risk else ""
    if moved:
        risk += " hw-moved"
    attributes = [f'data-item-id="{xml_escape(item.id)}"', f'data-lane="{xml_escape(item.lane)}"']
    if item.start is not None:
        attributes.append(f'data-start="{item.start.isoformat()}"')
    if item.end is not None:
        attributes.append(f'data-end="{item.end.isoformat()}"')
    if item.depends_on:
        attributes.append(f'data-depends-on="{xml_escape(" ".join(item.depends_on))}"')
    lane_title = lane_titles.get(item.lane, item.lane)
    hover_text = _hover_text(placed, lane_title) + (" · just moved" if moved else "")
    hover = f"<title>{xml_escape(hover_text)}</title>"
    if placed.shape == "bar":
        inner = _bar(placed, p)
    elif placed.shape == "card":
        inner = _card(placed, p, lane_title)
    else:
        inner = _marker(placed)
    group = f'<g class="hw-item hw-{placed.shape}{risk}" {" ".join(attributes)}>{hover}{inner}</g>'
    return link(item.url, group)


def _risk_icon(x: float, cy: float) -> str:
    """A small warning triangle with an exclamation mark, so risk never rests on colour."""
    return (
        f'<path class="hw-risk-icon" d="M{num(x + 5)},{num(cy - 5)}L{num(x + 10)},{num(cy + 4.5)}'
        f'H{num(x)}Z"/><path class="hw-glyph" d="M{num(x + 5)},{num(cy - 2)}V{num(cy + 1.5)}'
        f'M{num(x + 5)},{num(cy + 2.6)}V{num(cy + 3.6)}"/>'
    )


def _bar(placed: PlacedItem, p: str) -> str:
    x, y, w, h = placed.x, placed.y, placed.width, placed.height
    box = f'x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" rx="3"'
    parts = [f'<rect class="hw-shape" {box}/>']
    text_x, room = x + 4, placed.text_room
    if placed.item.at_risk:
        parts.append(f'<rect {box} fill="url(#{p}-hatch)"/>')
        if w >= 16:
            parts.append(_risk_icon(x + 3, placed.cy))
            text_x, room = x + 16, room - 12
    label = fit_text(placed.item.title, room)
    if label:
        parts.append(f'<text x="{num(text_x)}" y="{num(placed.cy + 4)}">{xml_escape(label)}</text>')
    return "".join(parts)


def _marker_shape(shape: str, cx: float, cy: float, r: float) -> str:
    """A milestone diamond, an end-of-life crossed disc or a deprecation warning triangle."""
    if shape == "milestone":
        return (
            f'<path class="hw-shape" d="M{num(cx)},{num(cy - r)}L{num(cx + r)},{num(cy)}'
            f'L{num(cx)},{num(cy + r)}L{num(cx - r)},{num(cy)}Z"/>'
        )
    if shape == "end_of_life":
        d = r * 0.45
        return (
            f'<circle class="hw-shape" cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"/>'
            f'<path class="hw-glyph" d="M{num(cx - d)},{num(cy - d)}L{num(cx + d)},{num(cy + d)}'
            f'M{num(cx + d)},{num(cy - d)}L{num(cx - d)},{num(cy + d)}"/>'
        )
    return (
        f'<path class="hw-shape" d="M{num(cx)},{num(cy - r)}L{num(cx + r)},{num(cy + r * 0.8)}'
        f'H{num(cx - r)}Z"/><path class="hw-glyph" d="M{num(cx)},{num(cy - r * 0.35)}'
        f'V{num(cy + r * 0.2)}M{num(cx)},{num(cy + r * 0.4)}V{num(cy + r * 0.6)}"/>'
    )


def _marker(placed: PlacedItem) -> str:
    cx, cy, r = placed.x + placed.width / 2, placed.cy, placed.width / 2
    shape = _marker_shape(placed.shape, cx, cy, r)
    if placed.item.at_risk:
        shape += f'<circle class="hw-risk-ring" cx="{num(cx)}" cy="{num(cy)}" r="{num(r + 3)}"/>'
    label = fit_text(placed.item.title, placed.text_room)
    if label:
        shape += f'<text x="{num(placed.right + 4)}" y="{num(cy + 4)}">{xml_escape(label)}</text>'
    return shape


def _card(placed: PlacedItem, p: str, lane_title: str) -> str:
    item = placed.item
    x, y, w, h = placed.x, placed.y, placed.width, placed.height
    parts = [
        f'<rect class="hw-shape" x="{num(x)}" y="{num(y)}" width="{num(w)}"'
        f' height="{num(h)}" rx="4"/>'
    ]
    text_x, room = x + 8, placed.text_room
    if item.at_risk:
        parts.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="8" height="{num(h)}" fill="url(#{p}-hatch)"/>'
        )
        parts.append(_risk_icon(x + w - 16, y + 12))
        room -= 16
        text_x = x + 12
    title = fit_text(item.title, room - 4)
    details = [lane_title, *(text for text in (item.status, item.label) if text)]
    if item.at_risk:
        details.insert(0, "At risk")
    detail = fit_text(" · ".join(details), placed.text_room - 4, FONT_SIZE - 1)
    parts.append(f'<text x="{num(text_x)}" y="{num(y + 16)}">{xml_escape(title)}</text>')
    parts.append(
        f'<text class="hw-muted hw-small" x="{num(text_x)}" y="{num(y + 31)}">'
        f"{xml_escape(detail)}</text>"
    )
    return "".join(parts)


def _arrows(layout: RoadmapLayout, p: str) -> Iterable[str]:
    for arrow in layout.arrows:
        (x1, y1), (c1x, c1y), (c2x, c2y), (x2, y2) = arrow.points
        conflict = " hw-conflict" if arrow.conflict else ""
        head = f"{p}-arrow-conflict" if arrow.conflict else f"{p}-arrow"
        yield (
            f'<path class="hw-dep{conflict}" data-from="{xml_escape(arrow.from_id)}"'
            f' data-to="{xml_escape(arrow.to_id)}" marker-end="url(#{head})"'
            f' d="M{num(x1)},{num(y1)}C{num(c1x)},{num(c1y)} {num(c2x)},{num(c2y)}'
            f' {num(x2)},{num(y2)}"/>'
        )


def _legend(layout: RoadmapLayout, p: str) -> str:
    """A key to the shapes, so none of them has to be guessed from its colour."""
    y = layout.height + 6
    cy = y + 8
    box = f'y="{num(y + 1)}" width="26" height="14" rx="3"'
    entries: list[tuple[str, str]] = []
    if layout.axis is not None:
        entries.append(("Planned", f'<g class="hw-bar"><rect class="hw-shape" {box}/></g>'))
    entries.append(
        (
            "At risk",
            f'<g class="hw-bar hw-risk"><rect class="hw-shape" {box}/>'
            f'<rect {box} fill="url(#{p}-hatch)"/>{_risk_icon(3, cy)}</g>',
        )
    )
    if layout.axis is not None:
        for shape, text in (
            ("milestone", "Milestone"),
            ("end_of_life", "End of life"),
            ("deprecation", "Deprecation"),
        ):
            entries.append((text, f'<g class="hw-{shape}">{_marker_shape(shape, 13, cy, 7)}</g>'))
    entries.append(
        ("Depends on", f'<path class="hw-dep" marker-end="url(#{p}-arrow)" d="M0,{num(cy)}H26"/>')
    )
    parts = ['<g class="hw-legend" aria-hidden="true">']
    x = MARGIN
    for text, sample in entries:
        parts.append(f'<g transform="translate({num(x)},0)">{sample}</g>')
        parts.append(f'<text x="{num(x + 32)}" y="{num(cy + 4)}">{text}</text>')
        x += 44 + estimate_text_width(text)
    parts.append("</g>")
    return "".join(parts)
