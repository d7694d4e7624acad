from __future__ import annotations

import json

from headway.activity.models import AuditEvent
from headway.strategy.models import Goal, Initiative, KeyResult
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat

PROBLEM = "application/problem+json"
KR = {"name": "Win rate", "unit": "%", "baseline": 18, "target": 30, "current": 21}


class TestGoalContract(EditableResourceContract):
    list_url = "/products/{product}/goals"
    detail_url = "/goals/{id}"
    payload = {"title": "Win mid-market deals", "key_results": [KR]}
    patch = {"title": "Win more mid-market deals"}


def goals_url(world: World) -> str:
    return f"/products/{world.product.pk}/goals"


def test_a_goal_is_created_with_its_key_results_and_progress(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        goals_url(world),
        {
            "title": "Win mid-market deals",
            "description": "Grow beyond startups.",
            "due": "2027-06-30",
            "owner": "pavel",
            "key_results": [
                KR,
                {
                    "name": "Review time",
                    "unit": "days",
                    "baseline": 20,
                    "target": 5,
                    "current": 12,
                    "due": "2027-03-31",
                },
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"] == "pavel"
    assert [kr["progress"] for kr in body["key_results"]] == [25.0, 53.3]
    assert body["progress"] == 39.1
    assert body["key_results"][1]["due"] == "2027-03-31"
    assert response["ETag"] == f'"{body["id"]}-1"'


def test_goals_are_listed_in_order(world: World, pm_api: Api) -> None:
    for title in ("First", "Second", "Third"):
        pm_api.post(goals_url(world), {"title": title})
    body = pm_api.get(goals_url(world)).json()
    assert [g["title"] for g in body["items"]] == ["First", "Second", "Third"]
    assert [g["position"] for g in body["items"]] == [0, 1, 2]


def test_a_goal_placed_first_moves_the_others_down(world: World, pm_api: Api) -> None:
    for title in ("B", "C"):
        pm_api.post(goals_url(world), {"title": title})
    pm_api.post(goals_url(world), {"title": "A", "position": 0})
    last = pm_api.get(goals_url(world)).json()["items"][-1]
    pm_api.patch(f"/goals/{last['id']}", {"position": 1})
    body = pm_api.get(goals_url(world)).json()
    assert [g["title"] for g in body["items"]] == ["A", "C", "B"]


def test_goals_are_searched_with_q(world: World, pm_api: Api) -> None:
    pm_api.post(goals_url(world), {"title": "Grow adoption"})
    pm_api.post(goals_url(world), {"title": "Cut costs"})
    body = pm_api.get(goals_url(world) + "?q=grow").json()
    assert [g["title"] for g in body["items"]] == ["Grow adoption"]


def test_a_target_equal_to_its_baseline_is_refused_on_that_field(world: World, pm_api: Api) -> None:
    kr = {**KR, "target": 18}
    response = pm_api.post(goals_url(world), {"title": "G", "key_results": [KR, kr]})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["field"] == "key_results.1.target"
    assert "differ from the baseline" in error["message"]


def test_a_refused_key_result_leaves_no_half_written_goal(world: World, pm_api: Api) -> None:
    pm_api.post(goals_url(world), {"title": "G", "key_results": [KR, {**KR, "target": 18}]})
    assert not Goal.objects.exists()
    assert not KeyResult.objects.exists()


def test_a_key_result_needs_a_name(world: World, pm_api: Api) -> None:
    response = pm_api.post(goals_url(world), {"title": "G", "key_results": [{"target": 1}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "key_results.0.name"


def test_a_key_result_value_must_be_finite(world: World, pm_api: Api) -> None:
    body = json.dumps({"title": "G", "key_results": [{**KR, "current": float("inf")}]})
    response = pm_api.client.post(
        f"/api/v1{goals_url(world)}", body, content_type="application/json", **pm_api.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "key_results.0.current"


def test_a_goal_needs_a_title(world: World, pm_api: Api) -> None:
    response = pm_api.post(goals_url(world), {"title": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_the_owner_must_be_a_workspace_member(world: World, pm_api: Api) -> None:
    response = pm_api.post(goals_url(world), {"title": "G", "owner": "oscar"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"


def test_a_due_date_must_be_a_date(world: World, pm_api: Api) -> None:
    response = pm_api.post(goals_url(world), {"title": "G", "due": "next spring"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "due"


def test_patching_a_title_to_null_is_refused(world: World, pm_api: Api) -> None:
    goal_id = pm_api.post(goals_url(world), {"title": "G"}).json()["id"]
    response = pm_api.patch(f"/goals/{goal_id}", {"title": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_patching_owner_and_due_to_null_clears_them(world: World, pm_api: Api) -> None:
    goal_id = pm_api.post(
        goals_url(world), {"title": "G", "owner": "pavel", "due": "2027-01-01"}
    ).json()["id"]
    body = pm_api.patch(f"/goals/{goal_id}", {"owner": None, "due": None}).json()
    assert (body["owner"], body["due"]) == (None, None)


def test_a_contributor_cannot_create_goals(world: World, contributor_api: Api) -> None:
    response = contributor_api.post(goals_url(world), {"title": "G"})
    assert response.status_code == 403


def test_deleting_a_goal_keeps_its_initiatives_without_a_goal(world: World, pm_api: Api) -> None:
    goal_id = pm_api.post(goals_url(world), {"title": "G", "key_results": [KR]}).json()["id"]
    initiative = Initiative.objects.create(product=world.product, goal_id=goal_id, title="Theme")
    assert pm_api.delete(f"/goals/{goal_id}").status_code == 204
    initiative.refresh_from_db()
    assert initiative.goal_id is None
    assert not KeyResult.objects.exists()


def test_a_goal_lists_its_initiatives(world: World, pm_api: Api) -> None:
    goal_id = pm_api.post(goals_url(world), {"title": "G"}).json()["id"]
    Initiative.objects.create(product=world.product, goal_id=goal_id, title="Theme")
    assert [i["title"] for i in pm_api.get(f"/goals/{goal_id}").json()["initiatives"]] == ["Theme"]


def test_goal_changes_are_audited(world: World, pm_api: Api) -> None:
    goal_id = pm_api.post(goals_url(world), {"title": "G"}).json()["id"]
    pm_api.patch(f"/goals/{goal_id}", {"title": "H"})
    event = AuditEvent.objects.get(object_id=goal_id, action="update")
    assert event.changes == {"title": ["G", "H"]}
    assert event.user == world.pm


def test_goal_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    def add(n: int) -> None:
        start = Goal.objects.count()
        for i in range(start, start + n):
            goal = Goal.objects.create(product=world.product, title=f"G{i}", owner=world.pm)
            KeyResult.objects.create(goal=goal, name="k", baseline=0, target=1, current=0.5)
            Initiative.objects.create(product=world.product, goal=goal, title=f"I{i}")

    few, many = flat(lambda: pm_api.get(goals_url(world) + "?limit=100"), add)
    assert few == many
