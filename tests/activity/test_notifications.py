"""Who is told what: watchers, mentions, replies, status changes, shipped features; the inbox."""

from __future__ import annotations

from typing import Any

import pytest

from headway.accounts.models import Function, Membership
from headway.activity import notify, registry
from headway.activity.models import Notification, Watch
from headway.core import changes
from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea, Vote
from tests.activity.conftest import ALL_KINDS, same_queries_at_3_and_30
from tests.conftest import World


def verbs(user: Any) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("verb", flat=True))


# --- Watching -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_viewer_watches_and_unwatches_any_item(
    world: World, items: dict[str, Any], kind: str
) -> None:
    api = world.api(world.viewer)
    watched = api.post(f"/{kind}/{items[kind].pk}/watch")
    assert watched.status_code == 200
    assert watched.json()["watching"] is True
    assert api.post(f"/{kind}/{items[kind].pk}/watch").json()["watching"] is True  # idempotent
    unwatched = api.delete(f"/{kind}/{items[kind].pk}/watch")
    assert unwatched.json() == {"watching": False, "watchers": watched.json()["watchers"] - 1}


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_nobody_watches_another_workspaces_item(
    world: World, other_items: dict[str, Any], kind: str
) -> None:
    api = world.api(world.pm)
    assert api.post(f"/{kind}/{other_items[kind].pk}/watch").status_code == 404
    assert api.delete(f"/{kind}/{other_items[kind].pk}/watch").status_code == 404
    assert not Watch.objects.filter(user=world.pm, object_id=other_items[kind].pk).exists()


def test_the_creator_and_the_owner_watch_automatically(world: World) -> None:
    from headway.planning.models import Feature

    feature = changes.create(
        Feature, user=world.pm, product=world.product, title="X", owner=world.contributor
    )
    assert notify.watch_state(world.pm.pk, feature)["watching"]
    assert notify.watch_state(world.contributor.pk, feature)["watching"]
    changes.update(feature, {"owner": world.viewer}, user=world.pm)
    assert notify.watch_state(world.viewer.pk, feature)["watching"]


def test_a_commenter_watches_what_they_commented_on(world: World, items: dict[str, Any]) -> None:
    world.api(world.contributor).post(f"/ideas/{items['ideas'].pk}/comments", {"body": "+1"})
    assert notify.watch_state(world.contributor.pk, items["ideas"])["watching"]


# --- Fan-out --------------------------------------------------------------------------------------


def test_watchers_hear_of_a_comment_but_not_its_author(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    notify.watch([world.viewer.pk, world.owner.pk], feature)
    world.api(world.pm).post(f"/features/{feature.pk}/comments", {"body": "update"})
    assert verbs(world.viewer) == ["commented"]
    assert verbs(world.owner) == ["commented"]
    assert verbs(world.pm) == []  # the creator watches, but not their own comment


def test_a_mentioned_watcher_is_told_once(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    notify.watch([world.viewer.pk], feature)
    world.api(world.pm).post(
        f"/features/{feature.pk}/comments", {"body": f"@{world.viewer.username} see"}
    )
    assert verbs(world.viewer) == ["mentioned"]


def test_the_author_of_a_comment_hears_of_a_reply(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    top = world.api(world.contributor).post(f"/features/{feature.pk}/comments", {"body": "q?"})
    world.api(world.owner).post(
        f"/features/{feature.pk}/comments", {"body": "a", "parent": top.json()["id"]}
    )
    assert verbs(world.contributor) == ["replied"]


def test_watchers_who_left_the_workspace_hear_nothing(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    notify.watch([world.viewer.pk], feature)
    Membership.objects.filter(user=world.viewer).delete()
    world.api(world.pm).post(f"/features/{feature.pk}/comments", {"body": "update"})
    assert verbs(world.viewer) == []


def test_a_status_change_tells_the_watchers(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    notify.watch([world.viewer.pk], feature)
    changes.update(feature, {"status": "in_progress"}, user=world.owner)
    notification = Notification.objects.get(user=world.viewer)
    assert notification.verb == "status"
    assert notification.detail == "Idea → In progress"
    assert notification.actor == world.owner
    assert verbs(world.owner) == []


@pytest.mark.parametrize("kind", ["ideas", "stories", "releases"])
def test_status_changes_of_other_kinds_tell_watchers_too(
    world: World, items: dict[str, Any], kind: str
) -> None:
    new = {"ideas": "planned", "stories": "done", "releases": "released"}[kind]
    changes.update(items[kind], {"status": new}, user=world.owner)
    assert verbs(world.pm) == ["status"]  # the pm created it, so watches it


def test_other_changes_tell_nobody(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"title": "Renamed"}, user=world.owner)
    assert not Notification.objects.exists()


def sales_and_support(world: World) -> tuple[Any, Any]:
    Membership.objects.filter(user=world.contributor).update(function=Function.SALES)
    Membership.objects.filter(user=world.viewer).update(function=Function.SUPPORT)
    return world.contributor, world.viewer


def test_sales_hear_when_a_feature_their_customers_asked_for_is_done(
    world: World, items: dict[str, Any]
) -> None:
    seller, supporter = sales_and_support(world)
    feature = items["features"]
    globex = Customer.objects.create(workspace=world.workspace, name="Raj", company="Globex")
    initech = Customer.objects.create(workspace=world.workspace, name="Chen", company="Initech")
    feedback = Feedback.objects.create(product=world.product, text="SSO!", customer=globex)
    FeedbackLink.objects.create(feedback=feedback, feature=feature)
    idea = Idea.objects.create(product=world.product, title="SAML", feature=feature)
    Vote.objects.create(idea=idea, customer=initech, proxy_by=seller)
    notify.watch([seller.pk], feature)
    changes.update(feature, {"status": "done"}, user=world.pm)
    shipped = Notification.objects.get(user=seller)
    assert shipped.verb == "shipped"  # and not a second, "status" one though they watch it
    assert shipped.detail == "Asked for by Globex, Initech"
    assert verbs(supporter) == ["shipped"]
    assert verbs(world.owner) == []  # product people are not sales


def test_sales_hear_nothing_when_no_customer_asked(world: World, items: dict[str, Any]) -> None:
    seller, _ = sales_and_support(world)
    changes.update(items["features"], {"status": "done"}, user=world.pm)
    assert verbs(seller) == []


def test_sales_hear_of_features_whose_idea_had_customer_feedback(
    world: World, items: dict[str, Any]
) -> None:
    seller, _ = sales_and_support(world)
    feature = items["features"]
    idea = Idea.objects.create(product=world.product, title="SAML", feature=feature)
    umbrella = Customer.objects.create(workspace=world.workspace, name="Amara")
    feedback = Feedback.objects.create(product=world.product, text="SSO", customer=umbrella)
    FeedbackLink.objects.create(feedback=feedback, idea=idea)
    changes.update(feature, {"status": "done"}, user=world.pm)
    assert Notification.objects.get(user=seller).detail == "Asked for by Amara"


def test_a_notification_links_to_the_item(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"status": "planned"}, user=world.owner)
    notification = Notification.objects.get(user=world.pm)
    assert notification.url == registry.item_url(registry.KINDS["features"], items["features"].pk)
    assert notification.target == "Single sign-on"


# --- The inbox API --------------------------------------------------------------------------------


def make_notifications(world: World, items: dict[str, Any], user: Any, n: int) -> None:
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                workspace=world.workspace,
                actor=[world.pm, world.owner][i % 2],
                verb="commented",
                content_type=notify.ContentType.objects.get_for_model(type(items["features"])),
                object_id=items["features"].pk,
                target="Single sign-on",
                url="/x/",
            )
            for i in range(n)
        ]
    )


def test_the_inbox_lists_newest_first_with_the_unread_count(
    world: World, items: dict[str, Any]
) -> None:
    make_notifications(world, items, world.viewer, 3)
    body = world.api(world.viewer).get("/notifications").json()
    assert body["count"] == 3
    assert body["unread"] == 3
    first = body["items"][0]
    assert set(first) >= {"id", "verb", "actor", "target", "created", "read"}
    assert first["sentence"] == f"{first['actor']} commented on feature 'Single sign-on'"
    assert [item["id"] for item in body["items"]] == sorted(
        [item["id"] for item in body["items"]], reverse=True
    )


def test_marking_read(world: World, items: dict[str, Any]) -> None:
    make_notifications(world, items, world.viewer, 3)
    api = world.api(world.viewer)
    first = api.get("/notifications").json()["items"][0]["id"]
    marked = api.post("/notifications/read", {"ids": [first]}).json()
    assert marked == {"marked": 1, "unread": 2}
    assert api.get("/notifications?unread=true").json()["count"] == 2
    assert api.post("/notifications/read", {"all": True}).json() == {"marked": 2, "unread": 0}


def test_marking_read_needs_ids_or_all(world: World) -> None:
    response = world.api(world.viewer).post("/notifications/read", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ids"


def test_nobody_reads_or_marks_anothers_notifications(world: World, items: dict[str, Any]) -> None:
    make_notifications(world, items, world.viewer, 2)
    ids = list(Notification.objects.values_list("pk", flat=True))
    outsider = world.api(world.outsider)
    assert outsider.get("/notifications").json()["count"] == 0
    assert outsider.post("/notifications/read", {"ids": ids}).json()["marked"] == 0
    assert world.api(world.pm).post("/notifications/read", {"all": True}).json()["marked"] == 0
    assert Notification.objects.filter(read__isnull=True).count() == 2


def test_notifications_of_a_workspace_one_left_are_hidden(
    world: World, items: dict[str, Any]
) -> None:
    make_notifications(world, items, world.viewer, 2)
    Membership.objects.filter(user=world.viewer).delete()
    assert world.api(world.viewer).get("/notifications").json() == {
        "items": [],
        "count": 0,
        "unread": 0,
    }


def test_anonymous_has_no_inbox(world: World) -> None:
    assert world.api(None).get("/notifications").status_code == 401


def test_listing_notifications_costs_the_same_queries_at_3_and_30(
    world: World, items: dict[str, Any]
) -> None:
    api = world.api(world.viewer)
    same_queries_at_3_and_30(
        lambda n: make_notifications(world, items, world.viewer, n),
        lambda: api.get("/notifications"),
    )


# --- Settings -------------------------------------------------------------------------------------


def test_settings_default_to_email_batched_every_15_minutes(world: World) -> None:
    assert world.api(world.viewer).get("/notifications/settings").json() == {
        "email": True,
        "digest_minutes": 15,
    }


def test_settings_change(world: World) -> None:
    api = world.api(world.viewer)
    assert api.patch("/notifications/settings", {"digest_minutes": 60}).json() == {
        "email": True,
        "digest_minutes": 60,
    }
    assert api.patch("/notifications/settings", {"email": False}).json()["email"] is False


def test_an_unknown_digest_interval_is_refused(world: World) -> None:
    response = world.api(world.viewer).patch("/notifications/settings", {"digest_minutes": 7})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "digest_minutes"
