from __future__ import annotations

from headway.activity.models import AuditEvent
from headway.products.models import Capability, CapabilityLevel, Competitor
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat


class TestCapabilityContract(EditableResourceContract):
    list_url = "/products/{product}/capabilities"
    detail_url = "/capabilities/{id}"
    payload = {"name": "Row-level security"}
    patch = {"name": "Row- and column-level security"}


def url(world: World) -> str:
    return f"/products/{world.product.pk}/capabilities"


def test_the_matrix_has_us_then_competitors_and_none_by_default(world: World, pm_api: Api) -> None:
    lookwise = Competitor.objects.create(product=world.product, name="Lookwise")
    chartly = Competitor.objects.create(product=world.product, name="Chartly")
    pm_api.post(url(world), {"name": "SSO"})
    body = pm_api.get(url(world)).json()
    assert body["columns"] == [
        {"key": "us", "competitor": None, "name": "Rocket"},
        {"key": str(chartly.pk), "competitor": chartly.pk, "name": "Chartly"},
        {"key": str(lookwise.pk), "competitor": lookwise.pk, "name": "Lookwise"},
    ]
    [row] = body["items"]
    assert [cell["level"] for cell in row["levels"]] == ["none", "none", "none"]
    assert [cell["competitor"] for cell in row["levels"]] == [None, chartly.pk, lookwise.pk]


def test_setting_cells_for_us_and_for_a_competitor(world: World, pm_api: Api) -> None:
    lookwise = Competitor.objects.create(product=world.product, name="Lookwise")
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    ours = pm_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "partial"})
    theirs = pm_api.put(
        f"/capabilities/{capability['id']}/levels/{lookwise.pk}", {"level": "leader"}
    )
    assert ours.json() == {"capability": capability["id"], "competitor": None, "level": "partial"}
    assert theirs.json()["level"] == "leader"
    again = pm_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "full"})
    assert again.status_code == 200
    row = pm_api.get(f"/capabilities/{capability['id']}").json()
    assert [cell["level"] for cell in row["levels"]] == ["full", "leader"]
    assert CapabilityLevel.objects.count() == 2


def test_a_cell_change_is_audited(world: World, pm_api: Api) -> None:
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    pm_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "partial"})
    pm_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "full"})
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"level": ["partial", "full"]}


def test_an_unknown_level_is_a_422(world: World, pm_api: Api) -> None:
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    response = pm_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "great"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"


def test_a_competitor_of_another_product_is_no_column(world: World, pm_api: Api) -> None:
    foreign = Competitor.objects.create(product=world.other_product, name="Spy")
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    response = pm_api.put(
        f"/capabilities/{capability['id']}/levels/{foreign.pk}", {"level": "full"}
    )
    assert response.status_code == 404
    assert not CapabilityLevel.objects.exists()


def test_a_column_that_is_neither_us_nor_an_id_is_a_404(world: World, pm_api: Api) -> None:
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    response = pm_api.put(f"/capabilities/{capability['id']}/levels/them", {"level": "full"})
    assert response.status_code == 404


def test_a_viewer_cannot_set_a_cell(world: World, pm_api: Api, viewer_api: Api) -> None:
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    response = viewer_api.put(f"/capabilities/{capability['id']}/levels/us", {"level": "full"})
    assert response.status_code == 403


def test_a_duplicate_capability_name_is_refused(world: World, pm_api: Api) -> None:
    pm_api.post(url(world), {"name": "SSO"})
    response = pm_api.post(url(world), {"name": "sso "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_renaming_onto_another_capability_is_refused(world: World, pm_api: Api) -> None:
    pm_api.post(url(world), {"name": "SSO"})
    other = pm_api.post(url(world), {"name": "Audit log"}).json()
    response = pm_api.patch(f"/capabilities/{other['id']}", {"name": "SSO"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_capabilities_go_last_unless_placed(world: World, pm_api: Api) -> None:
    pm_api.post(url(world), {"name": "B"})
    pm_api.post(url(world), {"name": "C"})
    pm_api.post(url(world), {"name": "A", "position": 0})
    names = [row["name"] for row in pm_api.get(url(world)).json()["items"]]
    assert names == ["A", "B", "C"]


def test_deleting_a_competitor_removes_its_column(world: World, pm_api: Api) -> None:
    lookwise = pm_api.post(f"/products/{world.product.pk}/competitors", {"name": "L"}).json()
    capability = pm_api.post(url(world), {"name": "SSO"}).json()
    pm_api.put(f"/capabilities/{capability['id']}/levels/{lookwise['id']}", {"level": "full"})
    assert pm_api.delete(f"/competitors/{lookwise['id']}").status_code == 204
    assert len(pm_api.get(url(world)).json()["columns"]) == 1
    assert not CapabilityLevel.objects.exists()


def test_matrix_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    def add(n: int) -> None:
        competitor = Competitor.objects.create(product=world.product, name=f"C{n}")
        for i in range(n):
            capability = Capability.objects.create(
                product=world.product, name=f"Cap {competitor.pk}-{i}"
            )
            CapabilityLevel.objects.create(capability=capability, competitor=competitor)
            CapabilityLevel.objects.create(capability=capability, competitor=None, level="full")

    few, many = flat(lambda: pm_api.get(url(world) + "?limit=100"), add)
    assert few == many
