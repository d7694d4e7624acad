"""Comments through the API: every kind, roles, isolation, bad input, threads, edits, XSS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from headway.activity.models import AuditEvent, Comment, Notification
from headway.core import changes, clock
from tests.activity.conftest import COMMENTABLE, same_queries_at_3_and_30
from tests.conftest import World
from tests.contract import PROBLEM
from tests.core.test_markdown import PAYLOADS, inert


def url(kind: str, item: Any) -> str:
    return f"/{kind}/{item.pk}/comments"


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_a_contributor_comments_and_a_viewer_reads_it(
    world: World, items: dict[str, Any], kind: str
) -> None:
    response = world.api(world.contributor).post(url(kind, items[kind]), {"body": "Looks *good*"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["body"] == "Looks *good*"
    assert created["body_html"] == "<p>Looks <em>good</em></p>\n"
    assert created["author"] == world.contributor.username
    assert created["edited"] is None
    assert created["parent"] is None
    assert created["deleted"] is False
    assert created["unknown_mentions"] == []
    listed = world.api(world.viewer).get(url(kind, items[kind])).json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == created["id"]


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_a_viewer_cannot_comment(world: World, items: dict[str, Any], kind: str) -> None:
    response = world.api(world.viewer).post(url(kind, items[kind]), {"body": "hi"})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_commenting_on_another_workspaces_item_is_not_found(
    world: World, other_items: dict[str, Any], kind: str
) -> None:
    pm = world.api(world.pm)
    assert pm.post(url(kind, other_items[kind]), {"body": "hi"}).status_code == 404
    assert pm.get(url(kind, other_items[kind])).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_an_outsider_sees_and_changes_no_comment(
    world: World, items: dict[str, Any], kind: str
) -> None:
    created = world.api(world.pm).post(url(kind, items[kind]), {"body": "secret"}).json()
    outsider = world.api(world.outsider)
    assert outsider.get(url(kind, items[kind])).status_code == 404
    assert outsider.patch(f"/comments/{created['id']}", {"body": "mine"}).status_code == 404
    assert outsider.delete(f"/comments/{created['id']}").status_code == 404
    assert Comment.objects.get(pk=created["id"]).body == "secret"


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_anonymous_is_refused(world: World, items: dict[str, Any], kind: str) -> None:
    assert world.api(None).get(url(kind, items[kind])).status_code == 401
    assert world.api(None).post(url(kind, items[kind]), {"body": "x"}).status_code == 401


def test_an_unknown_item_is_not_found(world: World) -> None:
    assert world.api(world.pm).get("/features/999999/comments").status_code == 404


# --- Bad input ------------------------------------------------------------------------------------


def post(world: World, items: dict[str, Any], body: Any) -> Any:
    return world.api(world.contributor).post(url("features", items["features"]), body)


def errors_of(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


def test_an_empty_comment_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": ""})
    assert response.status_code == 422
    assert errors_of(response) == ["body"]


def test_a_blank_comment_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": "  \n\t "})
    assert response.status_code == 422
    assert errors_of(response) == ["body"]


def test_a_comment_without_a_body_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {})
    assert response.status_code == 422
    assert errors_of(response) == ["body"]


def test_a_comment_over_20000_characters_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": "x" * 20_001})
    assert response.status_code == 422
    assert "20,000" in response.json()["detail"]


def test_a_comment_of_exactly_20000_characters_is_accepted(
    world: World, items: dict[str, Any]
) -> None:
    assert post(world, items, {"body": "x" * 20_000}).status_code == 201


def test_a_parent_on_another_item_is_refused(world: World, items: dict[str, Any]) -> None:
    other = world.api(world.pm).post(url("ideas", items["ideas"]), {"body": "on the idea"}).json()
    response = post(world, items, {"body": "reply", "parent": other["id"]})
    assert response.status_code == 422
    assert errors_of(response) == ["parent"]


def test_an_unknown_parent_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": "reply", "parent": 999999})
    assert response.status_code == 422
    assert errors_of(response) == ["parent"]


def test_nothing_is_written_when_input_is_bad(world: World, items: dict[str, Any]) -> None:
    before = AuditEvent.objects.count()
    post(world, items, {"body": ""})
    assert AuditEvent.objects.count() == before
    assert not Comment.objects.exists()


# --- Threads --------------------------------------------------------------------------------------


def test_a_reply_to_a_reply_joins_the_top_thread(world: World, items: dict[str, Any]) -> None:
    top = post(world, items, {"body": "top"}).json()
    reply = post(world, items, {"body": "reply", "parent": top["id"]}).json()
    deeper = post(world, items, {"body": "deeper", "parent": reply["id"]}).json()
    assert reply["parent"] == top["id"]
    assert deeper["parent"] == top["id"]


# --- Editing --------------------------------------------------------------------------------------


def test_the_author_edits_within_the_window_and_it_shows_edited(
    world: World, items: dict[str, Any]
) -> None:
    created = post(world, items, {"body": "frist"}).json()
    response = world.api(world.contributor).patch(f"/comments/{created['id']}", {"body": "first"})
    assert response.status_code == 200
    assert response.json()["body"] == "first"
    assert response.json()["edited"] is not None


def test_an_edit_after_the_window_is_a_conflict(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "old"}).json()
    Comment.objects.filter(pk=created["id"]).update(created=clock.now() - dt.timedelta(minutes=16))
    response = world.api(world.contributor).patch(f"/comments/{created['id']}", {"body": "new"})
    assert response.status_code == 409
    assert "15 minutes" in response.json()["detail"]
    assert Comment.objects.get(pk=created["id"]).body == "old"


def test_only_the_author_edits(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "mine"}).json()
    response = world.api(world.owner).patch(f"/comments/{created['id']}", {"body": "theirs"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=created["id"]).body == "mine"


def test_an_edit_to_empty_is_refused(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "mine"}).json()
    response = world.api(world.contributor).patch(f"/comments/{created['id']}", {"body": " "})
    assert response.status_code == 422
    assert errors_of(response) == ["body"]


def test_an_edit_over_20000_characters_is_refused(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "mine"}).json()
    response = world.api(world.contributor).patch(
        f"/comments/{created['id']}", {"body": "y" * 20_001}
    )
    assert response.status_code == 422


def test_a_viewer_cannot_edit_even_a_comment_of_theirs(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "mine"}).json()
    Comment.objects.filter(pk=created["id"]).update(author=world.viewer)
    response = world.api(world.viewer).patch(f"/comments/{created['id']}", {"body": "x"})
    assert response.status_code == 403


# --- Deleting -------------------------------------------------------------------------------------


def test_the_author_deletes_a_comment(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "oops"}).json()
    assert world.api(world.contributor).delete(f"/comments/{created['id']}").status_code == 204
    assert not Comment.objects.filter(pk=created["id"]).exists()


def test_an_admin_deletes_anyones_comment(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": "spam"}).json()
    assert world.api(world.owner).delete(f"/comments/{created['id']}").status_code == 204
    assert not Comment.objects.filter(pk=created["id"]).exists()


def test_a_product_manager_cannot_delete_someone_elses_comment(
    world: World, items: dict[str, Any]
) -> None:
    created = post(world, items, {"body": "keep"}).json()
    assert world.api(world.pm).delete(f"/comments/{created['id']}").status_code == 403
    assert world.api(world.viewer).delete(f"/comments/{created['id']}").status_code == 403
    assert Comment.objects.filter(pk=created["id"]).exists()


def test_a_deleted_comment_with_replies_keeps_its_place(
    world: World, items: dict[str, Any]
) -> None:
    top = post(world, items, {"body": "top"}).json()
    post(world, items, {"body": "reply", "parent": top["id"]})
    assert world.api(world.contributor).delete(f"/comments/{top['id']}").status_code == 204
    listed = world.api(world.pm).get(url("features", items["features"])).json()["items"]
    assert listed[0]["deleted"] is True
    assert listed[0]["body"] == ""
    assert listed[0]["body_html"] == ""
    assert len(listed) == 2


def test_a_deleted_comment_cannot_be_edited(world: World, items: dict[str, Any]) -> None:
    top = post(world, items, {"body": "top"}).json()
    post(world, items, {"body": "reply", "parent": top["id"]})
    world.api(world.contributor).delete(f"/comments/{top['id']}")
    response = world.api(world.contributor).patch(f"/comments/{top['id']}", {"body": "back"})
    assert response.status_code == 409


def test_deleting_the_last_reply_of_a_deleted_comment_removes_both(
    world: World, items: dict[str, Any]
) -> None:
    top = post(world, items, {"body": "top"}).json()
    reply = post(world, items, {"body": "reply", "parent": top["id"]}).json()
    contributor = world.api(world.contributor)
    contributor.delete(f"/comments/{top['id']}")
    contributor.delete(f"/comments/{reply['id']}")
    assert not Comment.objects.exists()


def test_deleting_an_item_deletes_its_comments(world: World, items: dict[str, Any]) -> None:
    post(world, items, {"body": "on the feature"})
    world.api(world.pm).post(url("stories", items["stories"]), {"body": "on its story"})
    changes.delete(items["features"], user=world.pm)
    assert not Comment.objects.exists()


# --- Mentions -------------------------------------------------------------------------------------


def test_a_mention_notifies_the_member(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": f"@{world.viewer.username} have a look"})
    assert response.json()["mentions"] == [world.viewer.username]
    assert response.json()["unknown_mentions"] == []
    notification = Notification.objects.get(user=world.viewer)
    assert notification.verb == "mentioned"
    assert notification.actor == world.contributor


def test_a_mention_of_a_non_member_does_nothing_and_says_so(
    world: World, items: dict[str, Any]
) -> None:
    response = post(world, items, {"body": f"@ghost and @{world.outsider.username}, look at this"})
    assert response.status_code == 201
    assert response.json()["unknown_mentions"] == ["ghost", world.outsider.username]
    assert response.json()["mentions"] == []
    assert not Notification.objects.filter(user=world.outsider).exists()
    assert '<span class="mention">' not in response.json()["body_html"]


def test_mentions_match_names_in_any_case(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": f"@{world.viewer.username.upper()} hi"})
    assert response.json()["mentions"] == [world.viewer.username]


def test_an_edit_notifies_only_newly_mentioned_members(world: World, items: dict[str, Any]) -> None:
    created = post(world, items, {"body": f"@{world.viewer.username}"}).json()
    world.api(world.contributor).patch(
        f"/comments/{created['id']}",
        {"body": f"@{world.viewer.username} and @{world.owner.username}"},
    )
    assert Notification.objects.filter(user=world.viewer, verb="mentioned").count() == 1
    assert Notification.objects.filter(user=world.owner, verb="mentioned").count() == 1


# --- XSS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_in_a_comment_comes_back_inert(
    world: World, items: dict[str, Any], payload: str
) -> None:
    created = post(world, items, {"body": payload}).json()
    assert created["body"] == payload.strip()
    assert inert(created["body_html"]), created["body_html"]
    listed = world.api(world.pm).get(url("features", items["features"])).json()["items"]
    assert inert(listed[0]["body_html"])


# --- Lists ----------------------------------------------------------------------------------------


def test_q_searches_comments(world: World, items: dict[str, Any]) -> None:
    post(world, items, {"body": "about latency"})
    post(world, items, {"body": "about pricing"})
    listed = world.api(world.pm).get(url("features", items["features"]) + "?q=pricing").json()
    assert [item["body"] for item in listed["items"]] == ["about pricing"]


def test_listing_comments_costs_the_same_queries_at_3_and_30(
    world: World, items: dict[str, Any]
) -> None:
    feature = items["features"]
    people = [world.owner, world.pm, world.contributor]

    def add(n: int) -> None:
        for i in range(n):
            Comment.objects.create(
                workspace=world.workspace,
                target=feature,
                author=people[i % 3],
                body=f"c{i}",
                body_html=f"<p>c{i}</p>",
            )

    api = world.api(world.viewer)
    same_queries_at_3_and_30(add, lambda: api.get(url("features", feature)))


def test_a_comment_with_a_nul_character_is_refused(world: World, items: dict[str, Any]) -> None:
    response = post(world, items, {"body": "a\x00b"})
    assert response.status_code == 422
    assert errors_of(response) == ["body"]


def test_a_search_with_a_nul_character_is_harmless(world: World, items: dict[str, Any]) -> None:
    response = world.api(world.pm).get(url("features", items["features"]) + "?q=%00")
    assert response.status_code == 422
