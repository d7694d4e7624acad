"""The ideas API: contract, workflow, votes, demand, merge and promotion."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.activity.models import AuditEvent
from headway.discovery import services
from headway.discovery.models import Customer, Feedback, FeedbackLink, Follower, Idea, Vote
from headway.planning.models import Feature
from tests.conftest import Api, World, make_user
from tests.contract import PROBLEM, EditableResourceContract


class TestIdeaContract(EditableResourceContract):
    list_url = "/products/{product}/ideas"
    detail_url = "/ideas/{id}"
    payload = {"title": "Dark mode", "description": "For night owls"}
    patch = {"title": "Dark mode everywhere"}
    create_role = "contributor"


def errors_of(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()["errors"]


def idea(world: World, title: str = "Dark mode", **fields: Any) -> Idea:
    return Idea.objects.create(product=world.product, title=title, **fields)


# --- creation and validation ----------------------------------------------------------------------


def test_new_idea_starts_new_with_its_next_states(world: World, contributor_api: Api) -> None:
    response = contributor_api.post(f"/products/{world.product.pk}/ideas", {"title": "SSO"})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new"
    assert body["allowed_next"] == ["under_review", "declined"]
    assert body["author"] == "carla"
    assert body["demand"] == {"voters": 0, "feedback": 0, "customers": 0, "revenue": 0}


def test_title_is_required(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/products/{world.product.pk}/ideas", {"description": "x"})
    assert errors_of(response) == [{"field": "title", "message": "Field required"}]


def test_title_must_not_be_blank(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/products/{world.product.pk}/ideas", {"title": "  "})
    assert errors_of(response)[0]["field"] == "title"


def test_title_has_a_maximum_length(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/products/{world.product.pk}/ideas", {"title": "x" * 201})
    assert errors_of(response)[0]["field"] == "title"


def test_description_has_a_maximum_length(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/ideas", {"title": "x", "description": "x" * 20_001}
    )
    assert errors_of(response)[0]["field"] == "description"


def test_status_must_be_known(world: World, pm_api: Api) -> None:
    response = pm_api.patch(f"/ideas/{idea(world).pk}", {"status": "done"})
    assert errors_of(response)[0]["field"] == "status"


def test_contributor_cannot_change_an_idea(world: World, contributor_api: Api) -> None:
    response = contributor_api.patch(f"/ideas/{idea(world).pk}", {"status": "under_review"})
    assert response.status_code == 403


# --- workflow -------------------------------------------------------------------------------------


def test_the_happy_path_of_the_workflow(world: World, pm_api: Api) -> None:
    url = f"/ideas/{idea(world).pk}"
    for status in ("under_review", "planned", "in_progress", "shipped"):
        response = pm_api.patch(url, {"status": status})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("new", "planned"),
        ("new", "shipped"),
        ("under_review", "in_progress"),
        ("planned", "shipped"),
        ("shipped", "new"),
        ("declined", "planned"),
    ],
)
def test_a_jump_in_the_workflow_is_refused_naming_the_allowed_states(
    world: World, pm_api: Api, start: str, target: str
) -> None:
    item = idea(world, status=start)
    errors = errors_of(pm_api.patch(f"/ideas/{item.pk}", {"status": target}))
    assert errors[0]["field"] == "status"
    from headway.discovery.workflow import TRANSITIONS

    for allowed in TRANSITIONS[start]:
        assert allowed in errors[0]["message"]
    item.refresh_from_db()
    assert item.status == start


def test_duplicate_is_reached_only_by_merging(world: World, pm_api: Api) -> None:
    errors = errors_of(pm_api.patch(f"/ideas/{idea(world).pk}", {"status": "duplicate"}))
    assert "merg" in errors[0]["message"]


def test_declined_idea_can_be_reconsidered(world: World, pm_api: Api) -> None:
    item = idea(world, status="declined")
    assert pm_api.patch(f"/ideas/{item.pk}", {"status": "under_review"}).status_code == 200


def test_status_change_is_in_the_history(world: World, pm_api: Api) -> None:
    item = idea(world)
    pm_api.patch(f"/ideas/{item.pk}", {"status": "under_review"})
    event = AuditEvent.objects.get(object_id=item.pk, action="update")
    assert event.changes["status"] == ["new", "under_review"]


# --- votes ----------------------------------------------------------------------------------------


def test_one_vote_per_user(world: World, contributor_api: Api) -> None:
    item = idea(world)
    url = f"/ideas/{item.pk}/votes"
    first = contributor_api.post(url)
    assert first.status_code == 201
    assert first.json()["vote_count"] == 1
    second = contributor_api.post(url)
    assert second.status_code == 409
    assert second["Content-Type"] == PROBLEM
    item.refresh_from_db()
    assert item.vote_count == 1


def test_viewer_cannot_vote(world: World, viewer_api: Api) -> None:
    assert viewer_api.post(f"/ideas/{idea(world).pk}/votes").status_code == 403


def test_unvote_lowers_the_count(world: World, contributor_api: Api) -> None:
    item = idea(world)
    contributor_api.post(f"/ideas/{item.pk}/votes")
    assert contributor_api.delete(f"/ideas/{item.pk}/votes").status_code == 204
    item.refresh_from_db()
    assert item.vote_count == 0
    assert contributor_api.delete(f"/ideas/{item.pk}/votes").status_code == 404


def test_contributor_casts_a_proxy_vote_for_a_named_customer(
    world: World, contributor_api: Api
) -> None:
    item = idea(world)
    url = f"/ideas/{item.pk}/votes"
    customer = {"name": "Raj Patel", "company": "Globex", "revenue": 450000}
    response = contributor_api.post(url, {"customer": customer})
    assert response.status_code == 201, response.content
    vote = response.json()["vote"]
    assert vote["customer"]["name"] == "Raj Patel"
    assert vote["proxy_by"] == "carla"
    assert vote["user"] is None
    # The same customer cannot vote twice, but the contributor still may vote themself.
    assert contributor_api.post(url, {"customer": customer}).status_code == 409
    assert contributor_api.post(url).status_code == 201
    item.refresh_from_db()
    assert item.vote_count == 2
    raj = Customer.objects.get(name="Raj Patel")
    assert contributor_api.delete(f"{url}?customer={raj.pk}").status_code == 204


def test_votes_are_listed(world: World, viewer_api: Api) -> None:
    item = idea(world)
    services.vote(item, user=world.pm)
    body = viewer_api.get(f"/ideas/{item.pk}/votes").json()
    assert body["count"] == 1
    assert body["items"][0]["user"] == "pavel"


def test_a_declined_idea_takes_no_votes(world: World, contributor_api: Api) -> None:
    item = idea(world, status="declined")
    assert errors_of(contributor_api.post(f"/ideas/{item.pk}/votes"))[0]["field"] == "idea"


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_votes_are_twenty_votes(world: World) -> None:
    item = idea(world)
    # Twenty voters, and one of them clicking twice at the same moment.
    voters = [make_user(f"voter{i}") for i in range(20)]
    ballots = [*voters, voters[0]]
    # SQLite runs one write transaction at a time by design; its in-memory test database
    # refuses (rather than queues) a second writer, so there the threads take turns.
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    start = threading.Barrier(len(ballots))
    refused: list[Any] = []

    def cast(user: Any) -> None:
        try:
            start.wait(timeout=30)  # on PostgreSQL all 21 requests are in flight together
            with turns:
                services.vote(item, user=user)
        except services.Conflict:
            refused.append(user)
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(user,)) for user in ballots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    item.refresh_from_db()
    assert item.vote_count == Vote.objects.filter(idea=item).count() == 20
    assert refused == [voters[0]]


def test_a_vote_racing_past_the_check_is_refused_by_the_constraint(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = idea(world)
    services.vote(item, user=world.pm)
    # As if a second request had checked before the first one inserted its vote.
    monkeypatch.setattr("django.db.models.QuerySet.exists", lambda self: False)
    with pytest.raises(services.Conflict):
        services.vote(item, user=world.pm)
    item.refresh_from_db()
    assert item.vote_count == Vote.objects.filter(idea=item).count() == 1


# --- demand ---------------------------------------------------------------------------------------


def test_demand_counts_distinct_customers_and_their_revenue(world: World, pm_api: Api) -> None:
    item = idea(world)
    ada = Customer.objects.create(workspace=world.workspace, name="Ada", revenue=Decimal(100))
    raj = Customer.objects.create(workspace=world.workspace, name="Raj", revenue=Decimal(50))
    nobody = Customer.objects.create(workspace=world.workspace, name="Zed")
    services.vote(item, user=world.pm)
    services.vote(item, customer=ada, proxy_by=world.contributor)
    for customer in (ada, raj, raj, nobody):
        feedback = Feedback.objects.create(product=world.product, text="x", customer=customer)
        FeedbackLink.objects.create(feedback=feedback, idea=item)
    FeedbackLink.objects.create(
        feedback=Feedback.objects.create(product=world.product, text="anonymous"), idea=item
    )
    demand = pm_api.get(f"/ideas/{item.pk}").json()["demand"]
    assert demand == {"voters": 2, "feedback": 5, "customers": 3, "revenue": 150}


# --- lists ----------------------------------------------------------------------------------------


def test_list_sorts_by_votes_or_recent_and_filters_by_status(world: World, pm_api: Api) -> None:
    idea(world, "a", vote_count=1)
    idea(world, "b", vote_count=5, status="planned")
    idea(world, "c", vote_count=3)
    url = f"/products/{world.product.pk}/ideas"

    def titles(query: str) -> list[str]:
        return [item["title"] for item in pm_api.get(f"{url}?{query}").json()["items"]]

    assert titles("") == ["b", "c", "a"]
    assert titles("sort=recent") == ["c", "b", "a"]
    assert titles("status=planned") == ["b"]
    assert titles("status=planned&status=new") == ["b", "c", "a"]


def test_list_searches_titles_and_descriptions(world: World, pm_api: Api) -> None:
    idea(world, "Export to PowerPoint")
    idea(world, "Dark mode", description="Exports look bad at night")
    idea(world, "Slack alerts")
    body = pm_api.get(f"/products/{world.product.pk}/ideas?q=export").json()
    assert sorted(item["title"] for item in body["items"]) == ["Dark mode", "Export to PowerPoint"]


@pytest.mark.parametrize("query", ["", "?q=idea", "?sort=recent&status=new"])
def test_idea_list_queries_do_not_grow_with_rows(world: World, pm_api: Api, query: str) -> None:
    customer = Customer.objects.create(workspace=world.workspace, name="Ada", revenue=10)

    def add(n: int) -> None:
        for i in range(n):
            item = idea(world, f"idea {i}", author=world.pm)
            Vote.objects.create(idea=item, customer=customer)
            feedback = Feedback.objects.create(product=world.product, text="x", customer=customer)
            FeedbackLink.objects.create(feedback=feedback, idea=item)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get(f"/products/{world.product.pk}/ideas{query}").status_code == 200
        return len(queries)

    pm_api.get("/products")
    add(3)
    few = count()
    add(27)
    assert count() == few


def test_vote_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    item = idea(world)

    def add(n: int, offset: int) -> None:
        for i in range(n):
            customer = Customer.objects.create(workspace=world.workspace, name=f"C{offset + i}")
            Vote.objects.create(idea=item, customer=customer, proxy_by=world.pm)
            Vote.objects.create(idea=item, user=make_user(f"u{offset + i}"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get(f"/ideas/{item.pk}/votes").status_code == 200
        return len(queries)

    pm_api.get("/products")
    add(2, 0)
    few = count()
    add(13, 100)
    assert count() == few


# --- merge ----------------------------------------------------------------------------------------


def test_merge_moves_votes_without_double_counting(world: World, pm_api: Api) -> None:
    dup, keep = idea(world, "Dark theme"), idea(world, "Dark mode")
    ada = Customer.objects.create(workspace=world.workspace, name="Ada")
    for voter in (world.pm, world.contributor):
        services.vote(dup, user=voter)
    services.vote(dup, customer=ada, proxy_by=world.pm)
    services.vote(dup, voter_email="visitor@example.com")
    services.vote(keep, user=world.pm)
    services.vote(keep, voter_email="VISITOR@example.com")
    response = pm_api.post(f"/ideas/{dup.pk}/merge", {"into": keep.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["votes_moved"], body["votes_dropped"]) == (2, 2)
    assert body["idea"]["status"] == "duplicate"
    assert body["idea"]["merged_into"] == keep.pk
    assert body["idea"]["vote_count"] == 0
    assert body["into"]["vote_count"] == 4
    assert Vote.objects.filter(idea=keep).count() == 4
    assert not Vote.objects.filter(idea=dup).exists()


def test_merge_moves_feedback_keeping_the_stronger_link(world: World, pm_api: Api) -> None:
    dup, keep = idea(world, "Dark theme"), idea(world, "Dark mode")
    both = Feedback.objects.create(product=world.product, text="both")
    only = Feedback.objects.create(product=world.product, text="only on the duplicate")
    FeedbackLink.objects.create(feedback=both, idea=dup, importance="critical")
    FeedbackLink.objects.create(feedback=both, idea=keep, importance="nice")
    FeedbackLink.objects.create(feedback=only, idea=dup, importance="nice")
    body = pm_api.post(f"/ideas/{dup.pk}/merge", {"into": keep.pk}).json()
    assert body["feedback_moved"] == 1
    assert body["into"]["demand"]["feedback"] == 2
    assert FeedbackLink.objects.get(feedback=both).importance == "critical"
    assert not FeedbackLink.objects.filter(idea=dup).exists()


def test_merge_moves_followers_and_earlier_duplicates(world: World, pm_api: Api) -> None:
    older, dup, keep = idea(world, "a"), idea(world, "b"), idea(world, "c")
    services.merge(world.pm, older, dup)
    Follower.objects.create(idea=dup, email="x@example.com")
    Follower.objects.create(idea=dup, email="y@example.com")
    Follower.objects.create(idea=keep, email="y@example.com")
    pm_api.post(f"/ideas/{dup.pk}/merge", {"into": keep.pk})
    older.refresh_from_db()
    assert older.merged_into == keep
    assert sorted(Follower.objects.filter(idea=keep).values_list("email", flat=True)) == [
        "x@example.com",
        "y@example.com",
    ]


def test_merge_is_recorded_in_the_history_of_both(world: World, pm_api: Api) -> None:
    dup, keep = idea(world, "a"), idea(world, "b")
    pm_api.post(f"/ideas/{dup.pk}/merge", {"into": keep.pk})
    on_dup = AuditEvent.objects.get(object_id=dup.pk, action="update")
    assert on_dup.changes["status"] == ["new", "duplicate"]
    assert on_dup.changes["merged_into"] == [None, keep.pk]
    on_keep = AuditEvent.objects.get(object_id=keep.pk, action="merge")
    assert on_keep.changes["duplicates"][1].startswith(f"#{dup.pk} 'a' merged in")
    assert on_keep.user == world.pm


def test_merging_into_itself_is_refused(world: World, pm_api: Api) -> None:
    item = idea(world)
    errors = errors_of(pm_api.post(f"/ideas/{item.pk}/merge", {"into": item.pk}))
    assert errors[0]["field"] == "into"


def test_merging_across_products_is_refused(world: World, pm_api: Api) -> None:
    from headway.products.models import Product

    sibling = Product.objects.create(workspace=world.workspace, name="Sibling")
    there = Idea.objects.create(product=sibling, title="there")
    errors = errors_of(pm_api.post(f"/ideas/{idea(world).pk}/merge", {"into": there.pk}))
    assert "within one product" in errors[0]["message"]


def test_merging_into_another_workspaces_idea_is_refused(world: World, pm_api: Api) -> None:
    theirs = Idea.objects.create(product=world.other_product, title="theirs")
    assert errors_of(pm_api.post(f"/ideas/{idea(world).pk}/merge", {"into": theirs.pk}))


def test_merging_a_duplicate_again_is_refused(world: World, pm_api: Api) -> None:
    a, b, c = idea(world, "a"), idea(world, "b"), idea(world, "c")
    services.merge(world.pm, a, b)
    assert errors_of(pm_api.post(f"/ideas/{a.pk}/merge", {"into": c.pk}))
    assert errors_of(pm_api.post(f"/ideas/{c.pk}/merge", {"into": a.pk}))


def test_contributor_cannot_merge(world: World, contributor_api: Api) -> None:
    a, b = idea(world, "a"), idea(world, "b")
    assert contributor_api.post(f"/ideas/{a.pk}/merge", {"into": b.pk}).status_code == 403


# --- promote --------------------------------------------------------------------------------------


def test_promote_creates_a_feature_keeping_the_evidence(world: World, pm_api: Api) -> None:
    item = idea(world, "SSO", description="Okta and Azure AD")
    feedback = Feedback.objects.create(product=world.product, text="We need SSO")
    FeedbackLink.objects.create(feedback=feedback, idea=item, importance="critical")
    response = pm_api.post(f"/ideas/{item.pk}/promote")
    assert response.status_code == 201, response.content
    body = response.json()
    feature = Feature.objects.get(pk=body["feature"]["id"])
    assert (feature.title, feature.description, feature.product) == (
        "SSO",
        "Okta and Azure AD",
        world.product,
    )
    assert body["idea"]["feature"] == feature.pk
    assert body["idea"]["status"] == "planned"
    assert FeedbackLink.objects.get(feature=feature).importance == "critical"
    assert FeedbackLink.objects.filter(idea=item).exists()
    assert AuditEvent.objects.filter(object_id=feature.pk, action="create").exists()


def test_promoting_twice_is_a_conflict(world: World, pm_api: Api) -> None:
    item = idea(world)
    pm_api.post(f"/ideas/{item.pk}/promote")
    response = pm_api.post(f"/ideas/{item.pk}/promote")
    assert response.status_code == 409
    assert Feature.objects.count() == 1


def test_a_declined_idea_cannot_be_promoted(world: World, pm_api: Api) -> None:
    item = idea(world, status="declined")
    assert errors_of(pm_api.post(f"/ideas/{item.pk}/promote"))[0]["field"] == "status"


def test_contributor_cannot_promote(world: World, contributor_api: Api) -> None:
    assert contributor_api.post(f"/ideas/{idea(world).pk}/promote").status_code == 403
