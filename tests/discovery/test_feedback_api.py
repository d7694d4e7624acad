"""The feedback API: contract, customers, links, triage state, roles and validation."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea
from headway.planning.models import Feature
from tests.conftest import Api, World
from tests.contract import PROBLEM, EditableResourceContract


class TestFeedbackContract(EditableResourceContract):
    list_url = "/products/{product}/feedback"
    detail_url = "/feedback/{id}"
    payload = {"text": "Exports are too slow", "source": "sales_call"}
    patch = {"text": "Exports of big tables are too slow"}
    create_role = "contributor"


def post(api: Api, world: World, **body: Any) -> Any:
    return api.post(f"/products/{world.product.pk}/feedback", {"text": "Need SSO", **body})


def errors_of(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    return response.json()["errors"]


def test_contributor_adds_feedback_with_a_new_customer(world: World, contributor_api: Api) -> None:
    response = post(
        contributor_api,
        world,
        source="support_ticket",
        customer={
            "name": "Ada Lovelace",
            "email": "Ada@Initech.example",
            "company": "Initech",
            "segment": "enterprise",
            "revenue": 120000,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author"] == "carla"
    assert body["state"] == "new"
    assert body["customer"]["email"] == "ada@initech.example"
    assert body["customer"]["revenue"] == 120000
    assert response["ETag"] == f'"{body["id"]}-1"'


def test_customer_is_matched_by_email_within_the_workspace(
    world: World, contributor_api: Api
) -> None:
    post(contributor_api, world, customer={"name": "Ada", "email": "ada@initech.example"})
    second = post(
        contributor_api,
        world,
        customer={"name": "Ada L.", "email": "ADA@initech.example", "revenue": 5},
    ).json()
    assert Customer.objects.filter(workspace=world.workspace).count() == 1
    assert second["customer"]["name"] == "Ada"
    assert second["customer"]["revenue"] == 5


def test_customer_is_matched_by_name_and_company(world: World, contributor_api: Api) -> None:
    post(contributor_api, world, customer={"name": "Raj Patel", "company": "Globex"})
    post(contributor_api, world, customer={"name": "raj patel", "company": "globex"})
    post(contributor_api, world, customer={"name": "Raj Patel", "company": "Hooli"})
    assert Customer.objects.filter(workspace=world.workspace).count() == 2


def test_customers_of_another_workspace_are_never_matched(
    world: World, contributor_api: Api
) -> None:
    Customer.objects.create(workspace=world.other_workspace, name="Ada", email="ada@x.example")
    body = post(contributor_api, world, customer={"email": "ada@x.example"}).json()
    assert Customer.objects.get(pk=body["customer"]["id"]).workspace == world.workspace


def test_feedback_created_with_an_idea_is_linked_and_processed(
    world: World, contributor_api: Api
) -> None:
    idea = Idea.objects.create(product=world.product, title="SSO")
    body = post(contributor_api, world, idea=idea.pk, importance="critical").json()
    assert body["state"] == "processed"
    assert [(link["idea"], link["importance"]) for link in body["links"]] == [(idea.pk, "critical")]
    assert body["links"][0]["idea_title"] == "SSO"


def test_viewer_cannot_add_feedback(world: World, viewer_api: Api) -> None:
    assert post(viewer_api, world).status_code == 403
    assert not Feedback.objects.exists()


def test_contributor_may_triage_but_not_edit(world: World, contributor_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    url = f"/feedback/{feedback.pk}"
    assert contributor_api.patch(url, {"state": "archived"}).status_code == 200
    assert contributor_api.patch(url, {"text": "mine now"}).status_code == 403
    assert contributor_api.delete(url).status_code == 403
    feedback.refresh_from_db()
    assert (feedback.state, feedback.text) == ("archived", "x")


def test_pm_sets_and_clears_the_customer(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    url = f"/feedback/{feedback.pk}"
    body = pm_api.patch(url, {"customer": {"name": "Lena", "company": "Kite"}}).json()
    assert body["customer"]["name"] == "Lena"
    assert pm_api.patch(url, {"customer": None}).json()["customer"] is None


# --- validation: one test per rule ------------------------------------------------------------


def test_text_is_required(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/products/{world.product.pk}/feedback", {"source": "email"})
    assert errors_of(response) == [{"field": "text", "message": "Field required"}]


def test_text_must_not_be_blank(world: World, pm_api: Api) -> None:
    assert errors_of(post(pm_api, world, text="   "))[0]["field"] == "text"


def test_text_has_a_maximum_length(world: World, pm_api: Api) -> None:
    assert errors_of(post(pm_api, world, text="x" * 20_001))[0]["field"] == "text"


def test_source_must_be_a_known_channel(world: World, pm_api: Api) -> None:
    assert errors_of(post(pm_api, world, source="pigeon"))[0]["field"] == "source"


def test_importance_must_be_known(world: World, pm_api: Api) -> None:
    assert errors_of(post(pm_api, world, importance="urgent"))[0]["field"] == "importance"


def test_customer_needs_a_name_or_email(world: World, pm_api: Api) -> None:
    errors = errors_of(post(pm_api, world, customer={"company": "Globex"}))
    assert errors[0]["field"] == "customer"
    assert "name or email" in errors[0]["message"]


def test_customer_email_must_be_an_address(world: World, pm_api: Api) -> None:
    errors = errors_of(post(pm_api, world, customer={"email": "not-an-address"}))
    assert errors[0]["field"] == "customer.email"


def test_customer_revenue_cannot_be_negative(world: World, pm_api: Api) -> None:
    errors = errors_of(post(pm_api, world, customer={"name": "A", "revenue": -1}))
    assert errors[0]["field"] == "customer.revenue"


def test_idea_must_belong_to_the_product(world: World, pm_api: Api) -> None:
    elsewhere = Idea.objects.create(product=world.other_product, title="theirs")
    errors = errors_of(post(pm_api, world, idea=elsewhere.pk))
    assert errors[0]["field"] == "idea"
    assert not Feedback.objects.exists()


def test_state_must_be_known(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    assert (
        errors_of(pm_api.patch(f"/feedback/{feedback.pk}", {"state": "done"}))[0]["field"]
        == "state"
    )


# --- links ----------------------------------------------------------------------------------------


def test_link_to_an_idea_then_change_importance_then_unlink(
    world: World, contributor_api: Api
) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    idea = Idea.objects.create(product=world.product, title="SSO")
    url = f"/feedback/{feedback.pk}/links"
    first = contributor_api.post(url, {"idea": idea.pk, "importance": "nice"})
    assert first.status_code == 201
    again = contributor_api.post(url, {"idea": idea.pk, "importance": "critical"})
    assert again.status_code == 200
    assert FeedbackLink.objects.get().importance == "critical"
    feedback.refresh_from_db()
    assert feedback.state == "processed"
    assert contributor_api.delete(f"{url}?idea={idea.pk}").status_code == 204
    assert not FeedbackLink.objects.exists()
    assert contributor_api.delete(f"{url}?idea={idea.pk}").status_code == 404


def test_link_to_a_feature(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    feature = Feature.objects.create(product=world.product, title="SSO")
    response = pm_api.post(f"/feedback/{feedback.pk}/links", {"feature": feature.pk})
    assert response.status_code == 201
    assert response.json()["feature_title"] == "SSO"


def test_link_needs_exactly_one_target(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    idea = Idea.objects.create(product=world.product, title="SSO")
    feature = Feature.objects.create(product=world.product, title="SSO")
    url = f"/feedback/{feedback.pk}/links"
    assert errors_of(pm_api.post(url, {}))[0]["field"] == "idea"
    assert (
        errors_of(pm_api.post(url, {"idea": idea.pk, "feature": feature.pk}))[0]["field"] == "idea"
    )


def test_link_target_must_be_in_the_same_product(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    feature = Feature.objects.create(product=world.other_product, title="theirs")
    url = f"/feedback/{feedback.pk}/links"
    assert errors_of(pm_api.post(url, {"feature": feature.pk}))[0]["field"] == "feature"


# --- lists ----------------------------------------------------------------------------------------


def test_list_filters_by_state_source_idea_and_customer(world: World, pm_api: Api) -> None:
    idea = Idea.objects.create(product=world.product, title="SSO")
    ada = Customer.objects.create(workspace=world.workspace, name="Ada")
    Feedback.objects.create(product=world.product, text="a", source="email", customer=ada)
    linked = Feedback.objects.create(product=world.product, text="b", state="processed")
    FeedbackLink.objects.create(feedback=linked, idea=idea)
    url = f"/products/{world.product.pk}/feedback"

    def texts(query: str) -> list[str]:
        return [item["text"] for item in pm_api.get(f"{url}?{query}").json()["items"]]

    assert texts("state=processed") == ["b"]
    assert texts("source=email") == ["a"]
    assert texts(f"idea={idea.pk}") == ["b"]
    assert texts(f"customer={ada.pk}") == ["a"]
    assert texts("sort=oldest") == ["a", "b"]


def test_triage_order_puts_new_feedback_first(world: World, pm_api: Api) -> None:
    Feedback.objects.create(product=world.product, text="old new")
    Feedback.objects.create(product=world.product, text="archived", state="archived")
    Feedback.objects.create(product=world.product, text="done", state="processed")
    Feedback.objects.create(product=world.product, text="fresh new")
    body = pm_api.get(f"/products/{world.product.pk}/feedback?sort=triage").json()
    assert [item["text"] for item in body["items"]] == [
        "fresh new",
        "old new",
        "done",
        "archived",
    ]


@pytest.mark.parametrize("query", ["", "?q=slow", "?sort=triage"])
def test_feedback_list_queries_do_not_grow_with_rows(world: World, pm_api: Api, query: str) -> None:
    idea = Idea.objects.create(product=world.product, title="Speed")
    feature = Feature.objects.create(product=world.product, title="Speed")

    def add(n: int) -> None:
        for i in range(n):
            customer = Customer.objects.create(workspace=world.workspace, name=f"C{i}")
            feedback = Feedback.objects.create(
                product=world.product, text=f"slow {i}", customer=customer, author=world.pm
            )
            FeedbackLink.objects.create(feedback=feedback, idea=idea)
            FeedbackLink.objects.create(feedback=feedback, feature=feature)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = pm_api.get(f"/products/{world.product.pk}/feedback{query}")
            assert response.status_code == 200
        return len(queries)

    pm_api.get("/products")
    add(3)
    few = count()
    add(27)
    assert count() == few


BIG = 10**30


@pytest.mark.parametrize(
    "url",
    [
        "/products/{product}/feedback?idea={big}",
        "/products/{product}/feedback?customer={big}",
        "/products/{product}/ideas?q=" + "x" * 201,
    ],
)
def test_out_of_range_query_values_are_bad_input(world: World, pm_api: Api, url: str) -> None:
    response = pm_api.get(url.format(product=world.product.pk, big=BIG))
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM


def test_out_of_range_ids_in_bodies_are_bad_input(world: World, pm_api: Api) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    idea = Idea.objects.create(product=world.product, title="x")
    for url, body in [
        (f"/feedback/{feedback.pk}/links", {"idea": BIG}),
        (f"/ideas/{idea.pk}/merge", {"into": BIG}),
        (f"/products/{world.product.pk}/feedback", {"text": "x", "idea": BIG}),
    ]:
        assert pm_api.post(url, body).status_code == 422, url
    assert pm_api.delete(f"/feedback/{feedback.pk}/links?idea={BIG}").status_code == 422
    assert pm_api.delete(f"/ideas/{idea.pk}/votes?customer={BIG}").status_code == 422
