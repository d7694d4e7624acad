"""Adds the `X-RateLimit-*` headers to API responses of rate-limited requests."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RateLimitHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        window = getattr(request, "_ratelimit", None)
        if window is not None:
            response["X-RateLimit-Limit"] = str(window.limit)
            response["X-RateLimit-Remaining"] = str(window.remaining)
            response["X-RateLimit-Reset"] = str(window.reset)
            if not window.allowed:
                response["Retry-After"] = str(window.reset)
        return response
