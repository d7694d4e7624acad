"""`limit` / `offset` pagination returning `{items, count}`."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

MAX_LIMIT = 500


class Page(Schema):
    """Query parameters of every list endpoint."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


def paginate(queryset: QuerySet[Any], page: Page) -> dict[str, Any]:
    """One page of `queryset` and the total count (two queries, whatever the size)."""
    items = list(queryset[page.offset : page.offset + page.limit])
    if page.offset == 0 and len(items) < page.limit:
        count = len(items)
    else:
        count = queryset.count()
    return {"items": items, "count": count}


#: A database id: positive and within a signed 64-bit integer, so no query can overflow.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
