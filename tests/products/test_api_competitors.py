from __future__ import annotations

from headway.products.models import Competitor
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat


class TestCompetitorContract(EditableResourceContract):
    list_url = "/products/{product}/competitors"
    detail_url = "/competitors/{id}"
    payload = {
        "name": "Lookwise",
        "url": "https://lookwise.example",
        "positioning": "Enterprise BI for analysts",
        "strengths": "Semantic layer",
        "weaknesses": "Steep learning curve",
        "pricing_notes": "Per seat",
    }
    patch = {"pricing_notes": "Per seat, annual only"}


def url(world: World) -> str:
    return f"/products/{world.product.pk}/competitors"


def test_a_competitor_keeps_its_positioning_and_pricing(world: World, pm_api: Api) -> None:
    body = pm_api.post(url(world), TestCompetitorContract.payload).json()
    assert body["positioning"] == "Enterprise BI for analysts"
    assert body["pricing_notes"] == "Per seat"


def test_a_competitor_url_must_be_a_web_address(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"name": "X", "url": "not a url"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"
    assert not Competitor.objects.exists()


def test_a_competitor_needs_a_name(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"url": "https://x.example"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_competitors_are_searched_with_q(world: World, pm_api: Api) -> None:
    pm_api.post(url(world), {"name": "Lookwise"})
    pm_api.post(url(world), {"name": "Chartly"})
    assert [c["name"] for c in pm_api.get(url(world) + "?q=chart").json()["items"]] == ["Chartly"]


def test_competitor_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    def add(n: int) -> None:
        Competitor.objects.bulk_create(
            [Competitor(product=world.product, name=f"C{i}") for i in range(n)]
        )

    few, many = flat(lambda: pm_api.get(url(world) + "?limit=100"), add)
    assert few == many
