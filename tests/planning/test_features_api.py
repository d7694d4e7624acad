"""The features resource: contract, scores with explanations, workflow, and one test per rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.planning.models import Feature, Team
from headway.releases.models import Release
from headway.strategy.models import Initiative
from tests.conftest import Api, World
from tests.contract import EditableResourceContract

FULL = {
    "title": "Ask in plain English",
    "description": "Why can't people ask questions?",
    "kind": "customer_feature",
    "points": 8,
    "estimate": {"optimistic": 3, "likely": 5, "pessimistic": 13},
    "rice": {"reach": 400, "impact": 1, "confidence": 0.8, "effort": 2},
    "ice": {"impact": 8, "confidence": 6, "ease": 5},
    "wsjf": {"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 8},
    "value_effort": {"value": 8, "effort": 3},
    "moscow": "must",
    "kano": "performance",
    "start_date": "2030-01-06",
    "end_date": "2030-02-01",
    "release_note": "Ask questions in plain English.",
}


class TestFeatures(EditableResourceContract):
    list_url = "/products/{product}/features"
    detail_url = "/features/{id}"
    payload = FULL
    patch = {"title": "Ask anything"}


def create(api: Api, world: World, **values: Any) -> Any:
    return api.post(f"/products/{world.product.pk}/features", {"title": "F"} | values)


def test_output_has_every_score_with_its_explanation(world: World, pm_api: Api) -> None:
    body = create(pm_api, world, **FULL).json()
    assert body["scores"]["rice"] == {
        "score": 160.0,
        "label": None,
        "explanation": "RICE 160 = reach 400 × impact 1 × confidence 0.8 ÷ effort 2",
    }
    assert body["scores"]["ice"]["score"] == 240
    assert body["scores"]["wsjf"]["score"] == 2
    assert body["scores"]["value_effort"]["label"] == "quick_win"
    assert body["scores"]["moscow"]["score"] == 3
    assert body["scores"]["kano"]["label"] == "performance"
    assert body["scores"]["value_risk"] is None
    assert body["estimate"]["mean"] == pytest.approx(6)
    assert body["estimate"]["sigma"] == pytest.approx(10 / 6)
    assert "PERT mean 6" in body["estimate"]["explanation"]


def test_scores_are_written_to_the_columns_with_the_inputs(world: World, pm_api: Api) -> None:
    body = create(pm_api, world, **FULL).json()
    pm_api.patch(
        f"/features/{body['id']}",
        {"rice": {"reach": 800, "impact": 2, "confidence": 1, "effort": 4}},
    )
    feature = Feature.objects.get(pk=body["id"])
    assert feature.rice_score == 400
    assert feature.ice_score == 240
    pm_api.patch(f"/features/{body['id']}", {"rice": None})
    feature.refresh_from_db()
    assert feature.rice_score is None
    assert feature.rice_reach is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"estimate": {"optimistic": 5, "likely": 3, "pessimistic": 8}}, "estimate.likely"),
        ({"estimate": {"optimistic": 1, "likely": 9, "pessimistic": 8}}, "estimate.pessimistic"),
        ({"rice": {"reach": 1, "impact": 4, "confidence": 0.5, "effort": 1}}, "rice.impact"),
        ({"rice": {"reach": 1, "impact": 1, "confidence": 80, "effort": 1}}, "rice.confidence"),
        ({"rice": {"reach": 1, "impact": 1, "confidence": 0, "effort": 1}}, "rice.confidence"),
        ({"rice": {"reach": 1, "impact": 1, "confidence": 1, "effort": 0}}, "rice.effort"),
        ({"rice": {"reach": -1, "impact": 1, "confidence": 1, "effort": 1}}, "rice.reach"),
        ({"ice": {"impact": 11, "confidence": 5, "ease": 5}}, "ice.impact"),
        ({"ice": {"impact": 5, "confidence": 0, "ease": 5}}, "ice.confidence"),
        (
            {
                "wsjf": {
                    "business_value": 4,
                    "time_criticality": 1,
                    "risk_reduction": 1,
                    "job_size": 1,
                }
            },
            "wsjf.business_value",
        ),
        ({"value_effort": {"value": 0, "effort": 5}}, "value_effort.value"),
        ({"value_risk": {"value": 5, "risk": 12}}, "value_risk.risk"),
        (
            {"kano_answers": {"functional": "love", "dysfunctional": "dislike"}},
            "kano_answers.functional",
        ),
        ({"start_date": "2030-02-01", "end_date": "2030-01-01"}, "end_date"),
        ({"points": -3}, "points"),
        ({"owner": "oscar"}, "owner"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    world: World, pm_api: Api, values: dict[str, Any], field: str
) -> None:
    response = create(pm_api, world, **values)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["message"].endswith((".", "?"))
    assert not Feature.objects.exists()


@pytest.mark.parametrize("field", ["initiative", "release", "team"])
def test_a_reference_to_another_product_is_422(world: World, pm_api: Api, field: str) -> None:
    other = {
        "initiative": lambda: Initiative.objects.create(product=world.other_product, title="X"),
        "release": lambda: Release.objects.create(product=world.other_product, name="X"),
        "team": lambda: Team.objects.create(product=world.other_product, name="X"),
    }[field]()
    response = create(pm_api, world, **{field: other.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Feature.objects.exists()


def test_kano_answers_classify_by_the_table(world: World, pm_api: Api) -> None:
    body = create(
        pm_api, world, kano_answers={"functional": "like", "dysfunctional": "dislike"}
    ).json()
    assert body["kano"] == "performance"


def test_status_follows_the_workflow_and_done_sets_done_at(world: World, pm_api: Api) -> None:
    feature = create(pm_api, world).json()
    url = f"/features/{feature['id']}"
    refused = pm_api.patch(url, {"status": "done"})
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "status"
    assert "planned, cancelled" in error["message"]
    assert pm_api.patch(url, {"status": "planned"}).status_code == 200
    assert pm_api.patch(url, {"status": "in_progress"}).status_code == 200
    done = pm_api.patch(url, {"status": "done"}).json()
    assert done["done_at"] is not None
    reopened = pm_api.patch(url, {"status": "in_progress"}).json()
    assert reopened["done_at"] is None


def test_new_features_join_the_end_of_the_manual_order(world: World, pm_api: Api) -> None:
    first = create(pm_api, world, title="A").json()
    second = create(pm_api, world, title="B").json()
    assert first["rank"] < second["rank"]
    listed = pm_api.get(f"/products/{world.product.pk}/features").json()
    assert [i["title"] for i in listed["items"]] == ["A", "B"]


def test_list_filters_and_searches(world: World, pm_api: Api) -> None:
    create(pm_api, world, title="Pay down the cache", kind="tech_debt")
    create(pm_api, world, title="Dashboards", description="charts for managers")
    url = f"/products/{world.product.pk}/features"
    assert [i["title"] for i in pm_api.get(f"{url}?kind=tech_debt").json()["items"]] == [
        "Pay down the cache"
    ]
    assert pm_api.get(f"{url}?q=managers").json()["count"] == 1
    assert pm_api.get(f"{url}?limit=1&offset=1").json()["count"] == 2


def test_feature_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    url = f"/products/{world.product.pk}/features?limit=100"
    pm_api.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        Feature.objects.bulk_create(
            [
                Feature(
                    product=world.product,
                    title=f"F{i}",
                    owner=world.pm,
                    rice_reach=1,
                    rice_impact=1,
                    rice_confidence=1,
                    rice_effort=1,
                )
                for i in range(n)
            ]
        )

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_inputs_too_large_to_score_are_422(world: World, pm_api: Api) -> None:
    response = create(
        pm_api, world, rice={"reach": 1e308, "impact": 3, "confidence": 1, "effort": 0.001}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rice"


def test_dates_outside_the_planning_range_are_422(world: World, pm_api: Api) -> None:
    response = create(pm_api, world, start_date="9999-12-31")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"
