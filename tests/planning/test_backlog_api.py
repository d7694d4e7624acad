"""Dependencies, schedule and moves, the ranked backlog, manual order, cut line, scorecards and
formulas."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.planning import ranking
from headway.planning.models import Dependency, Feature, Team
from tests.conftest import Api, World
from tests.contract import EditableResourceContract


def make(world: World, title: str, **values: Any) -> Feature:
    count = Feature.objects.filter(product=world.product).count()
    values.setdefault("rank", ranking.keys_between(None, None, 60)[count])
    return Feature.objects.create(product=world.product, title=title, **values)


# --- Dependencies ---------------------------------------------------------------------------------


def test_dependency_is_created(world: World, pm_api: Api) -> None:
    a, b = make(world, "A"), make(world, "B")
    response = pm_api.post(f"/features/{a.pk}/dependencies", {"depends_on": b.pk})
    assert response.status_code == 201
    assert response.json()["depends_on_title"] == "B"
    listed = pm_api.get(f"/features/{a.pk}/dependencies").json()
    assert [d["depends_on"] for d in listed["items"]] == [b.pk]


def test_a_cycle_is_422_naming_it_with_titles(world: World, pm_api: Api) -> None:
    a, b, c = make(world, "A"), make(world, "B"), make(world, "C")
    Dependency.objects.create(feature=a, depends_on=b)
    Dependency.objects.create(feature=b, depends_on=c)
    response = pm_api.post(f"/features/{c.pk}/dependencies", {"depends_on": a.pk})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "depends_on"
    assert "C → A → B → C" in error["message"]
    assert Dependency.objects.count() == 2


def test_a_dependency_on_itself_is_422(world: World, pm_api: Api) -> None:
    a = make(world, "A")
    response = pm_api.post(f"/features/{a.pk}/dependencies", {"depends_on": a.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "depends_on"


def test_a_dependency_on_another_product_is_422(world: World, pm_api: Api) -> None:
    a = make(world, "A")
    foreign = Feature.objects.create(product=world.other_product, title="Secret")
    response = pm_api.post(f"/features/{a.pk}/dependencies", {"depends_on": foreign.pk})
    assert response.status_code == 422
    assert "Secret" not in response.content.decode()
    assert not Dependency.objects.exists()


def test_dependency_is_removed(world: World, pm_api: Api) -> None:
    a, b = make(world, "A"), make(world, "B")
    Dependency.objects.create(feature=a, depends_on=b)
    assert pm_api.delete(f"/features/{a.pk}/dependencies/{b.pk}").status_code == 204
    assert pm_api.delete(f"/features/{a.pk}/dependencies/{b.pk}").status_code == 404
    assert not Dependency.objects.exists()


# --- Schedule and moves ---------------------------------------------------------------------------


def test_schedule_respects_dependencies_and_capacity(world: World, pm_api: Api) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    a = make(world, "A", points=10, team=team)
    b = make(world, "B", points=5, team=team)
    c = make(world, "C", estimate_optimistic=2, estimate_likely=5, estimate_pessimistic=8)
    Dependency.objects.create(feature=b, depends_on=a)
    body = pm_api.get(f"/products/{world.product.pk}/schedule?start=2030-01-07").json()
    items = {i["title"]: i for i in body["items"]}
    assert body["origin"] == "2030-01-07"
    assert items["A"]["start"] == "2030-01-07" and items["A"]["end"] == "2030-01-20"
    assert items["B"]["start"] == "2030-01-21"  # never before what it depends on ends
    assert items["C"]["effort"] == 5  # PERT mean
    assert body["critical_path"] == [a.pk, b.pk]
    assert items["B"]["earliest_start"] == "2030-01-21"
    core = next(t for t in body["teams"] if t["name"] == "Core")
    assert max(core["load"]) <= 5
    assert c.pk not in body["unestimated"]


def test_moving_a_feature_shows_what_moves_with_it(world: World, pm_api: Api) -> None:
    a = make(world, "A", points=10, start_date=dt.date(2030, 1, 7), end_date=dt.date(2030, 1, 20))
    b = make(world, "B", points=5, start_date=dt.date(2030, 1, 21), end_date=dt.date(2030, 1, 27))
    make(world, "Unrelated", points=5)
    Dependency.objects.create(feature=b, depends_on=a)
    preview = pm_api.post(f"/features/{a.pk}/move", {"start": "2030-01-14"}).json()
    assert [m["title"] for m in preview["moves"]] == ["A", "B"]
    assert preview["moves"][1]["new_start"] == "2030-01-28"
    b.refresh_from_db()
    assert b.start_date == dt.date(2030, 1, 21)  # a preview changes nothing
    applied = pm_api.post(f"/features/{a.pk}/move", {"start": "2030-01-14", "apply": True})
    assert applied.json()["applied"] is True
    b.refresh_from_db()
    assert b.start_date == dt.date(2030, 1, 28)


def test_schedule_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    url = f"/products/{world.product.pk}/schedule"
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    pm_api.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        previous = None
        for i in range(n):
            feature = make(world, f"F{i}", points=3, team=team)
            if previous:
                Dependency.objects.create(feature=feature, depends_on=previous)
            previous = feature

    add(3)
    few = count()
    add(27)
    assert count() == few


# --- Backlog --------------------------------------------------------------------------------------


@pytest.fixture
def scored(world: World) -> dict[str, Feature]:
    return {
        "low": make(world, "Low", rice_score=10.0, ice_score=500.0, kind="tech_debt"),
        "high": make(world, "High", rice_score=300.0, ice_score=20.0),
        "none": make(world, "Unscored"),
        "mid": make(world, "Mid", rice_score=100.0),
    }


def titles(response: Any) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


def test_backlog_ranks_by_framework_with_nulls_last(
    world: World, pm_api: Api, scored: dict[str, Feature]
) -> None:
    url = f"/products/{world.product.pk}/backlog"
    assert titles(pm_api.get(f"{url}?framework=rice")) == ["High", "Mid", "Low", "Unscored"]
    assert titles(pm_api.get(f"{url}?framework=ice"))[:2] == ["Low", "High"]
    assert titles(pm_api.get(f"{url}?framework=manual")) == ["Low", "High", "Unscored", "Mid"]
    page = pm_api.get(f"{url}?framework=rice&limit=2&offset=1").json()
    assert [i["title"] for i in page["items"]] == ["Mid", "Low"]
    assert page["count"] == 4
    assert titles(pm_api.get(f"{url}?framework=rice&kind=tech_debt")) == ["Low"]


def test_backlog_items_explain_their_scores(world: World, pm_api: Api) -> None:
    make(
        world,
        "R",
        rice_reach=400,
        rice_impact=1,
        rice_confidence=0.8,
        rice_effort=2,
        rice_score=160,
    )
    item = pm_api.get(f"/products/{world.product.pk}/backlog?framework=rice").json()["items"][0]
    assert item["score"] == 160
    assert item["explanation"] == "RICE 160 = reach 400 × impact 1 × confidence 0.8 ÷ effort 2"
    assert set(item) >= {"id", "title", "score", "rank", "explanation"}


@pytest.mark.parametrize("framework", ["rice", "ice", "wsjf", "value_effort", "manual"])
def test_indexed_backlog_is_one_query_per_page(world: World, pm_api: Api, framework: str) -> None:
    url = f"/products/{world.product.pk}/backlog?framework={framework}&limit=20"
    pm_api.get(url)

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert pm_api.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries if "planning_feature" in q["sql"]]

    Feature.objects.bulk_create(
        [
            Feature(product=world.product, title=f"A{i}", rank=f"V{i + 1}", rice_score=i)
            for i in range(3)
        ]
    )
    few = queries()
    assert len(few) == 1
    Feature.objects.bulk_create(
        [
            Feature(product=world.product, title=f"B{i}", rank=f"W{i + 1}", rice_score=i)
            for i in range(27)
        ]
    )
    many = queries()
    assert len(many) == 1


@pytest.mark.parametrize("framework", ["value_risk", "eisenhower", "moscow", "kano"])
def test_computed_frameworks_rank_in_python(world: World, pm_api: Api, framework: str) -> None:
    make(
        world,
        "Weak",
        value=2,
        risk=2,
        urgent=False,
        important=False,
        moscow="could",
        kano="indifferent",
    )
    make(
        world, "Strong", value=9, risk=9, urgent=True, important=True, moscow="must", kano="must_be"
    )
    make(world, "Blank")
    url = f"/products/{world.product.pk}/backlog?framework={framework}"
    assert titles(pm_api.get(url)) == ["Strong", "Weak", "Blank"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            pm_api.get(url)
        return len(queries)

    few = count()
    for i in range(27):
        make(world, f"X{i}", value=5, risk=5, moscow="should")
    assert count() == few


def test_unknown_framework_is_422(world: World, pm_api: Api) -> None:
    response = pm_api.get(f"/products/{world.product.pk}/backlog?framework=vibes")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "framework"


def test_manual_move_is_one_small_write(world: World, pm_api: Api) -> None:
    a, b, c = make(world, "A"), make(world, "B"), make(world, "C")
    versions = {f.pk: f.version for f in (a, b, c)}
    with CaptureQueriesContext(connection) as captured:
        response = pm_api.post(f"/features/{c.pk}/rank", {"after": a.pk})
    assert response.status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([w for w in writes if "planning_feature" in w]) == 1
    url = f"/products/{world.product.pk}/backlog?framework=manual"
    assert titles(pm_api.get(url)) == ["A", "C", "B"]
    pm_api.post(f"/features/{a.pk}/rank", {"before": b.pk})
    pm_api.post(f"/features/{b.pk}/rank", {"before": c.pk})
    assert titles(pm_api.get(url)) == ["B", "C", "A"]
    assert {f.pk: f.version for f in Feature.objects.all()} == versions


def test_manual_move_repairs_malformed_keys(world: World, pm_api: Api) -> None:
    a, b, c = (make(world, t, rank=r) for t, r in (("A", "a10"), ("B", "a10"), ("C", "a20")))
    assert pm_api.post(f"/features/{c.pk}/rank", {"after": a.pk}).status_code == 200
    url = f"/products/{world.product.pk}/backlog?framework=manual"
    assert titles(pm_api.get(url)) == ["A", "C", "B"]
    assert b.pk


def test_manual_move_needs_a_neighbour_of_the_same_product(world: World, pm_api: Api) -> None:
    a = make(world, "A")
    foreign = Feature.objects.create(product=world.other_product, title="Secret")
    assert pm_api.post(f"/features/{a.pk}/rank", {}).status_code == 422
    response = pm_api.post(f"/features/{a.pk}/rank", {"after": foreign.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "after"


def test_cut_line_shows_what_fits_before_the_date(world: World, pm_api: Api) -> None:
    make(world, "A", points=5, rice_score=3)
    make(world, "B", points=8, rice_score=2)
    make(world, "C", points=1, rice_score=1)
    make(world, "Done", points=50, rice_score=9, status="done")
    date = (dt.date.today() + dt.timedelta(weeks=2)).isoformat()
    body = pm_api.get(
        f"/products/{world.product.pk}/backlog/cutline?framework=rice&date={date}&throughput=6"
    ).json()
    assert body["capacity"] == 12
    assert [i["title"] for i in body["fits"]] == ["A"]
    assert [i["title"] for i in body["after"]] == ["B", "C"]  # order is never rearranged
    by_items = pm_api.get(
        f"/products/{world.product.pk}/backlog/cutline?date={date}&throughput=1&unit=items"
    ).json()
    assert len(by_items["fits"]) == 2


def test_cut_line_date_must_be_in_the_future(world: World, pm_api: Api) -> None:
    response = pm_api.get(
        f"/products/{world.product.pk}/backlog/cutline?date=2000-01-01&throughput=5"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date"


# --- Scorecards and formulas ----------------------------------------------------------------------


class TestScorecards(EditableResourceContract):
    list_url = "/products/{product}/scorecards"
    detail_url = "/scorecards/{id}"
    payload = {
        "name": "Fit",
        "criteria": [{"name": "strategy", "weight": 2}, {"name": "demand", "weight": 1}],
    }
    patch = {"name": "Strategic fit"}


class TestFormulas(EditableResourceContract):
    list_url = "/products/{product}/formulas"
    detail_url = "/formulas/{id}"
    payload = {"name": "Demand", "expression": "(reach * impact * confidence) / effort + 2 * votes"}
    patch = {"name": "Demand-weighted RICE"}


def test_scorecard_ranks_the_backlog(world: World, pm_api: Api) -> None:
    card = pm_api.post(f"/products/{world.product.pk}/scorecards", TestScorecards.payload).json()
    a, b = make(world, "A"), make(world, "B")
    make(world, "Unrated")
    rated = pm_api.post(
        f"/scorecards/{card['id']}/ratings",
        {"feature": a.pk, "ratings": {"strategy": 3, "demand": 9}},
    ).json()
    assert rated["score"] == 5
    assert rated["explanation"].startswith("Weighted score 5 = (2 × strategy 3 + 1 × demand 9)")
    pm_api.post(
        f"/scorecards/{card['id']}/ratings",
        {"feature": b.pk, "ratings": {"strategy": 9, "demand": 9}},
    )
    url = f"/products/{world.product.pk}/backlog?framework=scorecard&scorecard={card['id']}"
    assert titles(pm_api.get(url)) == ["B", "A", "Unrated"]


def test_changing_a_scorecards_criteria_ranks_again(world: World, pm_api: Api) -> None:
    card = pm_api.post(f"/products/{world.product.pk}/scorecards", TestScorecards.payload).json()
    a, b = make(world, "A"), make(world, "B")
    for feature, ratings in ((a, {"strategy": 9, "demand": 1}), (b, {"strategy": 1, "demand": 9})):
        pm_api.post(
            f"/scorecards/{card['id']}/ratings", {"feature": feature.pk, "ratings": ratings}
        )
    url = f"/products/{world.product.pk}/backlog?framework=scorecard&scorecard={card['id']}"
    assert titles(pm_api.get(url)) == ["A", "B"]  # strategy weighs 2, demand 1
    criteria = [{"name": "strategy", "weight": 1}, {"name": "demand", "weight": 5}]
    pm_api.patch(f"/scorecards/{card['id']}", {"criteria": criteria})
    body = pm_api.get(url).json()
    assert [(i["title"], round(i["score"], 2)) for i in body["items"]] == [
        ("B", round((1 + 5 * 9) / 6, 2)),
        ("A", round((9 + 5 * 1) / 6, 2)),
    ]
    # A new criterion nobody has rated yet leaves every rating incomplete: no scores.
    pm_api.patch(
        f"/scorecards/{card['id']}", {"criteria": [*criteria, {"name": "new", "weight": 1}]}
    )
    assert [i["score"] for i in pm_api.get(url).json()["items"]] == [None, None]


def test_rating_a_feature_of_another_product_is_422_and_stores_nothing(
    world: World, pm_api: Api
) -> None:
    from headway.planning.models import ScorecardRating

    card = pm_api.post(f"/products/{world.product.pk}/scorecards", TestScorecards.payload).json()
    elsewhere = Feature.objects.create(product=world.other_product, title="Theirs")
    response = pm_api.post(
        f"/scorecards/{card['id']}/ratings",
        {"feature": elsewhere.pk, "ratings": {"strategy": 3, "demand": 9}},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "feature", "message": "Choose a feature of this scorecard's product."}
    ]
    assert not ScorecardRating.objects.exists()


def test_scorecard_criteria_are_validated(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/scorecards",
        {"name": "X", "criteria": [{"name": "a", "weight": 0}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "criteria"


def test_scorecard_rating_out_of_range_is_422(world: World, pm_api: Api) -> None:
    card = pm_api.post(f"/products/{world.product.pk}/scorecards", TestScorecards.payload).json()
    response = pm_api.post(
        f"/scorecards/{card['id']}/ratings",
        {"feature": make(world, "A").pk, "ratings": {"strategy": 30, "demand": 1}},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scores.strategy"


def test_formula_ranks_the_backlog_with_votes(world: World, pm_api: Api) -> None:
    from headway.discovery.models import Idea

    saved = pm_api.post(f"/products/{world.product.pk}/formulas", TestFormulas.payload).json()
    a = make(world, "A", rice_reach=100, rice_impact=1, rice_confidence=1, rice_effort=1)
    b = make(world, "B", rice_reach=100, rice_impact=1, rice_confidence=1, rice_effort=1)
    make(world, "No inputs")
    Idea.objects.create(product=world.product, title="Wanted", feature=b, vote_count=10)
    url = f"/products/{world.product.pk}/backlog?framework=formula&formula={saved['id']}"
    items = pm_api.get(url).json()["items"]
    assert [i["title"] for i in items] == ["B", "A", "No inputs"]
    assert items[0]["score"] == 120
    assert items[0]["explanation"] == "(100 * 1 * 1) / 1 + 2 * 10 = 120"
    assert "no score" in items[2]["explanation"]
    assert a.pk


@pytest.mark.parametrize(
    ("expression", "column"), [("reach * (impact", "16"), ("reach * revenue", "9")]
)
def test_bad_formula_is_422_naming_the_column(
    world: World, pm_api: Api, expression: str, column: str
) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/formulas", {"name": "X", "expression": expression}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "expression"
    assert error["message"].startswith(f"Column {column}:")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("throughput=5", "date"),
        ("date=2099-01-01", "throughput"),
        ("date=2099-01-01&throughput=0", "throughput"),
    ],
)
def test_cut_line_needs_a_date_and_a_throughput(
    world: World, pm_api: Api, query: str, field: str
) -> None:
    response = pm_api.get(f"/products/{world.product.pk}/backlog/cutline?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_cut_line_without_a_throughput_uses_the_monte_carlo_forecast(
    world: World, pm_api: Api
) -> None:
    from headway.core import clock
    from headway.forecasting import forecast_how_many
    from headway.releases.forecasts import ThroughputUnit, forecast_history

    now = clock.now()
    for week in range(1, 13):  # two features finished in each of the last 12 weeks
        for n in range(2):
            make(world, f"Done {week}.{n}", status="done", done_at=now - dt.timedelta(weeks=week))
    for n in range(30):
        make(world, f"Open {n}", rice_score=100 - n)
    date = (dt.date.today() + dt.timedelta(weeks=4)).isoformat()
    body = pm_api.get(
        f"/products/{world.product.pk}/backlog/cutline?framework=rice&date={date}"
    ).json()
    history = forecast_history(world.product, ThroughputUnit.FEATURES).counts
    expected = forecast_how_many(history, 4, trials=2_000, seed=0).items["85"]
    assert body["capacity_source"] == "forecast_85"
    assert body["unit"] == "items"
    assert body["capacity"] == expected > 0
    assert [i["title"] for i in body["fits"]] == [f"Open {n}" for n in range(expected)]


def test_a_kept_schedule_follows_every_change_of_its_input(world: World, pm_api: Api) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    a = make(world, "A", points=5, team=team, rank="a")
    b = make(world, "B", points=5, team=team, rank="b")
    url = f"/products/{world.product.pk}/schedule?start=2030-01-07"

    def starts() -> dict[str, str]:
        return {i["title"]: i["start"] for i in pm_api.get(url).json()["items"]}

    assert starts() == {"A": "2030-01-07", "B": "2030-01-14"}
    # A rank move is a bare UPDATE that bumps no version: the schedule must still see it.
    Feature.objects.filter(pk=b.pk).update(rank="0")
    assert starts() == {"A": "2030-01-14", "B": "2030-01-07"}
    Dependency.objects.create(feature=b, depends_on=a)
    assert starts() == {"A": "2030-01-07", "B": "2030-01-14"}
    Team.objects.filter(pk=team.pk).update(capacity_per_week=10)
    assert starts() == {"A": "2030-01-07", "B": "2030-01-14"}  # B still waits for A
    Dependency.objects.all().delete()
    assert starts() == {"A": "2030-01-07", "B": "2030-01-07"}  # both fit in one week now


@pytest.mark.parametrize("framework", ["value_risk", "eisenhower", "moscow", "kano"])
def test_the_database_weighs_categories_as_the_scoring_module_does(
    world: World, framework: str
) -> None:
    from itertools import product as combinations

    from headway.planning import backlog
    from headway.planning.backlog import Filters
    from headway.planning.services import framework_score

    inputs = {
        "value_risk": [
            {"value": v, "risk": r}
            for v, r in combinations([None, 0, 1, 5, 5.5, 6, 10, 11], [None, 1, 5, 6, 10])
        ],
        "eisenhower": [
            {"urgent": u, "important": i} for u, i in combinations([None, True, False], repeat=2)
        ],
        "moscow": [{"moscow": m} for m in ["", "must", "should", "could", "wont"]],
        "kano": [
            {"kano": k}
            for k in ["", "must_be", "performance", "attractive", "indifferent", "reverse"]
            + ["questionable"]
        ],
    }[framework]
    for n, values in enumerate(reversed(inputs)):
        make(world, f"F{n}", **values)
    rows, count = backlog.ranked(world.product, framework, Filters(), 500, 0)
    assert count == len(inputs)
    expected = sorted(
        Feature.objects.filter(product=world.product).order_by("rank", "id"),
        key=lambda f: (
            (score := framework_score(f, framework)) is None or score.value is None,
            -((score.value or 0) if score else 0),
        ),
    )
    assert [row.feature.pk for row in rows] == [f.pk for f in expected]
    for row in rows:
        score = framework_score(row.feature, framework)
        assert row.score == (score.value if score else None)


def test_every_formula_field_reads_only_the_columns_it_declares() -> None:
    from types import SimpleNamespace

    from headway.planning.backlog import FORMULA_COLUMNS, FORMULA_FIELDS

    assert FORMULA_COLUMNS.keys() == FORMULA_FIELDS.keys()
    for name, read in FORMULA_FIELDS.items():
        # Missing values take the longest path (points falls back to the estimate).
        row = SimpleNamespace(votes=0, **dict.fromkeys(FORMULA_COLUMNS[name]))
        assert read(row) is None or name == "votes", name


def test_a_formula_ranks_by_the_same_scores_it_explains(world: World, pm_api: Api) -> None:
    from headway.discovery.models import Idea
    from headway.planning import backlog
    from headway.planning.backlog import Filters
    from headway.planning.models import PriorityFormula

    make(world, "Low", rice_reach=10, rice_impact=1, rice_confidence=1, rice_effort=1)
    make(world, "High", rice_reach=10, rice_impact=3, rice_confidence=1, rice_effort=1)
    voted = make(world, "Voted", rice_reach=10, rice_impact=1, rice_confidence=1, rice_effort=1)
    make(world, "Unscored")
    Idea.objects.create(product=world.product, title="Wanted", feature=voted, vote_count=20)
    formula = PriorityFormula.objects.create(
        product=world.product, name="F", expression="reach * impact + votes"
    )
    rows, count = backlog.ranked(world.product, "formula", Filters(), 2, 0, formula=formula.pk)
    assert count == 4
    assert [(r.feature.title, r.score) for r in rows] == [("High", 30), ("Voted", 30)]
    assert "10 * 3" in rows[0].explanation and "+ 20" in rows[1].explanation
    rest, _ = backlog.ranked(world.product, "formula", Filters(), 2, 2, formula=formula.pk)
    assert [(r.feature.title, r.score) for r in rest] == [("Low", 10), ("Unscored", None)]


def test_a_kept_formula_ranking_follows_every_change_of_its_input(world: World) -> None:
    from headway.discovery.models import Idea
    from headway.planning import backlog
    from headway.planning.backlog import Filters
    from headway.planning.models import PriorityFormula

    a = make(world, "A", rice_reach=2)
    b = make(world, "B", rice_reach=1)
    formula = PriorityFormula.objects.create(
        product=world.product, name="F", expression="reach + votes"
    )

    def order() -> list[str]:
        rows, _ = backlog.ranked(world.product, "formula", Filters(), 10, 0, formula=formula.pk)
        return [row.feature.title for row in rows]

    assert order() == ["A", "B"]
    Feature.objects.filter(pk=b.pk).update(rice_reach=5)  # a bare UPDATE, no version bump
    assert order() == ["B", "A"]
    Idea.objects.create(product=world.product, title="Wanted", feature=a, vote_count=10)
    assert order() == ["A", "B"]
    formula.expression = "reach"
    formula.save()
    assert order() == ["B", "A"]
