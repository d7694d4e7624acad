"""The scorecards and formulas page, and rating a feature on a scorecard from its page: every
write goes through the API's services, a stale edit overwrites nothing, viewers only look and
outsiders see nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from headway.planning.backlog import FORMULA_FIELDS
from headway.planning.models import Feature, PriorityFormula, Scorecard, ScorecardRating
from tests.conftest import Api, World
from tests.queries import flat

HTMX = {"HTTP_HX_REQUEST": "true"}
CRITERIA = [
    {"name": "strategy", "weight": 3.0, "low": 1.0, "high": 10.0},
    {"name": "demand", "weight": 1.0, "low": 1.0, "high": 10.0},
]


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def page(world: World) -> str:
    return f"/products/{world.product.pk}/scorecards/"


def card(world: World, name: str = "Fit", **values: Any) -> Scorecard:
    values.setdefault("criteria", CRITERIA)
    return Scorecard.objects.create(product=world.product, name=name, **values)


def formula(world: World, name: str = "Value", expression: str = "reach * impact") -> Any:
    return PriorityFormula.objects.create(product=world.product, name=name, expression=expression)


def rows(*criteria: tuple[str, str, str, str], name: str = "Fit", **extra: str) -> dict[str, str]:
    """The scorecard form's data: its name and one row per criterion (name, weight, low, high)."""
    data = {"name": name, **extra}
    for index, row in enumerate(criteria):
        for column, value in zip(("name", "weight", "low", "high"), row, strict=True):
            data[f"criteria-{index}-{column}"] = value
    return data


def error_next_to(text: str, field_id: str) -> str:
    """The error shown next to the field with this id (web/_form_fields.html)."""
    found = re.search(rf'<p class="error" id="{field_id}_error">(.*?)</p>', text)
    assert found, f"no error next to {field_id}"
    return found.group(1)


# --- The page -------------------------------------------------------------------------------------


def test_the_backlog_links_the_scorecards_page(world: World) -> None:
    text = signed_in(world, "viewer").get(f"/products/{world.product.pk}/backlog/").text
    assert f'href="{page(world)}"' in text


def test_the_page_lists_scorecards_with_their_criteria_and_formulas(world: World) -> None:
    fit = card(world)
    value = formula(world)
    text = signed_in(world).get(page(world)).text
    assert "Fit" in text and "strategy" in text and "demand" in text
    assert "reach * impact" in text
    assert f"?framework=scorecard&amp;scorecard={fit.pk}" in text
    assert f"?framework=formula&amp;formula={value.pk}" in text
    assert f"/scorecards/{fit.pk}/edit" in text and f"/formulas/{value.pk}/edit" in text


def test_a_viewer_sees_the_page_without_editors(world: World) -> None:
    fit = card(world)
    text = signed_in(world, "viewer").get(page(world)).text
    assert "strategy" in text
    assert f"/scorecards/{fit.pk}/edit" not in text and "Add a scorecard" not in text


def test_the_page_shows_which_fields_a_formula_may_use(world: World) -> None:
    text = signed_in(world).get(page(world)).text
    assert ", ".join(FORMULA_FIELDS) in text


def test_the_page_queries_do_not_grow_with_scorecards_and_formulas(world: World) -> None:
    client = signed_in(world)
    feature = Feature.objects.create(product=world.product, title="Ask")

    def add(n: int) -> None:
        start = Scorecard.objects.count()
        for i in range(start, start + n):
            fit = card(world, f"Card {i}")
            ScorecardRating.objects.create(
                scorecard=fit, feature=feature, ratings={"strategy": 5, "demand": 5}
            )
            formula(world, f"Formula {i}")

    few, many = flat(lambda: client.get(page(world)), add)
    assert few == many


def test_outsiders_get_404_everywhere(world: World) -> None:
    fit, value = card(world), formula(world)
    client = signed_in(world, "outsider")
    for url in (
        page(world),
        f"/products/{world.product.pk}/scorecards/new",
        f"/scorecards/{fit.pk}/edit",
        f"/products/{world.product.pk}/formulas/new",
        f"/formulas/{value.pk}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/scorecards/{fit.pk}/delete", f"/formulas/{value.pk}/delete"):
        assert client.post(url).status_code == 404, url
    assert Scorecard.objects.count() == PriorityFormula.objects.count() == 1


def test_viewers_get_403_on_every_change(world: World) -> None:
    fit, value = card(world), formula(world)
    client = signed_in(world, "viewer")
    for url, data in (
        (f"/products/{world.product.pk}/scorecards/new", rows(("a", "1", "", ""))),
        (f"/scorecards/{fit.pk}/edit", rows(("a", "1", "", ""), version="1")),
        (f"/scorecards/{fit.pk}/delete", {}),
        (f"/products/{world.product.pk}/formulas/new", {"name": "X", "expression": "reach"}),
        (f"/formulas/{value.pk}/edit", {"name": "X", "expression": "reach", "version": "1"}),
        (f"/formulas/{value.pk}/delete", {}),
    ):
        assert client.post(url, data).status_code == 403, url
    fit.refresh_from_db()
    value.refresh_from_db()
    assert (fit.name, fit.criteria, value.expression) == ("Fit", CRITERIA, "reach * impact")


# --- Scorecards -----------------------------------------------------------------------------------


def test_the_new_scorecard_form_offers_blank_criteria_rows(world: World) -> None:
    text = signed_in(world).get(f"/products/{world.product.pk}/scorecards/new").text
    assert "<html" in text  # without JavaScript, a page of its own
    for index in range(3):
        assert f'name="criteria-{index}-name"' in text
    assert 'name="criteria-3-name"' not in text
    # The button that adds rows needs JavaScript; scorecards.js reveals it.
    assert "data-add-criterion" in text and "hidden>Add a criterion" in text


def test_adding_a_scorecard_without_javascript_returns_to_the_page(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/scorecards/new",
        rows(("strategy", "3", "", ""), ("", "", "", ""), ("demand", "1", "0", "5")),
    )
    assert response.status_code == 302
    assert response["Location"] == page(world) + "#scorecards"
    saved = Scorecard.objects.get()
    assert saved.name == "Fit"
    assert saved.criteria == [
        {"name": "strategy", "weight": 3.0, "low": 1.0, "high": 10.0},
        {"name": "demand", "weight": 1.0, "low": 0.0, "high": 5.0},
    ]


def test_adding_a_scorecard_over_htmx_answers_with_the_section(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/scorecards/new", rows(("strategy", "1", "", "")), **HTMX
    )
    assert response["HX-Retarget"] == "#scorecards"
    assert "<html" not in response.text and 'id="scorecards"' in response.text
    assert "strategy" in response.text


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ((), "Define at least one criterion for the scorecard."),
        ((("strategy", "-1", "", ""),), "The weight of &#x27;strategy&#x27; must be zero or more"),
        ((("strategy", "0", "", ""),), "At least one criterion needs a weight above 0"),
        ((("strategy", "1", "", ""), ("strategy", "2", "", "")), "appears twice"),
        ((("strategy", "1", "5", "5"),), "must have its low end below its high end"),
        ((("strategy", "", "", ""),), "The weight of &#x27;strategy&#x27; must be a number"),
        ((("", "2", "", ""),), "Every criterion needs a name."),
        ((("s" * 81, "1", "", ""),), "Criterion names are at most 80 characters"),
    ],
)
def test_a_bad_criterion_is_shown_next_to_the_criteria(
    world: World, criteria: tuple[tuple[str, str, str, str], ...], message: str
) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/scorecards/new", rows(*criteria), **HTMX
    )
    assert response.status_code == 200
    assert message in error_next_to(response.text, "new-scorecard-criteria")
    assert not Scorecard.objects.exists()


def test_a_scorecard_needs_a_name(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/scorecards/new", rows(("strategy", "1", "", ""), name="")
    )
    assert error_next_to(response.text, "new-scorecard-name") == "This field is required."
    assert not Scorecard.objects.exists()


def test_a_long_criterion_name_is_refused_by_the_api_with_the_same_sentence(
    world: World, pm_api: Api
) -> None:
    response = pm_api.post(
        f"/products/{world.product.pk}/scorecards",
        {"name": "Fit", "criteria": [{"name": "s" * 81, "weight": 1}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "criteria"
    assert "Criterion names are at most 80 characters" in response.json()["errors"][0]["message"]


def test_the_edit_form_shows_the_criteria_and_blank_rows(world: World) -> None:
    fit = card(world)
    text = signed_in(world).get(f"/scorecards/{fit.pk}/edit", **HTMX).text
    assert (
        f'name="criteria-0-name" id="scorecard-{fit.pk}-criteria-0-name" value="strategy"' in text
    )
    assert 'name="criteria-0-weight" value="3"' in text
    assert 'name="criteria-4-name"' in text and 'name="criteria-5-name"' not in text
    assert f'name="version" value="{fit.version}"' in text
    assert f"/scorecards/{fit.pk}/delete" in text


def test_editing_a_scorecard_renames_it_changes_weights_and_removes_ticked_criteria(
    world: World,
) -> None:
    fit = card(world)
    data = rows(
        ("strategy", "5", "1", "10"),
        ("demand", "1", "1", "10"),
        ("reach", "2", "0", "100"),
        name="Strategic fit",
        version=str(fit.version),
    )
    data["criteria-1-remove"] = "1"
    response = signed_in(world).post(f"/scorecards/{fit.pk}/edit", data)
    assert response.status_code == 302
    fit.refresh_from_db()
    assert fit.name == "Strategic fit" and fit.version == 2
    assert fit.criteria == [
        {"name": "strategy", "weight": 5.0, "low": 1.0, "high": 10.0},
        {"name": "reach", "weight": 2.0, "low": 0.0, "high": 100.0},
    ]


def test_a_stale_scorecard_edit_is_refused_and_overwrites_nothing(world: World) -> None:
    fit = card(world)
    loaded = rows(("strategy", "3", "1", "10"), version=str(fit.version))
    first, second = signed_in(world), signed_in(world, "owner")
    assert first.post(f"/scorecards/{fit.pk}/edit", loaded | {"name": "Mine"}).status_code == 302
    response = second.post(f"/scorecards/{fit.pk}/edit", loaded | {"name": "Theirs"}, **HTMX)
    assert response.status_code == 200
    assert "Someone else changed this since you opened it." in response.text
    fit.refresh_from_db()
    assert fit.name == "Mine"


def test_deleting_a_scorecard_deletes_its_ratings(world: World) -> None:
    fit = card(world)
    feature = Feature.objects.create(product=world.product, title="Ask")
    ScorecardRating.objects.create(scorecard=fit, feature=feature, ratings={"strategy": 5})
    response = signed_in(world).post(f"/scorecards/{fit.pk}/delete", **HTMX)
    assert response["HX-Retarget"] == "#scorecards"
    assert "No scorecards yet" in response.text
    assert not Scorecard.objects.exists() and not ScorecardRating.objects.exists()


def test_another_products_scorecard_cannot_be_edited_from_here(world: World) -> None:
    hidden = Scorecard.objects.create(product=world.other_product, name="Theirs", criteria=CRITERIA)
    client = signed_in(world)
    assert client.get(f"/scorecards/{hidden.pk}/edit").status_code == 404
    assert client.post(f"/scorecards/{hidden.pk}/delete").status_code == 404


# --- Formulas -------------------------------------------------------------------------------------


def test_adding_a_formula_returns_to_the_page(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/formulas/new",
        {"name": "Value", "expression": "(reach * impact) / effort + 2 * votes"},
    )
    assert response["Location"] == page(world) + "#formulas"
    assert PriorityFormula.objects.get().expression == "(reach * impact) / effort + 2 * votes"


def test_the_formula_form_lists_the_allowed_fields(world: World) -> None:
    text = signed_in(world).get(f"/products/{world.product.pk}/formulas/new", **HTMX).text
    assert "reach, impact, confidence, effort" in text and "votes" in text


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("reach * revenue", "Column 9: unknown field &#x27;revenue&#x27;"),
        ("reach * (impact", "Column 16:"),
        ("reach +", "Column 8:"),
    ],
)
def test_a_bad_formula_is_shown_with_its_column_next_to_the_expression(
    world: World, expression: str, message: str
) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/formulas/new",
        {"name": "Value", "expression": expression},
        **HTMX,
    )
    assert response.status_code == 200
    assert error_next_to(response.text, "new-formula-expression").startswith(message)
    assert not PriorityFormula.objects.exists()


def test_the_page_and_the_api_refuse_a_formula_with_the_same_sentence(
    world: World, pm_api: Api
) -> None:
    api = pm_api.post(
        f"/products/{world.product.pk}/formulas", {"name": "V", "expression": "reach * revenue"}
    )
    message = api.json()["errors"][0]["message"]
    html = signed_in(world).post(
        f"/products/{world.product.pk}/formulas/new",
        {"name": "V", "expression": "reach * revenue"},
    )
    assert message.startswith("Column 9:")
    assert message.replace("'", "&#x27;") in html.text


def test_editing_a_formula_changes_its_expression(world: World) -> None:
    value = formula(world)
    response = signed_in(world).post(
        f"/formulas/{value.pk}/edit",
        {"name": "Value", "expression": "reach * impact / effort", "version": str(value.version)},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#formulas"
    value.refresh_from_db()
    assert (value.expression, value.version) == ("reach * impact / effort", 2)


def test_a_stale_formula_edit_is_refused_and_overwrites_nothing(world: World) -> None:
    value = formula(world)
    loaded = {"name": "Value", "version": str(value.version)}
    client = signed_in(world)
    client.post(f"/formulas/{value.pk}/edit", loaded | {"expression": "reach"})
    response = client.post(f"/formulas/{value.pk}/edit", loaded | {"expression": "ease"})
    assert "Someone else changed this since you opened it." in response.text
    value.refresh_from_db()
    assert value.expression == "reach"


def test_deleting_a_formula(world: World) -> None:
    value = formula(world)
    response = signed_in(world).post(f"/formulas/{value.pk}/delete")
    assert response["Location"] == page(world) + "#formulas"
    assert not PriorityFormula.objects.exists()


# --- Rating a feature on its page -----------------------------------------------------------------


def feature(world: World) -> Feature:
    return Feature.objects.create(product=world.product, title="Ask")


def rate_url(ask: Feature, fit: Scorecard) -> str:
    return f"/features/{ask.pk}/scorecards/{fit.pk}/rate"


def ratings(fit: Scorecard, strategy: str, demand: str) -> dict[str, str]:
    return {f"card-{fit.pk}-c0": strategy, f"card-{fit.pk}-c1": demand}


def test_the_feature_page_offers_each_scorecard_to_rate(world: World) -> None:
    ask, fit = feature(world), card(world)
    text = signed_in(world).get(f"/features/{ask.pk}/").text
    assert 'id="scorecards"' in text and "Not rated" in text
    assert f'action="{rate_url(ask, fit)}"' in text
    assert f'<label for="id_card-{fit.pk}-c0">strategy</label>' in text
    assert "1–10, weight 3" in text


def test_rating_a_feature_stores_it_and_shows_the_score_and_its_explanation(world: World) -> None:
    ask, fit = feature(world), card(world)
    client = signed_in(world)
    response = client.post(rate_url(ask, fit), ratings(fit, "8", "4"))
    assert response["Location"] == f"/features/{ask.pk}/"
    stored = ScorecardRating.objects.get(scorecard=fit, feature=ask)
    assert stored.ratings == {"strategy": 8.0, "demand": 4.0}
    text = client.get(f"/features/{ask.pk}/").text
    assert "Weighted score 7 = (3 × strategy 8 + 1 × demand 4) ÷ 4" in text
    assert f'name="card-{fit.pk}-c0" value="8"' in text


def test_rating_again_over_htmx_replaces_the_ratings_and_answers_with_the_section(
    world: World,
) -> None:
    ask, fit = feature(world), card(world)
    client = signed_in(world)
    client.post(rate_url(ask, fit), ratings(fit, "8", "4"))
    response = client.post(rate_url(ask, fit), ratings(fit, "2", "2"), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="scorecards"' in response.text
    assert "Weighted score 2 =" in response.text
    assert ScorecardRating.objects.get().ratings == {"strategy": 2.0, "demand": 2.0}


@pytest.mark.parametrize(
    ("strategy", "demand", "message"),
    [
        ("11", "4", "The rating of &#x27;strategy&#x27; must be between 1 and 10; got 11."),
        ("8", "", "Rate &#x27;demand&#x27; to complete the scorecard."),
    ],
)
def test_a_bad_rating_is_shown_next_to_its_criterion(
    world: World, strategy: str, demand: str, message: str
) -> None:
    ask, fit = feature(world), card(world)
    client = signed_in(world)
    htmx = client.post(rate_url(ask, fit), ratings(fit, strategy, demand), **HTMX)
    assert htmx.status_code == 200 and message in htmx.text
    page_answer = client.post(rate_url(ask, fit), ratings(fit, strategy, demand))
    assert page_answer.status_code == 422
    assert "<html" in page_answer.text and message in page_answer.text
    assert not ScorecardRating.objects.exists()


def test_ratings_from_before_the_criteria_changed_say_what_is_missing(world: World) -> None:
    ask, fit = feature(world), card(world)
    ScorecardRating.objects.create(scorecard=fit, feature=ask, ratings={"strategy": 5})
    text = signed_in(world, "viewer").get(f"/features/{ask.pk}/").text
    assert "Incomplete" in text and "Rate &#x27;demand&#x27; to complete the scorecard." in text


def test_a_viewer_sees_ratings_but_cannot_rate(world: World) -> None:
    ask, fit = feature(world), card(world)
    ScorecardRating.objects.create(scorecard=fit, feature=ask, ratings={"strategy": 8, "demand": 4})
    client = signed_in(world, "viewer")
    text = client.get(f"/features/{ask.pk}/").text
    assert "Weighted score 7" in text and "<dt>strategy</dt><dd>8</dd>" in text
    assert rate_url(ask, fit) not in text
    assert client.post(rate_url(ask, fit), ratings(fit, "1", "1")).status_code == 403
    assert ScorecardRating.objects.get().ratings == {"strategy": 8, "demand": 4}


def test_an_outsider_cannot_rate(world: World) -> None:
    ask, fit = feature(world), card(world)
    response = signed_in(world, "outsider").post(rate_url(ask, fit), ratings(fit, "1", "1"))
    assert response.status_code == 404
    assert not ScorecardRating.objects.exists()


def test_another_products_scorecard_cannot_rate_this_feature(world: World) -> None:
    ask = feature(world)
    elsewhere = Scorecard.objects.create(
        product=world.other_product, name="Theirs", criteria=CRITERIA
    )
    response = signed_in(world).post(rate_url(ask, elsewhere), ratings(elsewhere, "1", "1"))
    assert response.status_code == 404
    assert not ScorecardRating.objects.exists()


def test_the_feature_page_queries_do_not_grow_with_scorecards(world: World) -> None:
    ask = feature(world)
    client = signed_in(world)

    def add(n: int) -> None:
        start = Scorecard.objects.count()
        for i in range(start, start + n):
            ScorecardRating.objects.create(
                scorecard=card(world, f"Card {i}"),
                feature=ask,
                ratings={"strategy": 5, "demand": 5},
            )

    few, many = flat(lambda: client.get(f"/features/{ask.pk}/"), add)
    assert few == many
