from __future__ import annotations

from headway.strategy.models import Goal, KeyResult
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat

KR = {"name": "Win rate", "unit": "%", "baseline": 18, "target": 30, "current": 21}


def goal_of(world: World) -> Goal:
    goal, _ = Goal.objects.get_or_create(product=world.product, title="Win mid-market deals")
    return goal


class TestKeyResultContract(EditableResourceContract):
    list_url = "/goals/{goal}/key-results"
    detail_url = "/key-results/{id}"
    payload = KR
    patch = {"current": 24}

    def urls(self, world: World) -> str:
        return self.list_url.format(goal=goal_of(world).pk)


def test_a_key_result_is_added_with_its_progress(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", KR)
    assert response.status_code == 201, response.content
    assert response.json()["progress"] == 25.0


def test_updating_current_moves_progress(world: World, pm_api: Api) -> None:
    kr = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", KR).json()
    body = pm_api.patch(f"/key-results/{kr['id']}", {"current": 27}).json()
    assert body["progress"] == 75.0
    assert body["version"] == 2


def test_a_falling_metric_reports_progress_as_it_falls(world: World, pm_api: Api) -> None:
    kr = {"name": "Review time", "unit": "days", "baseline": 20, "target": 5, "current": 12}
    body = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", kr).json()
    assert body["progress"] == 53.3


def test_progress_is_clamped_to_one_hundred(world: World, pm_api: Api) -> None:
    body = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", {**KR, "current": 45}).json()
    assert body["progress"] == 100.0


def test_progress_is_null_without_a_baseline(world: World, pm_api: Api) -> None:
    kr = {"name": "NRR", "target": 110}
    assert pm_api.post(f"/goals/{goal_of(world).pk}/key-results", kr).json()["progress"] is None


def test_adding_a_target_equal_to_the_baseline_is_a_422_on_target(
    world: World, pm_api: Api
) -> None:
    response = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", {**KR, "target": 18})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["target"]
    assert not KeyResult.objects.exists()


def test_patching_the_baseline_onto_the_target_is_a_422_on_target(
    world: World, pm_api: Api
) -> None:
    kr = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", KR).json()
    response = pm_api.patch(f"/key-results/{kr['id']}", {"baseline": 30})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "target"
    assert KeyResult.objects.get(pk=kr["id"]).baseline == 18


def test_a_key_result_value_must_be_a_number(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", {**KR, "current": "lots"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "current"


def test_a_unit_is_at_most_forty_characters(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", {**KR, "unit": "x" * 41})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "unit"


def test_a_key_results_name_cannot_be_patched_to_null(world: World, pm_api: Api) -> None:
    kr = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", KR).json()
    response = pm_api.patch(f"/key-results/{kr['id']}", {"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_clearing_current_with_null_is_allowed(world: World, pm_api: Api) -> None:
    kr = pm_api.post(f"/goals/{goal_of(world).pk}/key-results", KR).json()
    body = pm_api.patch(f"/key-results/{kr['id']}", {"current": None}).json()
    assert (body["current"], body["progress"]) == (None, None)


def test_key_result_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    goal = goal_of(world)

    def add(n: int) -> None:
        KeyResult.objects.bulk_create(
            [KeyResult(goal=goal, name=f"k{i}", baseline=0, target=1) for i in range(n)]
        )

    few, many = flat(lambda: pm_api.get(f"/goals/{goal.pk}/key-results?limit=100"), add)
    assert few == many
