"""The pages: comments and history of an item, notifications, settings, feed and audit log."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import engines
from django.test import Client, RequestFactory

from headway.accounts.models import Function, Membership
from headway.activity import notify
from headway.activity.models import Comment, Notification, NotificationSettings
from headway.core import changes
from headway.planning.models import Feature
from tests.activity.conftest import ALL_KINDS, COMMENTABLE, same_queries_at_3_and_30
from tests.conftest import World
from tests.core.test_markdown import inert

HX = {"HTTP_HX_REQUEST": "true"}


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- Comments page --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_every_kind_has_a_comments_page(world: World, items: dict[str, Any], kind: str) -> None:
    response = client(world.viewer).get(f"/comments/{kind}/{items[kind].pk}/")
    assert response.status_code == 200
    assert str(items[kind]) in response.content.decode()


@pytest.mark.parametrize("kind", COMMENTABLE)
def test_another_workspaces_comments_page_is_not_found(
    world: World, other_items: dict[str, Any], kind: str
) -> None:
    c = client(world.owner)
    assert c.get(f"/comments/{kind}/{other_items[kind].pk}/").status_code == 404
    response = c.post(f"/comments/{kind}/{other_items[kind].pk}/", {"body": "hi"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_goals_take_no_comments_and_unknown_kinds_do_not_exist(
    world: World, items: dict[str, Any]
) -> None:
    c = client(world.owner)
    assert c.get(f"/comments/goals/{items['goals'].pk}/").status_code == 404
    assert c.get("/comments/widgets/1/").status_code == 404


def test_signing_in_comes_first(world: World, items: dict[str, Any]) -> None:
    response = Client().get(f"/comments/features/{items['features'].pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_comment_posted_from_the_form_appears(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.contributor)
    response = c.post(f"/comments/features/{feature.pk}/", {"body": "From the **form**"})
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "From the <strong>form</strong>" in page


def test_htmx_gets_the_panel_back_with_the_new_comment(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    response = client(world.contributor).post(
        f"/comments/features/{feature.pk}/", {"body": "Quick one"}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quick one" in html
    assert "<html" not in html
    assert f'id="comments-features-{feature.pk}"' in html


def test_a_viewer_cannot_post_and_sees_no_form(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.viewer)
    assert c.post(f"/comments/features/{feature.pk}/", {"body": "hi"}).status_code == 403
    assert 'name="body"' not in c.get(f"/comments/features/{feature.pk}/").content.decode()


def test_an_empty_comment_shows_an_error_and_keeps_nothing(
    world: World, items: dict[str, Any]
) -> None:
    feature = items["features"]
    c = client(world.contributor)
    response = c.post(f"/comments/features/{feature.pk}/", {"body": "   "})
    assert response.status_code == 422
    assert "cannot be empty" in response.content.decode()
    response = c.post(f"/comments/features/{feature.pk}/", {"body": ""}, **HX)
    assert "cannot be empty" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_too_long_comment_keeps_the_draft(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    response = client(world.contributor).post(
        f"/comments/features/{feature.pk}/", {"body": "z" * 20_001}, **HX
    )
    assert "20,000" in response.content.decode()
    assert "z" * 20_001 in response.content.decode()


def test_a_mention_of_a_non_member_is_pointed_out(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.contributor)
    response = c.post(f"/comments/features/{feature.pk}/", {"body": "@ghost hi"}, **HX)
    assert "@ghost is not a member of this workspace" in response.content.decode()
    response = c.post(f"/comments/features/{feature.pk}/", {"body": "@ghost hi"}, follow=True)
    assert "@ghost is not a member of this workspace" in response.content.decode()


def test_script_in_a_comment_is_inert_on_the_page(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.contributor)
    c.post(f"/comments/features/{feature.pk}/", {"body": '<img src=x onerror="alert(1)">'})
    c.post(f"/comments/features/{feature.pk}/", {"body": "[x](javascript:alert(1))"})
    page = c.get(f"/comments/features/{feature.pk}/").content.decode()
    bodies = re.findall(r'<div class="comment__body">(.*?)</div>', page, re.DOTALL)
    assert len(bodies) == 2
    assert all(inert(body) for body in bodies), bodies


def test_the_author_edits_and_deletes_from_the_page(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.contributor)
    c.post(f"/comments/features/{feature.pk}/", {"body": "tpyo"})
    comment = Comment.objects.get()
    response = c.post(f"/comments/{comment.pk}/edit/", {"body": "typo"}, **HX)
    assert response.status_code == 200
    assert "typo" in response.content.decode()
    assert ">edited<" in response.content.decode()
    c.post(f"/comments/{comment.pk}/delete/")
    assert not Comment.objects.exists()


def test_someone_else_cannot_edit_or_delete_from_the_page(
    world: World, items: dict[str, Any]
) -> None:
    feature = items["features"]
    client(world.contributor).post(f"/comments/features/{feature.pk}/", {"body": "mine"})
    comment = Comment.objects.get()
    pm = client(world.pm)
    assert pm.post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    assert Comment.objects.get().body == "mine"
    assert pm.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert client(world.outsider).post(f"/comments/{comment.pk}/delete/").status_code == 404


def test_the_watch_button_toggles(world: World, items: dict[str, Any]) -> None:
    feature = items["features"]
    c = client(world.viewer)
    response = c.post(f"/watch/features/{feature.pk}/", {"action": "watch"}, **HX)
    assert "Watching" in response.content.decode()
    assert notify.watch_state(world.viewer.pk, feature)["watching"]
    c.post(f"/watch/features/{feature.pk}/", {"action": "unwatch"})
    assert not notify.watch_state(world.viewer.pk, feature)["watching"]


def test_the_comments_page_costs_the_same_queries_at_3_and_30(
    world: World, items: dict[str, Any]
) -> None:
    feature = items["features"]
    people = [world.owner, world.pm, world.contributor]

    def add(n: int) -> None:
        top = None
        for i in range(n):
            top = Comment.objects.create(
                workspace=world.workspace,
                target=feature,
                author=people[i % 3],
                body=f"c{i}",
                body_html=f"<p>c{i}</p>",
                parent=top if i % 2 else None,
            )

    c = client(world.contributor)
    same_queries_at_3_and_30(add, lambda: c.get(f"/comments/features/{feature.pk}/"))


def test_other_pages_can_include_the_panels(world: World, items: dict[str, Any]) -> None:
    request = RequestFactory().get("/features/1/")
    request.user = world.viewer
    from headway.accounts.access import Access

    request.access = Access(world.viewer)  # type: ignore[attr-defined]
    template = engines["django"].from_string(
        '{% include "activity/_watch.html" %}{% include "activity/_comments.html" %}'
        '{% include "activity/_history.html" %}'
    )
    html = template.render({"object": items["features"]}, request)
    assert "Comments" in html
    assert "History" in html
    assert "pavel added feature" in html
    assert "Watch" in html


# --- History page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_has_a_history_page(world: World, items: dict[str, Any], kind: str) -> None:
    response = client(world.viewer).get(f"/history/{kind}/{items[kind].pk}/")
    assert response.status_code == 200
    assert "pavel added" in response.content.decode()


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_another_workspaces_history_page_is_not_found(
    world: World, other_items: dict[str, Any], kind: str
) -> None:
    assert client(world.owner).get(f"/history/{kind}/{other_items[kind].pk}/").status_code == 404


def test_the_history_page_shows_before_and_after(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"status": "planned"}, user=world.owner)
    page = client(world.viewer).get(f"/history/features/{items['features'].pk}/").content.decode()
    assert "olivia moved &#x27;Single sign-on&#x27; to Planned" in page
    assert "<del>Idea</del>" in page
    assert "<ins>Planned</ins>" in page


# --- Mention autocomplete -------------------------------------------------------------------------


def test_autocomplete_offers_members_by_the_first_letters(world: World) -> None:
    Membership.objects.filter(user=world.pm).update(function=Function.PRODUCT)
    response = client(world.contributor).get(
        f"/members/autocomplete?q=pa&workspace={world.workspace.pk}"
    )
    html = response.content.decode()
    assert 'data-mention="pavel"' in html
    assert "Product" in html
    assert 'data-mention="olivia"' not in html


def test_autocomplete_never_offers_outsiders(world: World) -> None:
    response = client(world.contributor).get(
        f"/members/autocomplete?q=os&workspace={world.workspace.pk}"
    )
    assert 'data-mention="oscar"' not in response.content.decode()
    assert "notifies nobody" in response.content.decode()


def test_autocomplete_of_another_workspace_is_not_found(world: World) -> None:
    response = client(world.contributor).get(
        f"/members/autocomplete?q=o&workspace={world.other_workspace.pk}"
    )
    assert response.status_code == 404
    assert client(world.contributor).get("/members/autocomplete?q=o").status_code == 404


def test_autocomplete_is_empty_without_letters(world: World) -> None:
    response = client(world.contributor).get(
        f"/members/autocomplete?q=&workspace={world.workspace.pk}"
    )
    assert "data-mention" not in response.content.decode()


# --- Notifications page ---------------------------------------------------------------------------


def make(world: World, items: dict[str, Any], n: int, user: Any = None) -> None:
    feature = items["features"]
    Notification.objects.bulk_create(
        [
            Notification(
                user=user or world.viewer,
                workspace=world.workspace,
                actor=[world.pm, world.owner][i % 2],
                verb="mentioned",
                content_type=ContentType.objects.get_for_model(Feature),
                object_id=feature.pk,
                target=feature.title,
                url=f"/comments/features/{feature.pk}/",
            )
            for i in range(n)
        ]
    )


def test_the_navigation_shows_the_unread_count(world: World, items: dict[str, Any]) -> None:
    make(world, items, 2)
    page = client(world.viewer).get("/notifications/").content.decode()
    assert 'aria-label="Notifications, 2 unread"' in page
    assert "pavel mentioned you on feature &#x27;Single sign-on&#x27;" in page


def test_mark_all_read_from_the_page(world: World, items: dict[str, Any]) -> None:
    make(world, items, 2)
    c = client(world.viewer)
    response = c.post("/notifications/", {"all": "1"}, **HX)
    assert response.status_code == 200
    assert "Mark all read" not in response.content.decode()
    assert not Notification.objects.filter(read__isnull=True).exists()


def test_mark_one_read_from_the_page(world: World, items: dict[str, Any]) -> None:
    make(world, items, 2)
    first = Notification.objects.first()
    assert first is not None
    response = client(world.viewer).post("/notifications/", {"ids": [first.pk]})
    assert response.status_code == 302
    assert Notification.objects.filter(read__isnull=True).count() == 1


def test_opening_a_notification_marks_it_read_and_goes_there(
    world: World, items: dict[str, Any]
) -> None:
    make(world, items, 1)
    notification = Notification.objects.get()
    response = client(world.viewer).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read is not None


def test_nobody_opens_anothers_notification(world: World, items: dict[str, Any]) -> None:
    make(world, items, 1)
    notification = Notification.objects.get()
    assert client(world.pm).post(f"/notifications/{notification.pk}/open/").status_code == 404
    assert client(world.pm).get("/notifications/").content.decode().count("mentioned you") == 0


def test_the_notifications_page_costs_the_same_queries_at_3_and_30(
    world: World, items: dict[str, Any]
) -> None:
    c = client(world.viewer)
    same_queries_at_3_and_30(lambda n: make(world, items, n), lambda: c.get("/notifications/"))


def test_settings_are_saved_from_the_page(world: World) -> None:
    c = client(world.viewer)
    assert c.get("/notifications/settings/").status_code == 200
    response = c.post("/notifications/settings/", {"digest_minutes": "60"})
    assert response.status_code == 302
    saved = NotificationSettings.objects.get(user=world.viewer)
    assert (saved.email, saved.digest_minutes) == (False, 60)  # an unticked box is "off"


def test_a_bad_digest_interval_is_refused_on_the_page(world: World) -> None:
    response = client(world.viewer).post(
        "/notifications/settings/", {"email": "on", "digest_minutes": "7"}
    )
    assert response.status_code == 422
    assert not NotificationSettings.objects.filter(digest_minutes=7).exists()


# --- Product activity page ------------------------------------------------------------------------


def test_the_activity_page_reads_like_a_weekly_summary(world: World, items: dict[str, Any]) -> None:
    changes.update(items["features"], {"status": "in_progress"}, user=world.owner)
    page = client(world.viewer).get(f"/products/{world.product.pk}/activity/").content.decode()
    assert "olivia moved &#x27;Single sign-on&#x27; to In progress" in page
    assert 'aria-current="page">Activity</a>' in page


def test_the_activity_page_of_another_workspace_is_not_found(world: World) -> None:
    response = client(world.outsider).get(f"/products/{world.product.pk}/activity/")
    assert response.status_code == 404


def test_the_activity_page_costs_the_same_queries_at_3_and_30(world: World) -> None:
    def add(n: int) -> None:
        for i in range(n):
            feature = changes.create(
                Feature, user=world.pm, product=world.product, title=f"F{n}-{i}"
            )
            changes.update(feature, {"status": "planned"}, user=world.owner)

    c = client(world.viewer)
    same_queries_at_3_and_30(add, lambda: c.get(f"/products/{world.product.pk}/activity/"))


# --- Audit log page -------------------------------------------------------------------------------


def test_admins_see_the_audit_log_page(world: World, items: dict[str, Any]) -> None:
    page = client(world.owner).get(f"/workspaces/{world.workspace.pk}/audit/").content.decode()
    assert "pavel added feature &#x27;Single sign-on&#x27;" in page


def test_the_audit_log_page_is_for_admins(world: World) -> None:
    assert client(world.pm).get(f"/workspaces/{world.workspace.pk}/audit/").status_code == 403
    assert client(world.outsider).get(f"/workspaces/{world.workspace.pk}/audit/").status_code == 404


def test_the_audit_log_page_filters(world: World, items: dict[str, Any]) -> None:
    changes.update(items["goals"], {"title": "Win bigger"}, user=world.owner)
    c = client(world.owner)
    page = c.get(
        f"/workspaces/{world.workspace.pk}/audit/?user=olivia&type=strategy.goal"
    ).content.decode()
    assert "olivia renamed goal" in page
    assert "pavel added" not in page


def test_a_bad_audit_filter_is_refused_on_the_page(world: World) -> None:
    response = client(world.owner).get(
        f"/workspaces/{world.workspace.pk}/audit/?since=2026-02-01&until=2026-01-01"
    )
    assert response.status_code == 422
    assert "on or after" in response.content.decode()


def test_the_audit_log_page_costs_the_same_queries_at_3_and_30(world: World) -> None:
    def add(n: int) -> None:
        for i in range(n):
            changes.create(Feature, user=world.pm, product=world.product, title=f"F{n}-{i}")

    c = client(world.owner)
    same_queries_at_3_and_30(add, lambda: c.get(f"/workspaces/{world.workspace.pk}/audit/"))


def test_an_edit_after_the_window_says_why_on_the_page(world: World, items: dict[str, Any]) -> None:
    import datetime as dt

    from headway.core import clock

    feature = items["features"]
    c = client(world.contributor)
    c.post(f"/comments/features/{feature.pk}/", {"body": "old"})
    Comment.objects.update(created=clock.now() - dt.timedelta(minutes=20))
    comment = Comment.objects.get()
    response = c.post(f"/comments/{comment.pk}/edit/", {"body": "new"}, **HX)
    assert "can be edited for 15 minutes" in response.content.decode()
    assert "Edit your comment" not in response.content.decode()  # the form is gone too
    assert Comment.objects.get().body == "old"


def test_a_storys_page_sits_in_its_products_sections(world: World, items: dict[str, Any]) -> None:
    page = client(world.viewer).get(f"/comments/stories/{items['stories'].pk}/").content.decode()
    assert f'href="/products/{world.product.pk}/activity/"' in page
    assert "Story · Rocket" in page


def test_the_history_page_costs_the_same_queries_at_3_and_30(
    world: World, items: dict[str, Any]
) -> None:
    feature = items["features"]

    def add(n: int) -> None:
        for i in range(n):
            changes.update(feature, {"points": float(i + 100 * n)}, user=world.pm)

    c = client(world.viewer)
    same_queries_at_3_and_30(add, lambda: c.get(f"/history/features/{feature.pk}/"))
