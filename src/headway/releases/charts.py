"""Server-rendered SVG charts: burn-up with a forecast cone, histogram of completion dates.

Pure Python (no Django): the views pass plain numbers and dates and embed the returned markup.
Every chart has a <title> and a <desc> that says in words what the picture shows, and lines are
told apart by dash pattern and label as well as by colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 90, 16, 34
LEVEL_STYLE = {"50": "", "85": "6 4", "95": "2 3"}


def _axis_x(first: dt.date, last: dt.date) -> Callable[[dt.date], float]:
    span = max((last - first).days, 1)
    width = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return round(LEFT + width * (day - first).days / span, 1)

    return x


def burnup_svg(
    *,
    title: str,
    start: dt.date,
    weekly_done: Sequence[int],
    done_before: int,
    scope: int,
    today: dt.date,
    dates: Mapping[str, dt.date | None] | None,
    target: dt.date | None = None,
) -> str:
    """Cumulative done items per week since `start`, the scope line and the 50/85/95 % cone.

    `weekly_done[i]` is the count finished in week i (starting on `start`); `done_before` the
    count finished before it. The cone runs from today's done count to the scope at each
    forecast date.
    """
    points = [done_before]
    for count in weekly_done:
        points.append(points[-1] + count)
    done_now = points[-1]
    forecast_days = [day for day in (dates or {}).values() if day is not None]
    last = max([today, *forecast_days, *([target] if target else [])])
    last = max(last, start + dt.timedelta(weeks=len(weekly_done)))
    xs = _axis_x(start, last)
    top = max(scope, done_now, 1)
    height = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + height * (1 - value / top), 1)

    history = " ".join(
        f"{xs(start + dt.timedelta(weeks=i))},{y(value)}" for i, value in enumerate(points)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="burnup-title burnup-desc">',
        f'<title id="burnup-title">{escape(title)}</title>',
        f'<desc id="burnup-desc">{escape(_burnup_words(done_now, scope, dates, target))}</desc>',
        f'<line x1="{LEFT}" y1="{y(0)}" x2="{WIDTH - RIGHT}" y2="{y(0)}" stroke="#8a8f98"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{y(0)}" stroke="#8a8f98"/>',
        f'<text x="{LEFT - 6}" y="{y(top) + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">{start.isoformat()}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">'
        f"{last.isoformat()}</text>",
        f'<line x1="{LEFT}" y1="{y(scope)}" x2="{WIDTH - RIGHT}" y2="{y(scope)}" '
        f'stroke="#b45309" stroke-dasharray="8 3"/>',
        f'<text x="{WIDTH - RIGHT + 4}" y="{y(scope) + 4}" font-size="11">scope {scope}</text>',
    ]
    now_x = xs(today)
    far, near = (dates or {}).get("95"), (dates or {}).get("50")
    if far is not None and near is not None:
        parts.append(
            f'<polygon points="{now_x},{y(done_now)} {xs(near)},{y(scope)} '
            f'{xs(far)},{y(scope)}" fill="#2563eb" fill-opacity="0.15"/>'
        )
    for level, day in (dates or {}).items():
        if day is None:
            continue
        dash = LEVEL_STYLE.get(level, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{now_x}" y1="{y(done_now)}" x2="{xs(day)}" y2="{y(scope)}" '
            f'stroke="#2563eb"{dash_attr}/>'
        )
        parts.append(
            f'<text x="{xs(day)}" y="{y(scope) - 6 - 12 * list(LEVEL_STYLE).index(level)}" '
            f'font-size="10" text-anchor="middle">{level} %</text>'
            if level in LEVEL_STYLE
            else ""
        )
    if target is not None:
        tx = xs(target)
        parts.append(
            f'<line x1="{tx}" y1="{TOP}" x2="{tx}" y2="{y(0)}" stroke="#b91c1c" '
            f'stroke-dasharray="3 3"/><text x="{tx}" y="{TOP + 10}" font-size="11" '
            f'text-anchor="middle">target</text>'
        )
    parts.append(
        f'<polyline points="{history}" fill="none" stroke="#15803d" stroke-width="2"/>'
        f'<text x="{now_x}" y="{y(done_now) + 14}" font-size="11">done {done_now}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _burnup_words(
    done: int, scope: int, dates: Mapping[str, dt.date | None] | None, target: dt.date | None
) -> str:
    words = f"{done} of {scope} items done."
    for level, day in (dates or {}).items():
        words += f" {level} % likely done by {day.isoformat() if day else 'no date in ten years'}."
    if target:
        words += f" Target date {target.isoformat()}."
    return words


def histogram_svg(
    *, title: str, start: dt.date, histogram: Mapping[int, int], target: dt.date | None = None
) -> str:
    """Bars of simulated futures by completion week (week n ends n weeks after `start`)."""
    weeks = sorted(week for week in histogram if histogram[week] > 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="histogram-title histogram-desc">',
        f'<title id="histogram-title">{escape(title)}</title>',
    ]
    if not weeks:
        parts.append('<desc id="histogram-desc">No simulated completion dates.</desc></svg>')
        return "".join(parts)
    first, last = weeks[0], weeks[-1]
    peak = max(histogram[week] for week in weeks)
    total = sum(histogram[week] for week in weeks)
    mode = max(weeks, key=lambda week: histogram[week])
    mode_day = start + dt.timedelta(weeks=mode) - dt.timedelta(days=1)
    parts.append(
        f'<desc id="histogram-desc">{total} simulated futures finish between week {first} and '
        f"week {last}; most often in the week ending {mode_day.isoformat()}.</desc>"
    )
    count = last - first + 1
    width = (WIDTH - LEFT - RIGHT) / count
    height = HEIGHT - TOP - BOTTOM
    for week in range(first, last + 1):
        trials = histogram.get(week, 0)
        bar = height * trials / peak
        day = start + dt.timedelta(weeks=week) - dt.timedelta(days=1)
        late = target is not None and day > target
        colour = "#b91c1c" if late else "#2563eb"
        parts.append(
            f'<rect x="{round(LEFT + (week - first) * width, 1)}" '
            f'y="{round(TOP + height - bar, 1)}" '
            f'width="{round(max(width - 2, 1), 1)}" height="{round(bar, 1)}" '
            f'fill="{colour}"><title>Week ending {day.isoformat()}: '
            f"{trials} futures{' (after the target)' if late else ''}</title></rect>"
        )
    first_day = start + dt.timedelta(weeks=first) - dt.timedelta(days=1)
    last_day = start + dt.timedelta(weeks=last) - dt.timedelta(days=1)
    parts += [
        f'<line x1="{LEFT}" y1="{TOP + height}" x2="{WIDTH - RIGHT}" y2="{TOP + height}" '
        f'stroke="#8a8f98"/>',
        f'<text x="{LEFT}" y="{HEIGHT - 12}" font-size="11">{first_day.isoformat()}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">'
        f"{last_day.isoformat()}</text>",
    ]
    if target is not None:
        parts.append(
            f'<text x="{WIDTH - RIGHT + 4}" y="{TOP + 12}" font-size="11">red: after</text>'
            f'<text x="{WIDTH - RIGHT + 4}" y="{TOP + 26}" font-size="11">the target</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
