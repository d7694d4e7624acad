"""The objects alive after the first requests are frozen out of the collector's way."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.test import Client

from headway.core import gcfreeze


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(gcfreeze, "_finished", 0)
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_first_requests_freeze_what_is_alive(fresh_process: None, db: None) -> None:
    assert gc.get_freeze_count() == 0
    Client().get("/accounts/login/")
    assert gc.get_freeze_count() > 0
    assert gcfreeze._finished == 1


def test_later_requests_leave_the_collector_alone(
    fresh_process: None, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gcfreeze, "_finished", gcfreeze.WARM_REQUESTS)
    Client().get("/accounts/login/")
    assert gc.get_freeze_count() == 0
    assert gcfreeze._finished == gcfreeze.WARM_REQUESTS
