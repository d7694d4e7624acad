"""API authentication: a bearer token (stored hashed) or the browser session (with CSRF)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from headway.accounts.models import ApiToken, hash_token
from headway.core import clock, ratelimit


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hw_…`; rate-limited per token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = (
            ApiToken.objects.select_related("user")
            .filter(digest=hash_token(token), user__is_active=True)
            .first()
        )
        if record is None:
            return None
        window = ratelimit.hit("api", str(record.pk), settings.API_RATE_LIMIT, 60)
        request._ratelimit = window  # type: ignore[attr-defined]
        if not window.allowed:
            raise Throttled(window.reset)
        now = clock.now()
        if record.last_used is None or now - record.last_used > timedelta(minutes=5):
            ApiToken.objects.filter(pk=record.pk).update(last_used=now)
        request.user = record.user
        return record.user


class Session(SessionAuth):
    """The browser's session; unsafe methods need the CSRF token, as for any form."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None:
            window = ratelimit.hit("api-session", str(user.pk), settings.API_RATE_LIMIT, 60)
            request._ratelimit = window  # type: ignore[attr-defined]
            if not window.allowed:
                raise Throttled(window.reset)
        return user


AUTH = [TokenAuth(), Session()]
