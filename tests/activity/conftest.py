"""Items of every kind in both workspaces, and a way to count queries at two sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.core import changes
from headway.discovery.models import Idea
from headway.planning.models import Feature, Story
from headway.products.models import Product
from headway.releases.models import Release
from headway.roadmaps.models import Roadmap
from headway.strategy.models import Goal
from tests.conftest import World

COMMENTABLE = ["ideas", "features", "stories", "releases", "roadmaps"]
ALL_KINDS = [*COMMENTABLE, "goals"]


def make_items(product: Product, user: Any) -> dict[str, Any]:
    """One item of each kind in `product`, written through the one write path (so audited)."""
    feature = changes.create(Feature, user=user, product=product, title="Single sign-on")
    return {
        "ideas": changes.create(Idea, user=user, product=product, title="SSO please"),
        "features": feature,
        "stories": changes.create(Story, user=user, feature=feature, title="Log in with Okta"),
        "releases": changes.create(Release, user=user, product=product, name="2.4"),
        "roadmaps": changes.create(Roadmap, user=user, product=product, name="2027"),
        "goals": changes.create(Goal, user=user, product=product, title="Win enterprise"),
    }


@pytest.fixture
def items(world: World) -> dict[str, Any]:
    return make_items(world.product, world.pm)


@pytest.fixture
def other_items(world: World) -> dict[str, Any]:
    return make_items(world.other_product, world.outsider)


def queries(action: Callable[[], Any]) -> int:
    """How many SQL queries `action` runs."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def same_queries_at_3_and_30(add: Callable[[int], None], action: Callable[[], Any]) -> None:
    """Assert `action` runs as many queries with 3 rows as with 30 (`add(n)` adds n rows)."""
    add(3)
    action()  # warm caches (content types, sessions) so both counts measure the same work
    small = queries(action)
    add(27)
    large = queries(action)
    assert small == large, f"{small} queries at 3 rows, {large} at 30"
