"""Counting SQL queries, for the tests that keep list pages and endpoints flat."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(request: Callable[[], Any]) -> int:
    """The number of SQL queries `request()` runs; it must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = request()
        assert response.status_code == 200, getattr(response, "content", response)
    return len(queries)


def flat(request: Callable[[], Any], add_rows: Callable[[int], None]) -> tuple[int, int]:
    """Query counts of `request()` with 3 rows and with 30 (`add_rows(n)` adds n more)."""
    request()  # warm up: the first use of a token records when it was used
    add_rows(3)
    few = count_queries(request)
    add_rows(27)
    return few, count_queries(request)
