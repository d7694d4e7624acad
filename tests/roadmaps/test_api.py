from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest

from headway.roadmaps.models import Roadmap, RoadmapItem
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.roadmaps.factories import depends, feature, release, roadmap

PROBLEM = "application/problem+json"


class TestRoadmaps(EditableResourceContract):
    list_url = "/products/{product}/roadmaps"
    detail_url = "/roadmaps/{id}"
    payload: ClassVar[dict[str, Any]] = {"name": "2030", "kind": "timeline", "lane_by": "goal"}
    patch: ClassVar[dict[str, Any]] = {"name": "2030 and beyond"}


class TestRoadmapItems(EditableResourceContract):
    list_url = "/roadmaps/{roadmap}/items"
    detail_url = "/roadmap-items/{id}"
    payload: ClassVar[dict[str, Any]] = {
        "kind": "milestone",
        "title": "Launch",
        "start_date": "2030-03-01",
    }
    patch: ClassVar[dict[str, Any]] = {"title": "Public launch"}

    def urls(self, world: World) -> str:
        found = Roadmap.objects.filter(product=world.product).first()
        found = found or roadmap(world)
        return self.list_url.format(roadmap=found.pk)


class TestRadar(EditableResourceContract):
    list_url = "/products/{product}/radar"
    detail_url = "/radar/{id}"
    payload: ClassVar[dict[str, Any]] = {
        "name": "htmx",
        "quadrant": "languages_frameworks",
        "ring": "trial",
    }
    patch: ClassVar[dict[str, Any]] = {"ring": "adopt"}


def test_a_technology_roadmap_takes_layers_as_lanes(world: World, pm_api: Api) -> None:
    body = pm_api.post(
        f"/products/{world.product.pk}/roadmaps", {"name": "Tech", "kind": "technology"}
    ).json()
    assert body["lane_by"] == "layer"
    assert body["statuses"] == []


def test_an_unknown_kind_is_refused_with_the_allowed_values(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/roadmaps", {"name": "X", "kind": "gantt"}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "kind"
    assert "now_next_later" in error["message"]


def test_an_unknown_lane_is_refused_with_the_allowed_values(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/roadmaps", {"name": "X", "lane_by": "colour"}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "lane_by"
    assert "initiative" in error["message"]


def test_layer_lanes_are_only_for_technology_roadmaps(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/roadmaps", {"name": "X", "lane_by": "layer"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lane_by"
    assert "goal, initiative, component, team, kind" in response.json()["detail"]


def test_a_marker_ending_before_it_starts_is_refused(world: World, pm_api: Api) -> None:
    plan = roadmap(world)
    response = pm_api.post(
        f"/roadmaps/{plan.pk}/items",
        {"kind": "technology", "title": "X", "start_date": "2030-05-01", "end_date": "2030-04-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end_date"
    assert not RoadmapItem.objects.exists()


def test_a_feature_of_another_product_cannot_be_added(world: World, pm_api: Api) -> None:
    from headway.planning.models import Feature

    secret = Feature.objects.create(product=world.other_product, title="Secret")
    response = pm_api.post(f"/roadmaps/{roadmap(world).pk}/items", {"feature": secret.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "feature"


def test_the_items_list_shows_features_by_status_and_resolves_dates(
    world: World, pm_api: Api
) -> None:
    ship = release(world, "1.0", dt.date(2030, 6, 30))
    feature(world, "Own dates", start_date=dt.date(2030, 2, 1), end_date=dt.date(2030, 3, 1))
    feature(world, "Release date", release=ship)
    feature(world, "Just an idea", status="idea")
    feature(world, "Undated", status="in_progress")
    plan = roadmap(world)
    body = pm_api.get(f"/roadmaps/{plan.pk}/items").json()
    by_title = {item["title"]: item for item in body["items"]}
    assert set(by_title) == {"Own dates", "Release date", "Undated"}
    assert by_title["Own dates"]["dates_from"] == "own"
    assert by_title["Release date"]["end"] == "2030-06-30"
    assert by_title["Release date"]["dates_from"] == "release"
    assert by_title["Undated"]["bucket"] == "now"


def test_an_unknown_export_format_is_refused_with_the_allowed_values(
    world: World, viewer_api: Api
) -> None:
    response = viewer_api.get(f"/roadmaps/{roadmap(world).pk}/export?format=pdf")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["allowed"] == ["svg", "html", "csv", "json", "md", "ics"]


def test_moving_a_feature_pushes_its_dependants(world: World, pm_api: Api) -> None:
    base = feature(world, "Base", start_date=dt.date(2030, 2, 1), end_date=dt.date(2030, 2, 10))
    top = feature(world, "Top", start_date=dt.date(2030, 2, 11), end_date=dt.date(2030, 2, 20))
    depends(top, base)
    plan = roadmap(world)
    response = pm_api.post(
        f"/roadmaps/{plan.pk}/items/feature-{base.pk}/move", {"start": "2030-02-06"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["moved"]["end"] == "2030-02-15"
    assert body["dependants"] == [
        {
            "key": f"feature-{top.pk}",
            "title": "Top",
            "start_before": "2030-02-11",
            "end_before": "2030-02-20",
            "start": "2030-02-16",
            "end": "2030-02-25",
            "days": 5,
        }
    ]
    top.refresh_from_db()
    assert top.start_date == dt.date(2030, 2, 16)


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_only_product_managers_move_items(world: World, role: str) -> None:
    base = feature(world, "Base", start_date=dt.date(2030, 2, 1), end_date=dt.date(2030, 2, 10))
    plan = roadmap(world)
    api = world.api(getattr(world, role))
    response = api.post(f"/roadmaps/{plan.pk}/items/feature-{base.pk}/move", {"start": "2030-03-01"})
    assert response.status_code == 403
    base.refresh_from_db()
    assert base.start_date == dt.date(2030, 2, 1)
