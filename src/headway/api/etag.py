"""ETags and `If-Match`: a PATCH or DELETE with a stale version is refused (412)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from headway.core.changes import StaleVersion
from headway.core.models import Versioned


def expected_version(request: HttpRequest, obj: Versioned) -> int | None:
    """The version the client says it saw, or None when it sent no `If-Match`.

    A stale tag raises `StaleVersion` (412); the write then checks the version again in the
    database, so a change that slips in between is caught too.
    """
    header = request.headers.get("If-Match")
    if not header:
        return None
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if "*" in tags or obj.etag in tags:
        return obj.version
    raise StaleVersion(obj)


def with_etag(response: HttpResponse, obj: Versioned) -> None:
    response["ETag"] = obj.etag
