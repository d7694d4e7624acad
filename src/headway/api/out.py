"""The base of response shapes that endpoints fill with plain dicts."""

from __future__ import annotations

from pydantic import BaseModel


class Out(BaseModel):
    """A response shape filled from dicts, validated by pydantic alone.

    ninja's ``Schema`` wraps every value it validates so that it can read ORM attributes; a
    page of 50 features with their scores spends milliseconds in that wrapping. Endpoints that
    build their answer as dicts (``feature_out``) need none of it, so their shapes derive from
    this class instead. The OpenAPI description is the same.
    """
