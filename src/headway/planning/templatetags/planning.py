"""Small template filters of the planning pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def words(value: object) -> str:
    """``quick_win`` → "Quick win"."""
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
