"""Audit history of items, the workspace audit log and the product activity feed (API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from headway.activity.models import AuditEvent
from headway.core import changes, clock
from headway.discovery.models import Customer
from headway.planning.models import Feature
from tests.activity.conftest import ALL_KINDS, same_queries_at_3_and_30
from tests.conftest import World


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_history_tells_who_changed_what_newest_first(
    world: World, items: dict[str, Any], kind: str
) -> None:
    item = items[kind]
    name_field = "name" if kind in {"releases", "roadmaps"} else "title"
    old = getattr(item, name_field)
    changes.update(item, {name_field: "Renamed"}, user=world.owner)
    body = world.api(world.viewer).get(f"/{kind}/{item.pk}/history").json()
    assert body["count"] == 2
    latest, first = body["items"]
    assert latest["action"] == "update"
    assert latest["user"] == world.owner.username
    assert latest["changes"] == {name_field: [old, "Renamed"]}
    assert first["action"] == "create"
    assert first["user"] == world.pm.username
    assert first["changes"][name_field] == [None, old]


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_history_of_another_workspaces_item_is_not_found(
    world: World, other_items: dict[str, Any], kind: str
) -> None:
    response = world.api(world.owner).get(f"/{kind}/{other_items[kind].pk}/history")
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_history_needs_a_sign_in(world: World, items: dict[str, Any], kind: str) -> None:
    assert world.api(None).get(f"/{kind}/{items[kind].pk}/history").status_code == 401


def test_history_costs_the_same_queries_at_3_and_30(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]

    def add(n: int) -> None:
        for i in range(n):
            changes.update(feature, {"points": float(i + 100 * n)}, user=world.pm)

    api = world.api(world.viewer)
    same_queries_at_3_and_30(add, lambda: api.get(f"/features/{feature.pk}/history"))


def test_events_know_their_product(world: World, items: dict[str, Any]) -> None:
    story_type = ContentType.objects.get_for_model(type(items["stories"]))
    story_event = AuditEvent.objects.get(content_type=story_type, object_id=items["stories"].pk)
    assert story_event.product_id == world.product.pk
    assert story_event.workspace_id == world.workspace.pk
    customer = changes.create(Customer, user=world.pm, workspace=world.workspace, name="Raj")
    customer_event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Customer), object_id=customer.pk
    )
    assert customer_event.product_id is None


def test_a_comment_event_belongs_to_the_product_of_its_item(
    world: World, items: dict[str, Any]
) -> None:
    world.api(world.pm).post(f"/stories/{items['stories'].pk}/comments", {"body": "hi"})
    event = AuditEvent.objects.filter(content_type__model="comment").get()
    assert event.product_id == world.product.pk
    assert event.object_repr == "Log in with Okta"


# --- The workspace audit log ----------------------------------------------------------------------


def audit_url(world: World, query: str = "") -> str:
    return f"/workspaces/{world.workspace.pk}/audit{query}"


def test_admins_read_the_audit_log(world: World, items: dict[str, Any]) -> None:
    body = world.api(world.owner).get(audit_url(world)).json()
    assert body["count"] == len(items)
    assert {item["type"] for item in body["items"]} >= {"planning.feature", "strategy.goal"}
    assert set(body["items"][0]) >= {"at", "user", "action", "changes", "type", "object"}


def test_below_admin_the_audit_log_is_forbidden(world: World) -> None:
    assert world.api(world.pm).get(audit_url(world)).status_code == 403
    assert world.api(world.viewer).get(audit_url(world)).status_code == 403


def test_another_workspaces_audit_log_is_not_found(world: World) -> None:
    assert world.api(world.outsider).get(audit_url(world)).status_code == 404


def test_the_audit_log_filters_by_user_type_and_dates(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"title": "By the owner"}, user=world.owner)
    api = world.api(world.owner)
    by_owner = api.get(audit_url(world, f"?user={world.owner.username}")).json()
    assert [item["object"] for item in by_owner["items"]] == ["By the owner"]
    goals = api.get(audit_url(world, "?type=strategy.goal")).json()
    assert [item["type"] for item in goals["items"]] == ["strategy.goal"]
    today = clock.today()
    assert api.get(audit_url(world, f"?since={today}&until={today}")).json()["count"] == 7
    tomorrow = today + dt.timedelta(days=1)
    assert api.get(audit_url(world, f"?since={tomorrow}")).json()["count"] == 0


def test_an_audit_range_that_ends_before_it_starts_is_refused(world: World) -> None:
    response = world.api(world.owner).get(audit_url(world, "?since=2026-02-01&until=2026-01-01"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "until"


def test_an_audit_type_that_is_not_app_dot_model_is_refused(world: World) -> None:
    response = world.api(world.owner).get(audit_url(world, "?type=features"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "type"


def test_an_audit_date_that_is_not_a_date_is_refused(world: World) -> None:
    response = world.api(world.owner).get(audit_url(world, "?since=yesterday"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"


def test_the_audit_log_shows_nothing_of_other_workspaces(
    world: World, other_items: dict[str, Any]
) -> None:
    assert world.api(world.owner).get(audit_url(world)).json()["count"] == 0


def test_the_audit_log_costs_the_same_queries_at_3_and_30(world: World) -> None:
    def add(n: int) -> None:
        for i in range(n):
            changes.create(Feature, user=world.pm, product=world.product, title=f"F{n}-{i}")

    api = world.api(world.owner)
    same_queries_at_3_and_30(add, lambda: api.get(audit_url(world)))


# --- The product activity feed --------------------------------------------------------------------


def feed_url(world: World) -> str:
    return f"/products/{world.product.pk}/activity"


def test_the_feed_says_what_happened_in_sentences(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"status": "in_progress"}, user=world.owner)
    body = world.api(world.viewer).get(feed_url(world)).json()
    latest = body["items"][0]
    assert latest["sentence"] == "olivia moved 'Single sign-on' to In progress"
    assert latest["type"] == "planning.feature"
    assert latest["url"]
    assert body["count"] == len(items) + 1
    assert "pavel added story 'Log in with Okta'" in [i["sentence"] for i in body["items"]]


def test_the_feed_of_another_workspaces_product_is_not_found(world: World) -> None:
    assert world.api(world.outsider).get(feed_url(world)).status_code == 404


def test_the_feed_shows_only_its_product(world: World, other_items: dict[str, Any]) -> None:
    assert world.api(world.viewer).get(feed_url(world)).json()["count"] == 0


def test_the_feed_costs_the_same_queries_at_3_and_30(world: World) -> None:
    def add(n: int) -> None:
        for i in range(n):
            changes.create(Feature, user=world.pm, product=world.product, title=f"F{n}-{i}")

    api = world.api(world.viewer)
    same_queries_at_3_and_30(add, lambda: api.get(feed_url(world)))
