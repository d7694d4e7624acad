from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest

from headway.roadmaps.models import Roadmap, RoadmapItem
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.roadmaps.factories import depends, feature, initiative, release, roadmap

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
    response = pm_api.post(f"/products/{world.product.pk}/roadmaps", {"name": "X", "kind": "gantt"})
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
    response = api.post(
        f"/roadmaps/{plan.pk}/items/feature-{base.pk}/move", {"start": "2030-03-01"}
    )
    assert response.status_code == 403
    base.refresh_from_db()
    assert base.start_date == dt.date(2030, 2, 1)


def test_a_technology_item_needs_a_layer(world: World, pm_api: Api) -> None:
    plan = roadmap(world, kind="technology", lane_by="layer", statuses="")
    response = pm_api.post(
        f"/roadmaps/{plan.pk}/items",
        {"kind": "milestone", "title": "GA", "start_date": "2030-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "layer"
    assert "platform" in response.json()["errors"][0]["message"]


def test_an_unknown_layer_is_refused_with_the_allowed_values(world: World, pm_api: Api) -> None:
    plan = roadmap(world, kind="technology", lane_by="layer", statuses="")
    response = pm_api.post(
        f"/roadmaps/{plan.pk}/items", {"kind": "milestone", "title": "GA", "layer": "cloud"}
    )
    assert response.status_code == 422
    assert "infrastructure" in response.json()["errors"][0]["message"]


def test_an_unknown_item_kind_is_refused_with_the_allowed_values(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/roadmaps/{roadmap(world).pk}/items", {"kind": "epic"})
    assert response.status_code == 422
    assert "end_of_life" in response.json()["errors"][0]["message"]


def test_a_marker_needs_a_title(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/roadmaps/{roadmap(world).pk}/items", {"kind": "milestone"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_a_feature_item_takes_no_dates_of_its_own(world: World, pm_api: Api) -> None:
    found = feature(world, "F")
    response = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items", {"feature": found.pk, "start_date": "2030-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


def test_a_feature_is_added_once(world: World, pm_api: Api) -> None:
    found, plan = feature(world, "F"), roadmap(world)
    assert pm_api.post(f"/roadmaps/{plan.pk}/items", {"feature": found.pk}).status_code == 201
    again = pm_api.post(f"/roadmaps/{plan.pk}/items", {"feature": found.pk})
    assert again.status_code == 422
    assert "already" in again.json()["errors"][0]["message"]


def test_moving_an_undated_bar_needs_an_end(world: World, pm_api: Api) -> None:
    found = feature(world, "F")
    response = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-{found.pk}/move", {"start": "2030-02-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


def test_a_move_ending_before_it_starts_is_refused(world: World, pm_api: Api) -> None:
    found = feature(world, "F")
    response = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-{found.pk}/move",
        {"start": "2030-02-01", "end": "2030-01-01"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


def test_moving_an_item_not_on_the_roadmap_is_404(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-999999/move", {"start": "2030-02-01"}
    )
    assert response.status_code == 404


def test_moving_a_marker_changes_its_own_date(world: World, pm_api: Api) -> None:
    plan = roadmap(world)
    row = RoadmapItem.objects.create(
        roadmap=plan, kind="milestone", title="GA", start_date=dt.date(2030, 3, 1)
    )
    response = pm_api.post(f"/roadmaps/{plan.pk}/items/item-{row.pk}/move", {"start": "2030-04-01"})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.start_date == dt.date(2030, 4, 1)


def test_a_dependant_that_starts_late_enough_stays_put(world: World, pm_api: Api) -> None:
    base = feature(world, "Base", start_date=dt.date(2030, 2, 1), end_date=dt.date(2030, 2, 10))
    later = feature(world, "Later", start_date=dt.date(2030, 6, 1), end_date=dt.date(2030, 6, 9))
    depends(later, base)
    response = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-{base.pk}/move", {"start": "2030-02-20"}
    )
    assert response.json()["dependants"] == []
    later.refresh_from_db()
    assert later.start_date == dt.date(2030, 6, 1)


def test_moves_push_dependants_of_dependants(world: World, pm_api: Api) -> None:
    a = feature(world, "A", start_date=dt.date(2030, 2, 1), end_date=dt.date(2030, 2, 10))
    b = feature(world, "B", start_date=dt.date(2030, 2, 11), end_date=dt.date(2030, 2, 20))
    c = feature(world, "C", start_date=dt.date(2030, 2, 21), end_date=dt.date(2030, 2, 21))
    depends(b, a)
    depends(c, b)
    body = pm_api.post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-{a.pk}/move", {"start": "2030-02-04"}
    ).json()
    assert [(m["title"], m["days"]) for m in body["dependants"]] == [("B", 3), ("C", 3)]


def test_radar_keeps_the_history_of_ring_moves(world: World, pm_api: Api) -> None:
    created = pm_api.post(
        f"/products/{world.product.pk}/radar",
        {"name": "DuckDB", "quadrant": "platforms", "ring": "assess", "owner": "pavel"},
    ).json()
    assert created["owner"] == "pavel"
    assert [(h["from_ring"], h["to_ring"]) for h in created["history"]] == [(None, "assess")]
    moved = pm_api.patch(f"/radar/{created['id']}", {"ring": "trial"}).json()
    assert [(h["from_ring"], h["to_ring"]) for h in moved["history"]] == [
        (None, "assess"),
        ("assess", "trial"),
    ]
    renamed = pm_api.patch(f"/radar/{created['id']}", {"rationale": "Fast"}).json()
    assert len(renamed["history"]) == 2


def test_what_moved_since_lists_new_and_moved_blips(world: World, pm_api: Api) -> None:
    from headway.roadmaps.models import BlipMove, RadarBlip

    old = RadarBlip.objects.create(
        product=world.product, name="Old", quadrant="tools", ring="adopt"
    )
    BlipMove.objects.create(blip=old, to_ring="adopt", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    pm_api.post(
        f"/products/{world.product.pk}/radar", {"name": "New", "quadrant": "tools", "ring": "trial"}
    )
    body = pm_api.get(f"/products/{world.product.pk}/radar/moves?since=2024-01-01").json()
    assert [(m["name"], m["movement"]) for m in body["items"]] == [("New", "new")]
    bad = pm_api.get(f"/products/{world.product.pk}/radar/moves?since=yesterday")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "since"


def test_a_blip_name_is_unique_per_product(world: World, pm_api: Api) -> None:
    payload = {"name": "htmx", "quadrant": "tools", "ring": "adopt"}
    assert pm_api.post(f"/products/{world.product.pk}/radar", payload).status_code == 201
    again = pm_api.post(f"/products/{world.product.pk}/radar", payload | {"name": "HTMX"})
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "name"


@pytest.mark.parametrize(
    ("field", "value", "allowed"), [("ring", "try", "assess"), ("quadrant", "ops", "platforms")]
)
def test_an_unknown_ring_or_quadrant_is_refused_with_the_allowed_values(
    world: World, pm_api: Api, field: str, value: str, allowed: str
) -> None:
    payload = {"name": "x", "quadrant": "tools", "ring": "adopt", field: value}
    response = pm_api.post(f"/products/{world.product.pk}/radar", payload)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert allowed in response.json()["errors"][0]["message"]


def test_a_blip_owner_must_be_a_member(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/radar",
        {"name": "x", "quadrant": "tools", "ring": "adopt", "owner": "oscar"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"


def test_a_blip_links_only_to_items_of_its_product(world: World, pm_api: Api) -> None:
    other = Roadmap.objects.create(product=world.other_product, name="Theirs")
    theirs = RoadmapItem.objects.create(roadmap=other, kind="milestone", title="X")
    response = pm_api.post(
        f"/products/{world.product.pk}/radar",
        {"name": "x", "quadrant": "tools", "ring": "adopt", "roadmap_items": [theirs.pk]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "roadmap_items"


def test_radar_exports_parse_back(world: World, pm_api: Api) -> None:
    import csv
    import io
    import json

    pm_api.post(
        f"/products/{world.product.pk}/radar",
        {"name": "htmx", "quadrant": "languages_frameworks", "ring": "adopt", "rationale": "Fast"},
    )
    as_json = json.loads(
        pm_api.get(f"/products/{world.product.pk}/radar/export?format=json").content
    )
    assert [b["name"] for b in as_json["blips"]] == ["htmx"]
    text = pm_api.get(f"/products/{world.product.pk}/radar/export?format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "htmx" and rows[0]["ring"] == "adopt"
    bad = pm_api.get(f"/products/{world.product.pk}/radar/export?format=xml")
    assert bad.status_code == 422
    assert bad.json()["allowed"] == ["json", "csv"]


def count_queries(api: Api, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_roadmap_list_queries_do_not_grow(world: World, pm_api: Api) -> None:
    url = f"/products/{world.product.pk}/roadmaps?limit=100"
    pm_api.get(url)
    for i in range(3):
        roadmap(world, name=f"A{i}")
    few = count_queries(pm_api, url)
    for i in range(27):
        roadmap(world, name=f"B{i}")
    assert count_queries(pm_api, url) == few


def add_items(world: World, plan: Roadmap, count: int, offset: int) -> None:
    from headway.planning.models import Team
    from headway.products.models import Component

    team = Team.objects.create(product=world.product, name=f"T{offset}", capacity_per_week=8)
    component = Component.objects.create(product=world.product, name=f"C{offset}")
    theme = initiative(world, f"I{offset}", goal=f"G{offset}")
    previous = None
    for i in range(count):
        made = feature(world, f"F{offset + i}", team=team, initiative=theme, points=3)
        made.components.add(component)
        RoadmapItem.objects.create(
            roadmap=plan, kind="milestone", title=f"M{offset + i}", initiative=theme
        )
        if previous is not None:
            depends(made, previous)
        previous = made


@pytest.mark.parametrize("lane_by", ["goal", "initiative", "component", "team", "kind"])
def test_roadmap_items_queries_do_not_grow(world: World, pm_api: Api, lane_by: str) -> None:
    plan = roadmap(world, lane_by=lane_by)
    url = f"/roadmaps/{plan.pk}/items?limit=500"
    pm_api.get(url)
    add_items(world, plan, 3, 0)
    few = count_queries(pm_api, url)
    add_items(world, plan, 27, 100)
    assert count_queries(pm_api, url) == few


def test_radar_list_queries_do_not_grow(world: World, pm_api: Api) -> None:
    url = f"/products/{world.product.pk}/radar?limit=100"
    pm_api.get(url)

    def add(prefix: str, count: int) -> None:
        for i in range(count):
            pm_api.post(
                f"/products/{world.product.pk}/radar",
                {"name": f"{prefix}{i}", "quadrant": "tools", "ring": "trial", "owner": "pavel"},
            )

    add("a", 3)
    few = count_queries(pm_api, url)
    add("b", 27)
    assert count_queries(pm_api, url) == few
