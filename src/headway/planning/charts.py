"""Server-rendered SVG charts of the planning pages: risk heat map, 2×2 matrices, dependency graph.

Pure functions returning SVG text. Every mark carries a text label or a <title>, so colour is
never the only signal, and every string from users is escaped.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from headway.planning.dependencies import indexed_edges, require_order

_HEAT = ("#e7f5ec", "#fdf3d7", "#fde2c4", "#f9c5b8", "#f2a39a")  # low → high exposure


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label={quoteattr(label)} class="chart">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def risk_heat_map(counts: Mapping[tuple[int, int], int]) -> str:
    """A 5×5 grid, probability up the side and impact along the bottom, each cell showing how
    many risks sit there; ``counts`` maps (probability, impact) to a count."""
    cell, left, top = 56.0, 70.0, 10.0
    body: list[str] = []
    for probability in range(1, 6):
        y = top + (5 - probability) * cell
        body.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end" '
            f'class="chart__axis">{probability}</text>'
        )
        for impact in range(1, 6):
            x = left + (impact - 1) * cell
            exposure = probability * impact
            shade = _HEAT[min(4, (exposure - 1) // 5)]
            n = counts.get((probability, impact), 0)
            noun = "risk" if n == 1 else "risks"
            body.append(
                f"<g><title>Probability {probability} × impact {impact} = {exposure}: "
                f"{n} {noun}</title>"
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{shade}" '
                f'stroke="#8a8f98" stroke-width="{2 if n else 0.5}"/>'
                f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                f'class="chart__count">{n if n else "·"}</text></g>'
            )
    for impact in range(1, 6):
        x = left + (impact - 1) * cell + cell / 2
        body.append(
            f'<text x="{x}" y="{top + 5 * cell + 16}" text-anchor="middle" '
            f'class="chart__axis">{impact}</text>'
        )
    body.append(
        f'<text x="{left + 2.5 * cell}" y="{top + 5 * cell + 36}" text-anchor="middle" '
        f'class="chart__label">Impact →</text>'
        f'<text x="14" y="{top + 2.5 * cell}" text-anchor="middle" class="chart__label" '
        f'transform="rotate(-90 14 {top + 2.5 * cell})">Probability →</text>'
    )
    return _svg(int(left + 5 * cell + 10), int(top + 5 * cell + 46), "Risk heat map", body)


@dataclass(frozen=True, slots=True)
class Point:
    """One item on a 2×2 matrix: ratings 1–10 on both axes."""

    label: str
    x: float
    y: float
    quadrant: str


def matrix(
    title: str,
    points: Sequence[Point],
    x_label: str,
    y_label: str,
    quadrants: tuple[str, str, str, str],
) -> str:
    """A 2×2 matrix (ratings 1–10, split at 5.5) with named quadrants: ``quadrants`` are
    top-left, top-right, bottom-left, bottom-right. Each point is numbered and listed by name
    in its <title>, so the chart reads without colour."""
    size, pad = 320, 40

    def position(rating: float) -> float:
        return (min(10.0, max(1.0, rating)) - 1) / 9 * size

    body = [
        f'<rect x="{pad}" y="10" width="{size}" height="{size}" fill="#fafbfc" stroke="#8a8f98"/>',
        f'<line x1="{pad + size / 2}" y1="10" x2="{pad + size / 2}" y2="{10 + size}" '
        f'stroke="#8a8f98" stroke-dasharray="4 3"/>',
        f'<line x1="{pad}" y1="{10 + size / 2}" x2="{pad + size}" y2="{10 + size / 2}" '
        f'stroke="#8a8f98" stroke-dasharray="4 3"/>',
    ]
    corners = (
        (pad + 6, 26, "start"),
        (pad + size - 6, 26, "end"),
        (pad + 6, size, "start"),
        (pad + size - 6, size, "end"),
    )
    for (x, y, anchor), name in zip(corners, quadrants, strict=True):
        body.append(
            f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="chart__quadrant">'
            f"{escape(name)}</text>"
        )
    for number, point in enumerate(points, start=1):
        cx = pad + position(point.x)
        cy = 10 + size - position(point.y)
        body.append(
            f"<g><title>{number}. {escape(point.label)}: {escape(x_label)} "
            f"{point.x:g}, {escape(y_label)} {point.y:g} ({escape(point.quadrant)})</title>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" fill="#3b5bdb" fill-opacity=".85"/>'
            f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" class="chart__dot">'
            f"{number}</text></g>"
        )
    body.append(
        f'<text x="{pad + size / 2}" y="{size + 34}" text-anchor="middle" class="chart__label">'
        f"{escape(x_label)} →</text>"
        f'<text x="14" y="{10 + size / 2}" text-anchor="middle" class="chart__label" '
        f'transform="rotate(-90 14 {10 + size / 2})">{escape(y_label)} →</text>'
    )
    return _svg(pad + size + 10, size + 44, title, body)


def dependency_graph[I: Hashable](
    titles: Mapping[I, str], edges: Sequence[tuple[I, I]], critical: Sequence[I] = ()
) -> str:
    """Items in columns by depth (what they depend on to their left), an arrow from each
    prerequisite to its dependant; the critical path is drawn thick and marked "critical"."""
    ids = list(titles)
    if not ids:
        return _svg(300, 40, "Dependency graph: no features", [])
    depends_on = indexed_edges(ids, edges, "depends_on")
    depth = [0] * len(ids)
    for index in require_order(ids, depends_on):
        depth[index] = max((depth[d] + 1 for d in depends_on[index]), default=0)
    rows: dict[int, int] = {}
    place: list[tuple[float, float]] = []
    box_w, box_h, gap_x, gap_y = 190, 40, 60, 18
    for index in range(len(ids)):
        row = rows.get(depth[index], 0)
        rows[depth[index]] = row + 1
        place.append((10 + depth[index] * (box_w + gap_x), 10 + row * (box_h + gap_y)))
    on_path = set(critical)
    critical_edges = {(a, b) for a, b in zip(critical, critical[1:], strict=False)}
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#5c6370"/></marker>'
        "</defs>"
    ]
    for index, dependencies in enumerate(depends_on):
        for d in dependencies:
            (x1, y1), (x2, y2) = place[d], place[index]
            thick = (ids[d], ids[index]) in critical_edges
            body.append(
                f'<line x1="{x1 + box_w}" y1="{y1 + box_h / 2}" x2="{x2}" '
                f'y2="{y2 + box_h / 2}" stroke="#5c6370" stroke-width="{3 if thick else 1.2}" '
                f'marker-end="url(#arrow)"><title>{escape(titles[ids[index]])} depends on '
                f"{escape(titles[ids[d]])}</title></line>"
            )
    for index, item in enumerate(ids):
        x, y = place[index]
        title = titles[item]
        short = title if len(title) <= 26 else title[:25] + "…"
        marked = item in on_path
        body.append(
            f"<g><title>{escape(title)}{' (critical path)' if marked else ''}</title>"
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="6" '
            f'fill="{"#fff4e5" if marked else "#ffffff"}" stroke="#5c6370" '
            f'stroke-width="{2.5 if marked else 1}"/>'
            f'<text x="{x + 8}" y="{y + 17}" class="chart__node">{escape(short)}</text>'
            f'<text x="{x + 8}" y="{y + 32}" class="chart__small">'
            f"{'critical' if marked else ''}</text></g>"
        )
    width = int(max(x for x, _ in place) + box_w + 20)
    height = int(max(y for _, y in place) + box_h + 20)
    return _svg(width, height, "Dependency graph", body)
