"""The interchange API (filled in by its issue)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["interchange"])
