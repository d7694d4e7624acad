from __future__ import annotations

from headway.planning.models import Feature
from headway.strategy.models import Goal, Initiative
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.queries import flat


class TestInitiativeContract(EditableResourceContract):
    list_url = "/products/{product}/initiatives"
    detail_url = "/initiatives/{id}"
    payload = {"title": "Enterprise-grade security", "capacity_points": 40}
    patch = {"capacity_points": 50}


def url(world: World) -> str:
    return f"/products/{world.product.pk}/initiatives"


def test_an_initiative_is_created_under_a_goal(world: World, pm_api: Api) -> None:
    goal = Goal.objects.create(product=world.product, title="Win deals")
    response = pm_api.post(
        url(world),
        {
            "title": "Security",
            "goal": goal.pk,
            "capacity_points": 30,
            "start_date": "2027-01-01",
            "end_date": "2027-03-31",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["goal"], body["points"], body["over_capacity"]) == (goal.pk, 0, False)


def test_points_add_up_the_features_without_cancelled_ones(world: World, pm_api: Api) -> None:
    initiative = Initiative.objects.create(
        product=world.product, title="Security", capacity_points=20
    )
    for points, status in ((13, "planned"), (8, "done"), (40, "cancelled")):
        Feature.objects.create(
            product=world.product, title="F", initiative=initiative, points=points, status=status
        )
    body = pm_api.get(f"/initiatives/{initiative.pk}").json()
    assert (body["points"], body["feature_count"], body["over_capacity"]) == (21, 2, True)


def test_a_goal_of_another_product_is_refused(world: World, pm_api: Api) -> None:
    foreign = Goal.objects.create(product=world.other_product, title="Secret goal")
    response = pm_api.post(url(world), {"title": "T", "goal": foreign.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "goal"
    assert not Initiative.objects.exists()


def test_a_goal_that_does_not_exist_is_refused(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"title": "T", "goal": 999_999})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "goal"


def test_an_end_before_the_start_is_refused(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        url(world), {"title": "T", "start_date": "2027-03-01", "end_date": "2027-02-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end_date"


def test_capacity_cannot_be_negative(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"title": "T", "capacity_points": -5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "capacity_points"


def test_an_initiative_needs_a_title(world: World, pm_api: Api) -> None:
    response = pm_api.post(url(world), {"capacity_points": 5})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_moving_an_initiative_to_no_goal(world: World, pm_api: Api) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    created = pm_api.post(url(world), {"title": "T", "goal": goal.pk}).json()
    body = pm_api.patch(f"/initiatives/{created['id']}", {"goal": None}).json()
    assert body["goal"] is None


def test_initiatives_are_filtered_by_goal(world: World, pm_api: Api) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    pm_api.post(url(world), {"title": "Under", "goal": goal.pk})
    pm_api.post(url(world), {"title": "Loose"})
    body = pm_api.get(url(world) + f"?goal={goal.pk}").json()
    assert [i["title"] for i in body["items"]] == ["Under"]


def test_deleting_an_initiative_keeps_its_features(world: World, pm_api: Api) -> None:
    initiative = Initiative.objects.create(product=world.product, title="T")
    feature = Feature.objects.create(product=world.product, title="F", initiative=initiative)
    assert pm_api.delete(f"/initiatives/{initiative.pk}").status_code == 204
    feature.refresh_from_db()
    assert feature.initiative_id is None


def test_initiative_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    goal = Goal.objects.create(product=world.product, title="G")

    def add(n: int) -> None:
        for i in range(n):
            initiative = Initiative.objects.create(
                product=world.product, goal=goal, title=f"I{i}", capacity_points=3
            )
            Feature.objects.create(
                product=world.product, title="F", initiative=initiative, points=5
            )

    few, many = flat(lambda: pm_api.get(url(world) + "?limit=100"), add)
    assert few == many
