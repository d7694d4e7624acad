from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.activity.models import AuditEvent
from headway.products.models import Product
from tests.conftest import Api, World

PROBLEM = "application/problem+json"


def test_product_manager_creates_a_product(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        "/products",
        {
            "workspace": world.workspace.pk,
            "name": "Launchpad",
            "vision": "Ship faster",
            "technical_pm": "carla",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "launchpad"
    assert body["technical_pm"] == "carla"
    assert response["ETag"] == f'"{body["id"]}-1"'


def test_contributor_cannot_create_a_product(world: World, contributor_api: Api) -> None:
    response = contributor_api.post("/products", {"workspace": world.workspace.pk, "name": "X"})
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM


def test_creating_in_another_workspace_is_404(world: World, pm_api: Api) -> None:
    response = pm_api.post("/products", {"workspace": world.other_workspace.pk, "name": "X"})
    assert response.status_code == 404
    assert not Product.objects.filter(name="X").exists()


def test_pm_must_be_a_member(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        "/products", {"workspace": world.workspace.pk, "name": "X", "business_pm": "oscar"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "business_pm"


def test_name_is_required(world: World, pm_api: Api) -> None:
    response = pm_api.post("/products", {"workspace": world.workspace.pk})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "message": "Field required"}]


def test_list_shows_only_my_workspaces(world: World, viewer_api: Api) -> None:
    body = viewer_api.get("/products").json()
    assert [item["name"] for item in body["items"]] == ["Rocket"]
    assert body["count"] == 1


def test_list_paginates_with_limit_and_offset(world: World, pm_api: Api) -> None:
    Product.objects.bulk_create(
        [Product(workspace=world.workspace, name=f"P{i:02}", slug=f"p{i:02}") for i in range(12)]
    )
    page = pm_api.get("/products?limit=5&offset=5").json()
    assert page["count"] == 13
    assert [item["name"] for item in page["items"]] == ["P05", "P06", "P07", "P08", "P09"]


def test_limit_out_of_range_is_422(pm_api: Api) -> None:
    response = pm_api.get("/products?limit=100000")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_get_returns_etag(world: World, viewer_api: Api) -> None:
    response = viewer_api.get(f"/products/{world.product.pk}")
    assert response.status_code == 200
    assert response["ETag"] == world.product.etag


def test_patch_changes_and_bumps_the_version(world: World, pm_api: Api) -> None:
    response = pm_api.patch(
        f"/products/{world.product.pk}", {"vision": "To the moon"}, HTTP_IF_MATCH=world.product.etag
    )
    assert response.status_code == 200
    assert response.json()["vision"] == "To the moon"
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"{world.product.pk}-2"'


def test_stale_if_match_is_refused(world: World, pm_api: Api) -> None:
    pm_api.patch(f"/products/{world.product.pk}", {"vision": "first"})
    response = pm_api.patch(
        f"/products/{world.product.pk}", {"vision": "second"}, HTTP_IF_MATCH=world.product.etag
    )
    assert response.status_code == 412
    assert response["Content-Type"] == PROBLEM
    world.product.refresh_from_db()
    assert world.product.vision == "first"


def test_viewer_cannot_patch(world: World, viewer_api: Api) -> None:
    response = viewer_api.patch(f"/products/{world.product.pk}", {"vision": "mine"})
    assert response.status_code == 403
    world.product.refresh_from_db()
    assert world.product.vision == ""


def test_outsider_gets_404_and_changes_nothing(world: World, outsider_api: Api) -> None:
    url = f"/products/{world.product.pk}"
    assert outsider_api.get(url).status_code == 404
    assert outsider_api.patch(url, {"vision": "hacked"}).status_code == 404
    assert outsider_api.delete(url).status_code == 404
    world.product.refresh_from_db()
    assert world.product.vision == ""


def test_only_admins_delete(world: World, pm_api: Api, owner_api: Api) -> None:
    url = f"/products/{world.product.pk}"
    assert pm_api.delete(url).status_code == 403
    assert owner_api.delete(url).status_code == 204
    assert not Product.objects.filter(pk=world.product.pk).exists()


def test_changes_are_recorded_in_the_audit_history(world: World, pm_api: Api) -> None:
    pm_api.patch(f"/products/{world.product.pk}", {"vision": "To the moon"})
    event = AuditEvent.objects.get(object_id=world.product.pk, action="update")
    assert event.user == world.pm
    assert event.changes == {"vision": ["", "To the moon"]}


def test_unknown_api_path_is_problem_json(pm_api: Api) -> None:
    response = pm_api.get("/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_malformed_json_is_a_problem(world: World, pm_api: Api) -> None:
    response = pm_api.client.post(
        "/api/v1/products", "{not json", content_type="application/json", **pm_api.headers
    )
    assert response.status_code in {400, 422}
    assert response["Content-Type"] == PROBLEM


def test_product_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get("/products?limit=100").status_code == 200
        return len(queries)

    pm_api.get("/products")  # the first use of a token records when it was used
    Product.objects.bulk_create(
        [
            Product(workspace=world.workspace, name=f"A{i}", slug=f"a{i}", business_pm=world.pm)
            for i in range(2)
        ]
    )
    few = count_queries()
    Product.objects.bulk_create(
        [
            Product(workspace=world.workspace, name=f"B{i}", slug=f"b{i}", technical_pm=world.pm)
            for i in range(27)
        ]
    )
    assert count_queries() == few


def test_nul_characters_are_refused_not_a_server_error(world: World, pm_api: Api) -> None:
    response = pm_api.patch(f"/products/{world.product.pk}", {"vision": "a\x00b"})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert pm_api.get("/products?workspace=1&x=%00").status_code == 422
    world.product.refresh_from_db()
    assert world.product.vision == ""
