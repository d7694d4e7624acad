"""The releases API: contract, scope summary, status workflow, readiness and its template."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.accounts.models import Membership
from headway.releases.models import ReadinessItem, Release, ReleaseStatus
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.releases.factories import feature, release, story


class TestReleaseContract(EditableResourceContract):
    list_url = "/products/{product}/releases"
    detail_url = "/releases/{id}"
    payload = {"name": "2.0", "target_date": "2030-01-31", "capacity_points": 40}
    patch = {"name": "2.0 final"}


def test_creating_a_release_copies_the_workspace_readiness_template(
    pm_api: Api, world: World
) -> None:
    body = pm_api.post(f"/products/{world.product.pk}/releases", {"name": "3.0"}).json()
    functions = [group["function"] for group in body["readiness"]]
    assert functions == ["engineering", "qa", "docs", "marketing", "sales_enablement", "support"]
    assert all(group["done"] == 0 for group in body["readiness"])


def test_the_scope_summary_counts_items_points_and_flags_over_capacity(
    pm_api: Api, world: World
) -> None:
    r = release(world.product, capacity_points=5)
    big = feature(world.product, "Big", release=r)
    story(big, "a", points=3, status="done")
    story(big, "b", points=4)
    feature(world.product, "Lone", release=r, points=2)
    scope = pm_api.get(f"/releases/{r.pk}").json()["scope"]
    assert scope == {
        "features": 2,
        "stories": 2,
        "items": 4,
        "points": 9.0,
        "done_points": 3.0,
        "done_items": 1,
        "remaining_items": 2,
        "capacity_points": 5,
        "over_capacity": True,
    }


def test_a_story_in_another_release_counts_there(pm_api: Api, world: World) -> None:
    first, second = release(world.product, "1"), release(world.product, "2")
    item = feature(world.product, release=first)
    story(item, points=1, release=second)
    assert pm_api.get(f"/releases/{first.pk}").json()["scope"]["stories"] == 0
    assert pm_api.get(f"/releases/{second.pk}").json()["scope"]["stories"] == 1


def test_releasing_sets_released_at(pm_api: Api, world: World) -> None:
    r = release(world.product, status=ReleaseStatus.IN_PROGRESS)
    body = pm_api.patch(f"/releases/{r.pk}", {"status": "released"}).json()
    assert body["status"] == "released"
    assert body["released_at"] is not None


def test_a_planned_release_cannot_jump_to_released(pm_api: Api, world: World) -> None:
    r = release(world.product)
    response = pm_api.patch(f"/releases/{r.pk}", {"status": "released"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_a_released_release_stays_released(pm_api: Api, world: World) -> None:
    r = release(world.product, status=ReleaseStatus.RELEASED)
    response = pm_api.patch(f"/releases/{r.pk}", {"status": "planned"})
    assert response.status_code == 422


def test_an_unknown_status_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/releases", {"name": "x", "status": "shipped"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_a_blank_name_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(f"/products/{world.product.pk}/releases", {"name": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_negative_capacity_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/releases", {"name": "x", "capacity_points": -1}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "capacity_points"


def test_a_bad_target_date_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/releases", {"name": "x", "target_date": "soon"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "target_date"


def _item(pm_api: Api, world: World, function: str) -> int:
    body = pm_api.post(f"/products/{world.product.pk}/releases", {"name": "4.0"}).json()
    group = next(g for g in body["readiness"] if g["function"] == function)
    return int(group["items"][0]["id"])


def test_a_contributor_ticks_an_item_of_their_own_function(
    pm_api: Api, contributor_api: Api, world: World
) -> None:
    Membership.objects.filter(user=world.contributor).update(function="qa")
    item = _item(pm_api, world, "qa")
    response = contributor_api.post(f"/readiness/{item}/tick", {"done": True})
    assert response.status_code == 200, response.content
    assert response.json()["done_by"] == "carla"
    assert ReadinessItem.objects.get(pk=item).done


def test_a_contributor_of_another_function_gets_403(
    pm_api: Api, contributor_api: Api, world: World
) -> None:
    Membership.objects.filter(user=world.contributor).update(function="marketing")
    item = _item(pm_api, world, "qa")
    assert contributor_api.post(f"/readiness/{item}/tick", {"done": True}).status_code == 403
    assert not ReadinessItem.objects.get(pk=item).done


def test_a_contributor_without_a_function_gets_403(
    pm_api: Api, contributor_api: Api, world: World
) -> None:
    item = _item(pm_api, world, "engineering")
    assert contributor_api.post(f"/readiness/{item}/tick", {"done": True}).status_code == 403


def test_a_viewer_cannot_tick(pm_api: Api, viewer_api: Api, world: World) -> None:
    item = _item(pm_api, world, "docs")
    assert viewer_api.post(f"/readiness/{item}/tick", {"done": True}).status_code == 403


def test_a_product_manager_ticks_any_function_and_unticks(pm_api: Api, world: World) -> None:
    item = _item(pm_api, world, "docs")
    assert pm_api.post(f"/readiness/{item}/tick", {"done": True}).json()["done"] is True
    body = pm_api.post(f"/readiness/{item}/tick", {"done": False}).json()
    assert body["done"] is False
    assert body["done_by"] is None


def test_an_outsider_cannot_tick(pm_api: Api, outsider_api: Api, world: World) -> None:
    item = _item(pm_api, world, "docs")
    assert outsider_api.post(f"/readiness/{item}/tick", {"done": True}).status_code == 404


def test_the_workspace_template_is_seeded_and_editable(pm_api: Api, world: World) -> None:
    url = f"/workspaces/{world.workspace.pk}/readiness-template"
    seeded = pm_api.get(url).json()
    assert seeded["count"] == 10
    added = pm_api.post(url, {"function": "support", "title": "Macros written"})
    assert added.status_code == 201
    for item in seeded["items"]:
        assert pm_api.delete(f"/readiness-template/{item['id']}").status_code == 204
    body = pm_api.post(f"/products/{world.product.pk}/releases", {"name": "5"}).json()
    assert [g["items"][0]["title"] for g in body["readiness"]] == ["Macros written"]


def test_the_template_refuses_an_unknown_function(pm_api: Api, world: World) -> None:
    url = f"/workspaces/{world.workspace.pk}/readiness-template"
    response = pm_api.post(url, {"function": "legal", "title": "Sign"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "function"


def test_contributors_read_but_do_not_edit_the_template(
    contributor_api: Api, outsider_api: Api, world: World
) -> None:
    url = f"/workspaces/{world.workspace.pk}/readiness-template"
    assert contributor_api.get(url).status_code == 200
    assert contributor_api.post(url, {"function": "qa", "title": "x"}).status_code == 403
    assert outsider_api.get(url).status_code == 404


def test_deleting_a_release_keeps_its_features(pm_api: Api, world: World) -> None:
    r = release(world.product)
    item = feature(world.product, release=r)
    assert pm_api.delete(f"/releases/{r.pk}").status_code == 204
    item.refresh_from_db()
    assert item.release_id is None


def _list_queries(api: Api, world: World, rows: int) -> int:
    for n in range(rows):
        r = release(world.product, f"r{n}")
        story(feature(world.product, f"f{n}", release=r), points=1)
        ReadinessItem.objects.create(release=r, function="qa", title="t")
    api.get(f"/products/{world.product.pk}/releases")  # warm-up: token bookkeeping
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/products/{world.product.pk}/releases?limit=100")
    assert response.json()["count"] == Release.objects.filter(product=world.product).count()
    return len(queries)


def test_the_release_list_takes_the_same_queries_for_3_and_30_rows(world: World) -> None:
    api = world.api(world.pm)
    few = _list_queries(api, world, 3)
    Release.objects.all().delete()
    many = _list_queries(api, world, 30)
    assert few == many


def test_releases_list_filters_by_q(pm_api: Api, world: World) -> None:
    release(world.product, "Winter")
    release(world.product, "Summer")
    body: dict[str, Any] = pm_api.get(f"/products/{world.product.pk}/releases?q=wint").json()
    assert [item["name"] for item in body["items"]] == ["Winter"]
