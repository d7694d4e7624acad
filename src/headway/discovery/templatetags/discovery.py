"""Small template filters of the discovery pages and portal."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

#: Badge modifier per status. The label is always shown too: colour is never the only signal.
STATUS_BADGES = {
    "new": "",
    "under_review": "badge--warn",
    "planned": "badge--info",
    "in_progress": "badge--info",
    "shipped": "badge--ok",
    "declined": "badge--danger",
    "duplicate": "",
}
STATE_BADGES = {"new": "badge--warn", "processed": "badge--ok", "archived": ""}
IMPORTANCE_BADGES = {"nice": "", "important": "badge--info", "critical": "badge--danger"}


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "")


@register.filter
def importance_badge(importance: str) -> str:
    return IMPORTANCE_BADGES.get(importance, "")


@register.filter
def money(value: Decimal | float | int | None) -> str:
    """12345.6 → "12,346"; nothing for None."""
    if value is None:
        return ""
    return f"{float(value):,.0f}"
