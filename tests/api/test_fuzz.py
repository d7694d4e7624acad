"""Schemathesis fuzzes every operation of /api/v1/openapi.json, authenticated as a product
manager: no answer may be a 5xx, and every documented answer must match its schema.

Bounded (a few examples per operation) so it fits in `make test`; raise FUZZ_EXAMPLES locally
for a deeper run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from headway.accounts.models import ApiToken
from headway.wsgi import application
from tests.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Like Django's test client: a finished request must not close the connection that holds
    # the test's transaction (on PostgreSQL the next case would otherwise see a closed one).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World) -> str:
    return ApiToken.issue(world.pm)[1]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
def test_no_server_errors_and_answers_match_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
