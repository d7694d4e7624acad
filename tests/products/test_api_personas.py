from __future__ import annotations

from headway.products.models import Persona
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat


class TestPersonaContract(EditableResourceContract):
    list_url = "/products/{product}/personas"
    detail_url = "/personas/{id}"
    payload = {"name": "Analyst", "goals": "Ship dashboards fast.", "pains": "Repeats SQL."}
    patch = {"pains": "Repeats the same SQL every week."}


def url(world: World) -> str:
    return f"/products/{world.product.pk}/personas"


def test_a_persona_has_goals_and_pains(world: World, pm_api: Api) -> None:
    body = pm_api.post(url(world), TestPersonaContract.payload).json()
    assert (body["name"], body["goals"], body["pains"]) == (
        "Analyst",
        "Ship dashboards fast.",
        "Repeats SQL.",
    )


def test_a_persona_needs_a_name(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"goals": "g"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_a_persona_name_is_at_most_120_characters(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"name": "x" * 121})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_a_persona_name_cannot_be_patched_to_null(world: World, pm_api: Api) -> None:
    created = pm_api.post(url(world), {"name": "Analyst"}).json()
    response = pm_api.patch(f"/personas/{created['id']}", {"name": None})
    assert response.status_code == 422


def test_personas_are_searched_with_q(world: World, pm_api: Api) -> None:
    pm_api.post(url(world), {"name": "Analyst"})
    pm_api.post(url(world), {"name": "IT administrator"})
    assert [p["name"] for p in pm_api.get(url(world) + "?q=admin").json()["items"]] == [
        "IT administrator"
    ]


def test_persona_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    def add(n: int) -> None:
        Persona.objects.bulk_create(
            [Persona(product=world.product, name=f"P{i}") for i in range(n)]
        )

    few, many = flat(lambda: pm_api.get(url(world) + "?limit=100"), add)
    assert few == many
