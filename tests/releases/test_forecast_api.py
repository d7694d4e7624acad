"""Forecast endpoints: contract shapes, reproducible seeds, quick 422s, speed; throughput."""

from __future__ import annotations

import datetime as dt
import time

from headway.releases.models import ThroughputWeek
from tests.conftest import Api, World
from tests.releases.factories import feature, history, release, story

THROUGHPUT = [7, 4, 9, 0, 6, 8, 5, 11, 3, 6, 7, 2, 9, 6, 5, 8, 4, 10, 6, 3, 7, 5, 9, 6, 4, 8]


def test_when_answers_dates_by_confidence_and_the_probability_by_a_target(pm_api: Api) -> None:
    body = pm_api.post(
        "/forecast/when",
        {
            "remaining": 60,
            "throughput": THROUGHPUT,
            "start_date": "2025-01-06",
            "trials": 2000,
            "seed": 1,
            "target_date": "2025-04-30",
        },
    ).json()
    assert set(body["dates"]) == {"50", "85", "95"}
    assert body["dates"]["50"] <= body["dates"]["85"] <= body["dates"]["95"]
    assert 0 <= body["probability_by"] <= 1
    assert set(body["weeks"]) == {"50", "85", "95"}
    assert "calibration" in body


def test_how_many_answers_items_reached_at_least(pm_api: Api) -> None:
    body = pm_api.post(
        "/forecast/how-many", {"throughput": THROUGHPUT, "weeks": 8, "trials": 2000, "seed": 3}
    ).json()
    assert body["items"]["50"] >= body["items"]["85"] >= body["items"]["95"]


def test_the_same_seed_gives_the_same_forecast(pm_api: Api) -> None:
    payload = {"remaining": 40, "throughput": THROUGHPUT, "start_date": "2025-01-06", "seed": 9}
    assert (
        pm_api.post("/forecast/when", payload).json()
        == pm_api.post("/forecast/when", payload).json()
    )


def _refused(api: Api, path: str, payload: dict[str, object], field: str) -> None:
    started = time.perf_counter()
    response = api.post(path, payload)
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]


def test_an_empty_history_is_refused(pm_api: Api) -> None:
    _refused(pm_api, "/forecast/when", {"remaining": 5, "throughput": []}, "throughput")


def test_an_all_zero_history_is_refused(pm_api: Api) -> None:
    _refused(pm_api, "/forecast/when", {"remaining": 5, "throughput": [0, 0, 0]}, "throughput")


def test_negative_remaining_is_refused(pm_api: Api) -> None:
    _refused(pm_api, "/forecast/when", {"remaining": -1, "throughput": [3, 4]}, "remaining")


def test_more_than_100000_trials_is_refused(pm_api: Api) -> None:
    payload = {"remaining": 5, "throughput": [3, 4], "trials": 100_001}
    _refused(pm_api, "/forecast/when", payload, "trials")


def test_how_many_refuses_too_many_trials_and_zero_weeks(pm_api: Api) -> None:
    _refused(
        pm_api, "/forecast/how-many", {"throughput": [3], "weeks": 4, "trials": 10**6}, "trials"
    )
    _refused(pm_api, "/forecast/how-many", {"throughput": [3], "weeks": 0}, "weeks")


def test_an_unknown_method_is_refused(pm_api: Api) -> None:
    payload = {"remaining": 5, "throughput": [3, 4], "method": "magic"}
    _refused(pm_api, "/forecast/when", payload, "method")


def test_ten_thousand_trials_for_a_thousand_items_answer_quickly(pm_api: Api) -> None:
    payload = {"remaining": 1000, "throughput": THROUGHPUT * 4, "trials": 10_000, "seed": 1}
    pm_api.post("/forecast/when", payload)
    started = time.perf_counter()
    response = pm_api.post("/forecast/when", payload)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    # The pure layer takes well under 100 ms; the endpoint adds auth and JSON. A shared
    # two-core machine is noisy, so the bound is generous.
    assert elapsed < 1.5


def test_anonymous_cannot_forecast() -> None:
    assert Api().post("/forecast/when", {"remaining": 1, "throughput": [1]}).status_code == 401


def test_throughput_counts_done_stories_per_week_with_zero_weeks(pm_api: Api, world: World) -> None:
    history(world.product, [2, 0, 3, 1])
    body = pm_api.get(f"/products/{world.product.pk}/throughput?weeks=6").json()
    assert body["counts"] == [0, 0, 2, 0, 3, 1]
    assert body["source"] == "done_times"
    assert dt.date.fromisoformat(body["weeks"][0]["week_start"]).weekday() == 0


def test_throughput_of_features_counts_done_features(pm_api: Api, world: World) -> None:
    history(world.product, [2, 2])
    body = pm_api.get(f"/products/{world.product.pk}/throughput?unit=features&weeks=2").json()
    assert body["counts"] == [0, 0]


def test_an_unknown_throughput_unit_is_refused(pm_api: Api, world: World) -> None:
    response = pm_api.get(f"/products/{world.product.pk}/throughput?unit=bugs")
    assert response.status_code == 422


def test_an_imported_history_replaces_done_times(pm_api: Api, world: World) -> None:
    history(world.product, [9, 9])
    url = f"/products/{world.product.pk}/throughput"
    response = pm_api.post(
        url,
        {
            "weeks": [
                {"week_start": "2025-01-06", "count": 4},
                {"week_start": "2025-01-20", "count": 2},
            ]
        },
    )
    assert response.status_code == 201
    assert pm_api.get(url).json()["counts"] == [4, 0, 2]


def test_a_csv_history_is_imported(pm_api: Api, world: World) -> None:
    url = f"/products/{world.product.pk}/throughput"
    csv = "week_start,count\n2025-01-06,3\n2025-01-13,5\n"
    assert pm_api.post(url, {"csv": csv}).status_code == 201
    assert list(ThroughputWeek.objects.values_list("count", flat=True)) == [3, 5]


def test_a_bad_csv_line_is_refused_naming_the_csv(pm_api: Api, world: World) -> None:
    url = f"/products/{world.product.pk}/throughput"
    response = pm_api.post(url, {"csv": "2025-01-06;3\n"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "csv"


def test_a_negative_imported_count_is_refused(pm_api: Api, world: World) -> None:
    url = f"/products/{world.product.pk}/throughput"
    response = pm_api.post(url, {"weeks": [{"week_start": "2025-01-06", "count": -2}]})
    assert response.status_code == 422


def test_a_viewer_cannot_import_throughput(viewer_api: Api, world: World) -> None:
    url = f"/products/{world.product.pk}/throughput"
    assert viewer_api.post(url, {"csv": "2025-01-06,3"}).status_code == 403


def test_the_product_forecast_uses_the_product_history(pm_api: Api, world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4, 6, 2, 3, 4])
    target = (dt.date.today() + dt.timedelta(days=70)).isoformat()
    body = pm_api.get(
        f"/products/{world.product.pk}/forecast?remaining=12&target_date={target}"
    ).json()
    assert body["remaining"] == 12
    assert body["probability_by"] is not None
    assert body["throughput"]["counts"][0] > 0


def test_the_product_forecast_without_history_is_a_422(pm_api: Api, world: World) -> None:
    response = pm_api.get(f"/products/{world.product.pk}/forecast?remaining=3")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "throughput"


def test_the_release_forecast_gives_the_probability_of_the_target_date(
    pm_api: Api, world: World
) -> None:
    history(world.product, [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 5])
    r = release(world.product, target_date=dt.date.today() + dt.timedelta(days=90))
    work = feature(
        world.product,
        release=r,
        estimate_optimistic=2,
        estimate_likely=3,
        estimate_pessimistic=8,
    )
    for n in range(10):
        story(work, f"s{n}")
    body = pm_api.get(f"/releases/{r.pk}/forecast").json()
    assert body["remaining"] == 10
    assert body["probability"] > 0.5
    assert body["effort"] is None  # no team capacity yet


def test_the_outsider_cannot_read_a_product_forecast(outsider_api: Api, world: World) -> None:
    assert outsider_api.get(f"/products/{world.product.pk}/forecast").status_code == 404
