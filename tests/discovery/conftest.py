from __future__ import annotations

from collections.abc import Iterator

import pytest

from headway.discovery import suggestions


@pytest.fixture(autouse=True)
def _fresh_similarity_indexes() -> Iterator[None]:
    # Product ids repeat between tests; an index held by the process must not outlive its test.
    suggestions.forget()
    yield
    suggestions.forget()
