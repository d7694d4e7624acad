"""The one seam for outbound HTTP: webhook deliveries POST through here, so tests patch one
place (or point at a local server) and nothing else in Headway opens a connection.

Redirects are not followed: a webhook receiver answers the URL it was given, and following a
redirect would send the signed body somewhere nobody chose.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

#: Seconds to wait for a receiver to connect and answer.
TIMEOUT = 10.0
#: How much of an answer is kept for the delivery log.
BODY_EXCERPT = 2000


@dataclass(frozen=True, slots=True)
class Response:
    """A receiver's answer: its status code, the start of its body, and how long it took."""

    status: int
    body: str
    duration_ms: int


class Unreachable(Exception):
    """The receiver could not be reached (refused, timed out, bad TLS, unknown host)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT) -> Response:
    """POST `body` to `url`; any HTTP answer is returned, a failure to get one raises
    Unreachable."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - the URL was checked to be http(s) when the webhook was saved
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as answer:
            status, text = answer.status, answer.read(BODY_EXCERPT)
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read(BODY_EXCERPT)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise Unreachable(str(reason) or type(error).__name__) from error
    elapsed = int((time.monotonic() - started) * 1000)
    return Response(status, text.decode("utf-8", errors="replace"), elapsed)
