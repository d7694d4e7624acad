"""What-if scenarios: contract, validation, compare side by side, apply and discard."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.activity.audit import history as audit_history
from headway.planning.models import Feature, Team
from headway.releases.models import Release, Scenario
from tests.conftest import Api, World
from tests.contract import EditableResourceContract
from tests.releases.factories import feature, history, release, story


class TestScenarioContract(EditableResourceContract):
    list_url = "/products/{product}/scenarios"
    detail_url = "/scenarios/{id}"
    payload = {"name": "Cut search", "changes": {"throughput_multiplier": 0.8}}
    patch = {"name": "Cut search, hire"}


def _plan(world: World) -> tuple[Release, Release, Feature]:
    history(world.product, [4, 5, 3, 6, 4, 5, 4, 6, 5, 4, 5, 4])
    soon = release(world.product, "soon", target_date=dt.date.today() + dt.timedelta(days=28))
    later = release(world.product, "later", target_date=dt.date.today() + dt.timedelta(days=120))
    big = feature(world.product, "Big", release=soon)
    for n in range(20):
        story(big, f"s{n}", points=2)
    small = feature(world.product, "Small", release=soon)
    story(small, "one", points=1)
    return soon, later, big


def test_compare_shows_today_and_the_scenario_side_by_side(pm_api: Api, world: World) -> None:
    soon, later, big = _plan(world)
    created = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "Move Big", "changes": {"features": [{"feature": big.pk, "release": later.pk}]}},
    ).json()
    body = pm_api.get(f"/scenarios/{created['id']}/compare").json()
    rows = {row["name"]: row for row in body["releases"]}
    assert rows["soon"]["today"]["scope"]["remaining_items"] == 21
    assert rows["soon"]["scenario"]["scope"]["remaining_items"] == 1
    assert rows["later"]["scenario"]["scope"]["remaining_items"] == 20
    assert rows["soon"]["scenario"]["probability"] >= rows["soon"]["today"]["probability"]


def test_the_live_plan_is_untouched_until_applied(pm_api: Api, world: World) -> None:
    soon, later, big = _plan(world)
    new_date = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    created = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {
            "name": "Trade-off",
            "changes": {
                "features": [{"feature": big.pk, "release": later.pk}],
                "releases": [{"release": soon.pk, "target_date": new_date, "capacity_points": 9}],
            },
        },
    ).json()
    pm_api.get(f"/scenarios/{created['id']}/compare")
    big.refresh_from_db()
    soon.refresh_from_db()
    assert big.release_id == soon.pk
    assert soon.capacity_points is None
    applied = pm_api.post(f"/scenarios/{created['id']}/apply")
    assert applied.status_code == 200, applied.content
    assert applied.json()["applied_at"] is not None
    big.refresh_from_db()
    soon.refresh_from_db()
    assert big.release_id == later.pk
    assert audit_history(big).first().changes == {"release": [soon.pk, later.pk]}
    assert soon.target_date.isoformat() == new_date
    assert soon.capacity_points == 9


def test_applying_twice_is_refused(pm_api: Api, world: World) -> None:
    created = pm_api.post(f"/products/{world.product.pk}/scenarios", {"name": "x"}).json()
    assert pm_api.post(f"/scenarios/{created['id']}/apply").status_code == 200
    assert pm_api.post(f"/scenarios/{created['id']}/apply").status_code == 422


def test_applying_changes_team_capacity(pm_api: Api, world: World) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=10)
    created = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "hire", "changes": {"teams": [{"team": team.pk, "capacity_per_week": 14}]}},
    ).json()
    pm_api.post(f"/scenarios/{created['id']}/apply")
    team.refresh_from_db()
    assert team.capacity_per_week == 14


def test_discarding_leaves_the_plan_alone(pm_api: Api, world: World) -> None:
    soon, later, big = _plan(world)
    created = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "x", "changes": {"features": [{"feature": big.pk, "release": None}]}},
    ).json()
    assert pm_api.delete(f"/scenarios/{created['id']}").status_code == 204
    big.refresh_from_db()
    assert big.release_id == soon.pk
    assert not Scenario.objects.exists()


def test_a_feature_of_another_product_is_refused(pm_api: Api, world: World) -> None:
    foreign = feature(world.other_product, "Theirs")
    response = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "x", "changes": {"features": [{"feature": foreign.pk, "release": None}]}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "changes.features"


def test_a_bad_multiplier_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "x", "changes": {"throughput_multiplier": 0}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "changes.throughput_multiplier"


def test_a_bad_date_move_is_refused(pm_api: Api, world: World) -> None:
    r = release(world.product)
    response = pm_api.post(
        f"/products/{world.product.pk}/scenarios",
        {"name": "x", "changes": {"releases": [{"release": r.pk, "target_date": "May"}]}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "changes.releases"


def test_unknown_change_keys_are_refused(pm_api: Api, world: World) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/scenarios", {"name": "x", "changes": {"budget": 3}}
    )
    assert response.status_code == 422


def test_a_viewer_cannot_apply(pm_api: Api, viewer_api: Api, world: World) -> None:
    created = pm_api.post(f"/products/{world.product.pk}/scenarios", {"name": "x"}).json()
    assert viewer_api.post(f"/scenarios/{created['id']}/apply").status_code == 403


def _list_queries(api: Api, world: World, rows: int) -> int:
    Scenario.objects.bulk_create(
        Scenario(product=world.product, name=f"s{n}", created_by=world.pm) for n in range(rows)
    )
    api.get(f"/products/{world.product.pk}/scenarios")
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/products/{world.product.pk}/scenarios?limit=100").json()
    assert body["count"] == rows
    return len(queries)


def test_the_scenario_list_takes_the_same_queries_for_3_and_30_rows(world: World) -> None:
    api = world.api(world.pm)
    few = _list_queries(api, world, 3)
    Scenario.objects.all().delete()
    assert _list_queries(api, world, 30) == few
