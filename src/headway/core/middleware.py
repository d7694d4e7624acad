"""Refuses the NUL character in request data: PostgreSQL cannot store it in text, and no person
types it, so it is bad input (422 in the API, 400 on pages) rather than a database error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

MESSAGE = "Text may not contain the NUL character (\\u0000)."


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
    ):
        return True
    if request.method in {"POST", "PUT", "PATCH"}:
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type == "application/x-www-form-urlencoded":
            return any("\x00" in v for values in request.POST.lists() for v in values[1])
    return False


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith("/api/"):
                from headway.api.errors import problem

                return problem(422, MESSAGE, [{"field": "body", "message": MESSAGE}])
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)
