"""Technology radar: blips in quadrants and rings, placed deterministically and drawn as SVG.

Pure Python with no Django import; drawn with the helpers of ``svg.py`` so the radar looks and
behaves like the roadmaps (same palette, escaping, link rules and accessibility).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from headway.roadmaps.layout import MARGIN, RoadmapInputError, estimate_text_width
from headway.roadmaps.svg import fit_text, link, num, svg_document, xml_escape

Quadrant = Literal["techniques", "platforms", "tools", "languages_frameworks"]
Ring = Literal["adopt", "trial", "assess", "hold"]
Movement = Literal["none", "in", "out", "new"]

QUADRANTS: tuple[Quadrant, ...] = ("techniques", "tools", "platforms", "languages_frameworks")
QUADRANT_TITLES: dict[Quadrant, str] = {
    "techniques": "Techniques",
    "tools": "Tools",
    "platforms": "Platforms",
    "languages_frameworks": "Languages & frameworks",
}
RINGS: tuple[Ring, ...] = ("adopt", "trial", "assess", "hold")
RING_TITLES: dict[Ring, str] = {
    "adopt": "Adopt",
    "trial": "Trial",
    "assess": "Assess",
    "hold": "Hold",
}
MOVEMENT_TEXT: dict[Movement, str] = {
    "none": "",
    "in": "moved in",
    "out": "moved out",
    "new": "new",
}

RADIUS = 300.0
RING_OUTER = (0.42, 0.64, 0.83, 1.0)  # fraction of RADIUS at each ring's outer edge
BLIP_RADIUS = 9.0
BLIP_GAP = 3.0
AXIS_CLEARANCE = 9.0
LEGEND_WIDTH = 250.0
LEGEND_LINE = 15.0
LEGEND_GAP = 24.0
KEY_HEIGHT = 64.0  # the quadrant titles below the circle and the key to the blip shapes
TOP = MARGIN + 28.0  # room for the quadrant titles above the circle
# Quadrant → the quarter of the circle it occupies, as the angle (degrees, counter-clockwise
# from the positive x axis) where it starts. Techniques top left, tools top right.
QUADRANT_START: dict[Quadrant, float] = {
    "tools": 0.0,
    "techniques": 90.0,
    "platforms": 180.0,
    "languages_frameworks": 270.0,
}


@dataclass(frozen=True, slots=True)
class RingMove:
    """A blip entering a ring on a date (its first move is when it joined the radar)."""

    at: date
    ring: Ring

    def __post_init__(self) -> None:
        if self.ring not in RINGS:
            raise RoadmapInputError("history.ring", f"Unknown ring {self.ring!r}.", RINGS)


@dataclass(frozen=True, slots=True)
class Blip:
    """One technology on the radar, with its current ring and the history of its moves."""

    id: str
    name: str
    quadrant: Quadrant
    ring: Ring
    history: tuple[RingMove, ...] = ()
    url: str | None = None
    rationale: str = ""

    def __post_init__(self) -> None:
        if self.quadrant not in QUADRANTS:
            raise RoadmapInputError("quadrant", f"Unknown quadrant {self.quadrant!r}.", QUADRANTS)
        if self.ring not in RINGS:
            raise RoadmapInputError("ring", f"Unknown ring {self.ring!r}.", RINGS)

    def ring_on(self, day: date) -> Ring | None:
        """The ring the blip was in on ``day``; None when it was not on the radar yet.

        A blip without history is taken to have always been where it is now.
        """
        if not self.history:
            return self.ring
        earlier = [move for move in self.history if move.at <= day]
        if not earlier:
            return None
        return max(earlier, key=lambda move: move.at).ring


@dataclass(frozen=True, slots=True)
class BlipMovement:
    """How a blip moved since a date: ``in`` is towards adopt, ``out`` towards hold."""

    id: str
    name: str
    quadrant: Quadrant
    from_ring: Ring | None
    to_ring: Ring
    movement: Movement


@dataclass(frozen=True, slots=True)
class PlacedBlip:
    """A blip with its number on the radar and the centre of its symbol."""

    blip: Blip
    number: int
    x: float
    y: float
    movement: Movement


@dataclass(frozen=True, slots=True)
class RadarLayout:
    """A radar ready to draw: the circle's centre, its rings' radii and every placed blip."""

    title: str
    since: date | None
    width: float
    height: float
    cx: float
    cy: float
    ring_radii: tuple[float, ...]
    blips: tuple[PlacedBlip, ...]


def movement_since(blip: Blip, since: date) -> BlipMovement:
    """Where ``blip`` stood on ``since`` compared with now."""
    before = blip.ring_on(since)
    movement: Movement
    if before is None:
        movement = "new"
    elif RINGS.index(blip.ring) < RINGS.index(before):
        movement = "in"
    elif RINGS.index(blip.ring) > RINGS.index(before):
        movement = "out"
    else:
        movement = "none"
    return BlipMovement(blip.id, blip.name, blip.quadrant, before, blip.ring, movement)


def moves_since(blips: Sequence[Blip], since: date) -> list[BlipMovement]:
    """The blips that are new or changed ring since ``since`` (the "what moved" view)."""
    ordered = sorted(blips, key=_reading_order)
    movements = (movement_since(blip, since) for blip in ordered)
    return [movement for movement in movements if movement.movement != "none"]


def layout_radar(
    blips: Sequence[Blip], *, since: date | None = None, title: str = "Technology radar"
) -> RadarLayout:
    """Number the blips in reading order and place each in its quadrant and ring.

    Positions come from a hash of the blip id, so a blip stays put between renders; blips are
    placed in id order and a blip that would overlap one already placed tries further spots.
    """
    seen: set[str] = set()
    for blip in blips:
        if blip.id in seen:
            raise RoadmapInputError("blips", f"The blip {blip.id!r} is listed twice.")
        seen.add(blip.id)
    numbers = {blip.id: n for n, blip in enumerate(sorted(blips, key=_reading_order), start=1)}
    cx, cy = MARGIN + LEGEND_WIDTH + LEGEND_GAP + RADIUS, TOP + RADIUS
    radii = tuple(RADIUS * fraction for fraction in RING_OUTER)
    placed: dict[str, tuple[float, float]] = {}
    # Sectors are kept apart by their margins, so a blip only has to avoid its own sector's.
    taken: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for blip in sorted(blips, key=lambda blip: blip.id):
        sector = taken.setdefault((blip.quadrant, blip.ring), [])
        placed[blip.id] = _place(blip, cx, cy, radii, sector)
        sector.append(placed[blip.id])
    result = tuple(
        PlacedBlip(
            blip,
            numbers[blip.id],
            *placed[blip.id],
            movement_since(blip, since).movement if since is not None else "none",
        )
        for blip in sorted(blips, key=_reading_order)
    )
    legend_height = max((_legend_height(result, side) for side in (0, 1)), default=0.0)
    height = max(TOP + 2 * RADIUS + KEY_HEIGHT, TOP + legend_height) + MARGIN
    width = 2 * (MARGIN + LEGEND_WIDTH + LEGEND_GAP + RADIUS)
    return RadarLayout(title, since, width, height, cx, cy, radii, result)


def _reading_order(blip: Blip) -> tuple[int, int, str, str]:
    return (QUADRANTS.index(blip.quadrant), RINGS.index(blip.ring), blip.name.casefold(), blip.id)


def _unit_numbers(blip_id: str) -> tuple[float, float]:
    """Two numbers in [0, 1) that depend only on the blip id."""
    digest = hashlib.sha256(blip_id.encode()).digest()
    scale = float(1 << 64)
    return (
        int.from_bytes(digest[:8], "big") / scale,
        int.from_bytes(digest[8:16], "big") / scale,
    )


def _place(
    blip: Blip,
    cx: float,
    cy: float,
    radii: tuple[float, ...],
    taken: Sequence[tuple[float, float]],
) -> tuple[float, float]:
    """The free spot nearest the blip's home (a spot derived from its id) in its sector."""
    ring = RINGS.index(blip.ring)
    inner = radii[ring - 1] if ring else 0.0
    low, high = inner + BLIP_RADIUS + BLIP_GAP, radii[ring] - BLIP_RADIUS - BLIP_GAP
    # Near the centre a quadrant is too narrow: a blip there would touch the axes.
    low = max(low, (BLIP_RADIUS + AXIS_CLEARANCE) * math.sqrt(2))
    start = math.radians(QUADRANT_START[blip.quadrant])
    clearance = 2 * BLIP_RADIUS + BLIP_GAP

    def spot(radius: float, share: float) -> tuple[float, float]:
        # Keep the whole symbol off the quadrant's axes, where the ring titles are written.
        margin = math.asin(min(1.0, (BLIP_RADIUS + AXIS_CLEARANCE) / radius))
        angle = start + margin + share * (math.pi / 2 - 2 * margin)
        return cx + radius * math.cos(angle), cy - radius * math.sin(angle)

    def room(point: tuple[float, float]) -> float:
        return min((math.dist(point, other) for other in taken), default=math.inf)

    u, v = _unit_numbers(blip.id)
    home = spot(low + u * (high - low), v)
    # Spots at least one blip apart along arcs at least one blip apart, so free spots never
    # overlap; the blip takes the free spot nearest its home, which depends only on its id.
    grid: list[tuple[float, float]] = []
    rows = int((high - low) / clearance) + 1
    for row in range(rows):
        radius = low + row * (high - low) / (rows - 1) if rows > 1 else (low + high) / 2
        margin = math.asin(min(1.0, (BLIP_RADIUS + AXIS_CLEARANCE) / radius))
        usable = math.pi / 2 - 2 * margin
        step = 2 * math.asin(min(1.0, clearance / (2 * radius)))
        count = int(usable / step) + 1 if usable > 0 else 1
        shares = [0.5] if count == 1 else [n / (count - 1) for n in range(count)]
        grid.extend(spot(radius, share) for share in shares)
    grid.sort(key=lambda point: math.dist(point, home))
    best, best_room = home, room(home)
    for point in grid:
        space = room(point)
        if space >= clearance:
            return point
        if space > best_room:
            best, best_room = point, space
    return best  # a full ring: the least crowded spot


def _legend_side(quadrant: Quadrant) -> int:
    return 0 if quadrant in ("techniques", "platforms") else 1


def _legend_height(blips: Sequence[PlacedBlip], side: int) -> float:
    height = 0.0
    for quadrant in QUADRANTS:
        if _legend_side(quadrant) != side:
            continue
        members = [b for b in blips if b.blip.quadrant == quadrant]
        rings = {b.blip.ring for b in members}
        height += 2 * LEGEND_LINE + len(rings) * LEGEND_LINE * 1.4 + len(members) * LEGEND_LINE
    return height


RADAR_CSS = """
.hw-svg .hw-ring{fill:currentColor}
.hw-svg .hw-ring-adopt{fill-opacity:.1}.hw-svg .hw-ring-trial{fill-opacity:.07}
.hw-svg .hw-ring-assess{fill-opacity:.045}.hw-svg .hw-ring-hold{fill-opacity:.025}
.hw-svg .hw-axis{stroke:var(--hw-bg);stroke-width:3}
.hw-svg .hw-ring-edge{fill:none;stroke:currentColor;stroke-opacity:.25}
.hw-svg .hw-ring-title{font-size:10px;font-weight:600;text-transform:uppercase;opacity:.7}
.hw-svg .hw-quadrant-title{font-size:14px;font-weight:600}
.hw-svg .hw-blip .hw-shape{stroke:var(--hw-bg);stroke-width:1.5}
.hw-svg .hw-blip text{fill:#ffffff;font-size:9px;font-weight:700}
.hw-svg .hw-q-techniques .hw-shape{fill:#0d9488}.hw-svg .hw-q-tools .hw-shape{fill:#2563eb}
.hw-svg .hw-q-platforms .hw-shape{fill:#9333ea}
.hw-svg .hw-q-languages_frameworks .hw-shape{fill:#c2410c}
.hw-svg .hw-new-ring{fill:none;stroke:var(--hw-new);stroke-width:2}
.hw-svg .hw-moved{font-style:italic;opacity:.8}
""".strip()


def render_radar_svg(
    radar: RadarLayout,
    *,
    id_prefix: str = "hw-radar",
    style_nonce: str | None = None,
    embed_style: bool = True,
) -> str:
    """The radar as a self-contained, accessible SVG string with a numbered legend."""
    body: list[str] = [*_rings(radar), *_quadrant_titles(radar)]
    body.extend(_blip(placed, radar.since) for placed in radar.blips)
    body.extend(_legend(radar))
    if radar.since is not None:
        body.append(_key(radar, radar.since))
    moved = sum(1 for placed in radar.blips if placed.movement != "none")
    description = f"Technology radar with {len(radar.blips)} blips"
    if radar.since is not None:
        description += f"; {moved} new or moved since {radar.since.isoformat()}"
    return svg_document(
        width=radar.width,
        height=radar.height,
        title=radar.title,
        description=description + ".",
        body=body,
        id_prefix=id_prefix,
        css=RADAR_CSS,
        root_class="hw-radar",
        data={"since": radar.since.isoformat()} if radar.since else None,
        style_nonce=style_nonce,
        embed_style=embed_style,
    )


def _rings(radar: RadarLayout) -> Iterable[str]:
    cx, cy = radar.cx, radar.cy
    for ring, radius in reversed(list(zip(RINGS, radar.ring_radii, strict=True))):
        yield (
            f'<circle class="hw-ring hw-ring-{ring}" cx="{num(cx)}" cy="{num(cy)}"'
            f' r="{num(radius)}"/><circle class="hw-ring-edge" cx="{num(cx)}" cy="{num(cy)}"'
            f' r="{num(radius)}"/>'
        )
    outer = radar.ring_radii[-1]
    yield (
        f'<path class="hw-axis" d="M{num(cx - outer)},{num(cy)}H{num(cx + outer)}'
        f'M{num(cx)},{num(cy - outer)}V{num(cy + outer)}"/>'
    )
    inner = 0.0
    for ring, radius in zip(RINGS, radar.ring_radii, strict=True):
        middle = (inner + radius) / 2
        for x in (cx - middle, cx + middle):
            yield (
                f'<text class="hw-ring-title" x="{num(x)}" y="{num(cy + 4)}"'
                f' text-anchor="middle">{RING_TITLES[ring]}</text>'
            )
        inner = radius


def _quadrant_titles(radar: RadarLayout) -> Iterable[str]:
    left, right = radar.cx - RADIUS, radar.cx + RADIUS
    bottom = radar.cy + RADIUS + 24
    spots: dict[Quadrant, tuple[float, float, str]] = {
        "techniques": (left, TOP - 10, "start"),
        "tools": (right, TOP - 10, "end"),
        "platforms": (left, bottom, "start"),
        "languages_frameworks": (right, bottom, "end"),
    }
    for quadrant, (x, y, anchor) in spots.items():
        yield (
            f'<text class="hw-quadrant-title" x="{num(x)}" y="{num(y)}"'
            f' text-anchor="{anchor}">{xml_escape(QUADRANT_TITLES[quadrant])}</text>'
        )


def _hover(placed: PlacedBlip, since: date | None) -> str:
    blip = placed.blip
    parts = [f"{placed.number}. {blip.name}", RING_TITLES[blip.ring]]
    parts.append(QUADRANT_TITLES[blip.quadrant])
    if since is not None and placed.movement != "none":
        before = blip.ring_on(since)
        if placed.movement == "new":
            parts.append(f"new since {since.isoformat()}")
        elif before is not None:
            moved = MOVEMENT_TEXT[placed.movement]
            parts.append(f"{moved} from {RING_TITLES[before]} since {since.isoformat()}")
    if blip.rationale:
        parts.append(blip.rationale)
    return " · ".join(parts)


def _triangle(x: float, y: float, r: float, *, pointing_up: bool) -> str:
    tip, base = (y - r - 2, y + r - 1) if pointing_up else (y + r + 2, y - r + 1)
    return (
        f'<path class="hw-shape" d="M{num(x)},{num(tip)}L{num(x + r + 1)},{num(base)}'
        f'H{num(x - r - 1)}Z"/>'
    )


def _blip_shape(x: float, y: float, movement: Movement) -> str:
    """A circle, or a triangle pointing the way the blip moved, ringed when it is new."""
    r = BLIP_RADIUS
    if movement in ("in", "out"):  # up: moved in towards adopt; down: out towards hold
        return _triangle(x, y, r, pointing_up=movement == "in")
    shape = f'<circle class="hw-shape" cx="{num(x)}" cy="{num(y)}" r="{num(r)}"/>'
    if movement == "new":
        shape += f'<circle class="hw-new-ring" cx="{num(x)}" cy="{num(y)}" r="{num(r + 3)}"/>'
    return shape


def _blip(placed: PlacedBlip, since: date | None) -> str:
    x, y, blip = placed.x, placed.y, placed.blip
    # The number sits on a triangle's centroid, a third of the way up from its base.
    text_y = y + {"in": 5.0, "out": 1.0}.get(placed.movement, 3.0)
    group = (
        f'<g class="hw-blip hw-q-{blip.quadrant} hw-moved-{placed.movement}"'
        f' data-blip-id="{xml_escape(blip.id)}" data-ring="{blip.ring}"'
        f' data-quadrant="{blip.quadrant}"><title>{xml_escape(_hover(placed, since))}</title>'
        f"{_blip_shape(x, y, placed.movement)}"
        f'<text x="{num(x)}" y="{num(text_y)}" text-anchor="middle">{placed.number}</text></g>'
    )
    return link(blip.url, group)


def _key(radar: RadarLayout, since: date) -> str:
    """What the blip shapes mean, spelled out (the legend entries say it in words too)."""
    y = radar.cy + RADIUS + 48
    samples: list[tuple[Movement, str]] = [
        ("none", "no change"),
        ("in", "moved in"),
        ("out", "moved out"),
        ("new", f"new since {since.isoformat()}"),
    ]
    parts = ['<g class="hw-key" aria-hidden="true">']
    x = radar.cx - RADIUS
    for movement, text in samples:
        shape = _blip_shape(x + BLIP_RADIUS, y, movement)
        parts.append(f'<g class="hw-blip hw-q-techniques">{shape}</g>')
        parts.append(f'<text x="{num(x + 2 * BLIP_RADIUS + 6)}" y="{num(y + 4)}">{text}</text>')
        x += 2 * BLIP_RADIUS + 20 + estimate_text_width(text)
    parts.append("</g>")
    return "".join(parts)


def _legend(radar: RadarLayout) -> Iterable[str]:
    """Numbered lists beside the circle: left quadrants on the left, right ones on the right."""
    for side, x in ((0, MARGIN), (1, radar.cx + RADIUS + LEGEND_GAP)):
        y = TOP
        for quadrant in QUADRANTS:
            if _legend_side(quadrant) != side:
                continue
            yield (
                f'<text class="hw-heading" x="{num(x)}" y="{num(y + 12)}">'
                f"{xml_escape(QUADRANT_TITLES[quadrant])}</text>"
            )
            y += 2 * LEGEND_LINE
            for ring in RINGS:
                members = [
                    b for b in radar.blips if b.blip.quadrant == quadrant and b.blip.ring == ring
                ]
                if not members:
                    continue
                y += LEGEND_LINE * 0.4
                yield (
                    f'<text class="hw-muted hw-small" x="{num(x)}" y="{num(y + 10)}">'
                    f"{RING_TITLES[ring].upper()}</text>"
                )
                y += LEGEND_LINE
                for member in members:
                    yield _legend_entry(member, x, y)
                    y += LEGEND_LINE
            y += LEGEND_LINE * 0.6


def _legend_entry(placed: PlacedBlip, x: float, y: float) -> str:
    blip = placed.blip
    moved = MOVEMENT_TEXT[placed.movement]
    suffix = f" ({moved})" if moved else ""
    room = LEGEND_WIDTH - 8 - estimate_text_width(suffix)
    text = fit_text(f"{placed.number}. {blip.name}", room)
    entry = (
        f'<g class="hw-legend-entry" data-blip-id="{xml_escape(blip.id)}">'
        f'<text x="{num(x + 4)}" y="{num(y + 10)}">{xml_escape(text)}'
        f'<tspan class="hw-moved">{xml_escape(suffix)}</tspan></text></g>'
    )
    return link(blip.url, entry)
