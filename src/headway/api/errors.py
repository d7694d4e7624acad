"""Every API error is `application/problem+json` (RFC 9457), with the fields at fault.

{"type": "about:blank", "title": "Invalid input", "status": 422,
 "detail": "...", "errors": [{"field": "impact", "message": "..."}]}
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from headway.core.changes import StaleVersion
from headway.core.json import dumps

logger = logging.getLogger("headway.api")

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
}


class ProblemError(Exception):
    """Raise from domain or API code to answer with a problem+json of this status."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[dict[str, str]] = (),
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.extra = extra or {}


def invalid(field: str, message: str) -> ProblemError:
    """A 422 naming one field: `raise invalid("target", "must differ from the baseline")`."""
    return ProblemError(422, message, [{"field": field, "message": message}])


def problem(
    status: int,
    detail: str,
    errors: Sequence[dict[str, str]] = (),
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": list(errors),
    }
    body.update(extra or {})
    response = HttpResponse(dumps(body), status=status, content_type="application/problem+json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_of(loc: Sequence[Any]) -> str:
    # ninja locations look like ("body", "payload", "rice", "impact") or ("query", "limit").
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "form", "file", "cookie"}:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "params", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or "body"


def _message_of(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field_of(e.get("loc", ())), "message": _message_of(e)} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "Invalid input."
    return problem(422, detail, errors)


def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "body", "message": str(m)} for m in exc.messages]
    return problem(422, "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors)


def _problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem(exc.status, exc.detail, exc.errors, exc.headers, exc.extra)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    headers = {}
    if isinstance(exc, Throttled) and exc.wait:
        headers["Retry-After"] = str(exc.wait)
    if isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = "Bearer"
        return problem(
            401, "Send a valid token as 'Authorization: Bearer …' or sign in.", headers=headers
        )
    return problem(exc.status_code, str(exc), headers=headers)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(404, "No such object, or it is not in one of your workspaces.")


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or "Your role does not allow this.")


def _stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    current = exc.current
    return problem(
        412,
        "This record was changed since you loaded it (If-Match is stale). "
        "Reload it, reapply your change, and send the new ETag.",
        headers={"ETag": getattr(current, "etag", "")},
    )


def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.info("integrity error: %s", exc)
    return problem(409, "This conflicts with an existing record.")


def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number past what the database stores (ids beyond 64 bits and the like) is bad input.
    return problem(
        422,
        "A number in the request is out of range.",
        [{"field": "body", "message": "A number in the request is out of range."}],
    )


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error", exc_info=exc)
    return problem(500, "Something went wrong on our side; it has been logged.")


def install(api: NinjaAPI) -> None:
    """Register the problem+json handlers on `api` (the most specific class wins)."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ValidationError, _validation),
        (DjangoValidationError, _django_validation),
        (ProblemError, _problem),
        (HttpError, _http_error),
        (Http404, _not_found),
        (ObjectDoesNotExist, _not_found),
        (PermissionDenied, _forbidden),
        (StaleVersion, _stale),
        (IntegrityError, _integrity),
        (OverflowError, _out_of_range),
        (DataError, _out_of_range),
        (Exception, _unexpected),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
