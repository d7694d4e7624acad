"""The demo shows planning: a score in every framework, dependencies, a schedule, risks, stories
with criteria, a scorecard and a formula."""

from __future__ import annotations

from django.test import Client

from headway.planning import backlog, scheduling
from headway.planning.backlog import Filters
from headway.planning.models import AcceptanceCriterion, Dependency, Risk
from headway.web import demo


def test_demo_shows_every_planning_capability(db: None) -> None:
    loaded = demo.load()
    product = loaded.product
    for framework in (
        "rice",
        "ice",
        "wsjf",
        "value_effort",
        "value_risk",
        "eisenhower",
        "moscow",
        "kano",
    ):
        rows, count = backlog.ranked(product, framework, Filters(), 50, 0)
        assert count == 12
        assert rows[0].score is not None, framework
        assert rows[0].explanation
    card = product.scorecards.get()
    rows, _ = backlog.ranked(product, "scorecard", Filters(), 5, 0, scorecard=card.pk)
    assert rows[0].explanation.startswith("Weighted score")
    formula = product.formulas.get()
    rows, _ = backlog.ranked(product, "formula", Filters(), 5, 0, formula=formula.pk)
    assert rows[0].score is not None
    plan = scheduling.plan_out(scheduling.product_plan(product))
    assert len(plan["items"]) >= 8 and len(plan["critical_path"]) >= 2
    assert Dependency.objects.filter(feature__product=product).count() == 5
    assert Risk.objects.filter(feature__product=product).exists()
    assert AcceptanceCriterion.objects.filter(story__feature__product=product).count() >= 3


def test_demo_pages_render(db: None) -> None:
    loaded = demo.load()
    client = Client()
    client.force_login(loaded.users["demo"])
    backlog_page = client.get(f"/products/{loaded.product.pk}/backlog/?framework=wsjf")
    assert backlog_page.status_code == 200
    feature = loaded.objects["features"]["Ask questions in plain English"]
    feature_page = client.get(f"/features/{feature.pk}/")
    assert "Given" in feature_page.text
    assert "Strategic fit" in feature_page.text and "Weighted score" in feature_page.text
    scorecards = client.get(f"/products/{loaded.product.pk}/scorecards/").text
    assert "Strategic fit" in scorecards and "RICE plus demand" in scorecards
    lens = client.get(f"/products/{loaded.product.pk}/?lens=technical").text
    assert "Critical path" in lens and "Risk heat map" in lens and "Estimate spread" in lens
