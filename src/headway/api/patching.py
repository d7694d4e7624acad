"""`PATCH` bodies: only the fields the client sent, and no null where a field cannot be empty."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ninja import Schema

from headway.api.errors import ProblemError


def patch_values(payload: Schema, nullable: Iterable[str] = ()) -> dict[str, Any]:
    """The fields sent in `payload`; an explicit null on a field not in `nullable` is a 422."""
    values = payload.dict(exclude_unset=True)
    allowed = set(nullable)
    errors = [
        {"field": name, "message": "This field cannot be null; leave it out to keep its value."}
        for name, value in values.items()
        if value is None and name not in allowed
    ]
    if errors:
        raise ProblemError(422, "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors)
    return values
