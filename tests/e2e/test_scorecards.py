"""Scorecards in a real browser: add one with a criterion row added by JavaScript, then rate a
feature on it from the feature page, with htmx swapping the forms in place."""

from __future__ import annotations

from typing import Any

from headway.planning.models import Scorecard, ScorecardRating
from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def test_a_scorecard_is_added_and_a_feature_rated_on_it(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/backlog/")
    page.get_by_role("link", name="Scorecards and formulas").click()
    page.get_by_role("heading", name="Scorecards and formulas").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a scorecard").click()
    page.get_by_label("Name:", exact=True).fill("Reach and bets")
    page.get_by_label("Name of criterion 1").fill("reach")
    page.get_by_label("Weight of criterion 1").fill("2")
    page.get_by_role("button", name="Add a criterion").click()
    page.get_by_label("Name of criterion 4").fill("bet")
    page.get_by_label("Weight of criterion 4").fill("1")
    page.get_by_label("Highest rating of criterion 4").fill("5")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add scorecard").click()
    page.get_by_role("heading", name="Reach and bets").wait_for()
    card = Scorecard.objects.get(name="Reach and bets")
    assert [c["name"] for c in card.criteria] == ["reach", "bet"]
    assert card.criteria[1]["high"] == 5

    feature = loaded.objects["features"]["Ask questions in plain English"]
    page.goto(f"{live_server.url}/features/{feature.pk}/")
    rating = page.locator("article", has=page.get_by_role("heading", name="Reach and bets"))
    rating.get_by_label("reach").fill("8")
    rating.get_by_label("bet").fill("2")
    rating.get_by_role("button", name="Save ratings").click()
    page.get_by_text("Weighted score 6 = (2 × reach 8 + 1 × bet 2) ÷ 3").wait_for()
    assert ScorecardRating.objects.get(scorecard=card, feature=feature).ratings == {
        "reach": 8,
        "bet": 2,
    }
    assert axe_violations(page) == []
    assert page.watch.problems == []
