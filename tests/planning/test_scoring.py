"""Tests of the prioritization frameworks in headway.planning.scoring."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.planning.scoring import (
    MODIFIED_FIBONACCI,
    RICE_IMPACTS,
    Criterion,
    Score,
    ScoringInputError,
    eisenhower,
    format_number,
    ice,
    kano,
    kano_from_answers,
    kano_from_survey,
    moscow,
    rice,
    value_effort,
    value_risk,
    weighted_scorecard,
    wsjf,
)

CARD = [Criterion("fit", 3), Criterion("revenue", 2), Criterion("ease", 1)]


def refused(call: Callable[[], object], field: str) -> ScoringInputError:
    """Run ``call``, expecting it to refuse the input named ``field`` with a full sentence."""
    with pytest.raises(ScoringInputError) as caught:
        call()
    assert caught.value.field == field
    assert caught.value.message.endswith((".", "?")), caught.value.message
    return caught.value


# --- explanations --------------------------------------------------------------------------


def test_rice_explains_itself_in_words_and_numbers() -> None:
    score = rice(400, 1, 0.8, 2)
    assert score.value == pytest.approx(160)
    assert score.explanation == "RICE 160 = reach 400 × impact 1 × confidence 0.8 ÷ effort 2"


def test_rice_keeps_the_validated_inputs() -> None:
    assert rice(400, 1, 0.8, 2).inputs == {
        "reach": 400.0,
        "impact": 1.0,
        "confidence": 0.8,
        "effort": 2.0,
    }


def test_rice_explanation_rounds_long_fractions_to_two_places() -> None:
    assert rice(100, 0.25, 0.5, 3).explanation == (
        "RICE 4.17 = reach 100 × impact 0.25 × confidence 0.5 ÷ effort 3"
    )


def test_ice_multiplies_its_three_ratings() -> None:
    score = ice(8, 7, 6)
    assert score.value == 336
    assert score.explanation == "ICE 336 = impact 8 × confidence 7 × ease 6"


def test_wsjf_divides_cost_of_delay_by_job_size() -> None:
    score = wsjf(8, 5, 3, 5)
    assert score.value == pytest.approx(3.2)
    assert score.inputs["cost_of_delay"] == 16
    assert score.explanation == (
        "WSJF 3.2 = (business value 8 + time criticality 5 + risk reduction 3) ÷ job size 5"
    )


@pytest.mark.parametrize(
    ("value", "effort", "label"),
    [(8, 3, "quick_win"), (8, 8, "big_bet"), (3, 3, "fill_in"), (3, 8, "time_sink")],
)
def test_value_effort_places_each_quadrant(value: int, effort: int, label: str) -> None:
    assert value_effort(value, effort).label == label


def test_value_effort_midpoint_splits_the_scale_into_five_low_and_five_high() -> None:
    assert value_effort(5, 5).label == "fill_in" and value_effort(6, 6).label == "big_bet"


def test_value_effort_counts_the_midpoint_itself_as_high() -> None:
    assert value_effort(5.5, 5.5).label == "big_bet"


def test_value_effort_orders_by_value_over_effort_and_says_why() -> None:
    score = value_effort(8, 3)
    assert score.value == pytest.approx(8 / 3)
    assert score.explanation.startswith("Quick win: value 8 is high and effort 3 is low")
    assert score.explanation.endswith("value ÷ effort = 2.67")


@pytest.mark.parametrize(
    ("value", "risk", "label", "weight"),
    [(8, 8, "do_first", 4), (8, 2, "do_second", 3), (2, 2, "do_last", 2), (2, 8, "avoid", 1)],
)
def test_value_risk_places_each_quadrant(value: int, risk: int, label: str, weight: int) -> None:
    score = value_risk(value, risk)
    assert (score.label, score.value) == (label, weight)


@pytest.mark.parametrize(
    ("urgent", "important", "action"),
    [
        (True, True, "do"),
        (False, True, "schedule"),
        (True, False, "delegate"),
        (False, False, "eliminate"),
    ],
)
def test_eisenhower_maps_urgency_and_importance_to_an_action(
    urgent: bool, important: bool, action: str
) -> None:
    assert eisenhower(urgent, important).label == action


def test_eisenhower_explains_both_axes() -> None:
    assert eisenhower(True, False).explanation == "Delegate: urgent and not important"


@pytest.mark.parametrize(
    ("written", "label", "weight"),
    [
        ("must", "must", 3),
        ("Should have", "should", 2),
        ("could", "could", 1),
        ("won't", "wont", 0),
    ],
)
def test_moscow_accepts_the_usual_spellings(written: str, label: str, weight: int) -> None:
    score = moscow(written)
    assert (score.label, score.value) == (label, weight)


@pytest.mark.parametrize(
    ("functional", "dysfunctional", "category"),
    [
        ("like", "dislike", "performance"),
        ("like", "neutral", "attractive"),
        ("like", "expect", "attractive"),
        ("expect", "dislike", "must_be"),
        ("neutral", "dislike", "must_be"),
        ("tolerate", "dislike", "must_be"),
        ("neutral", "neutral", "indifferent"),
        ("tolerate", "expect", "indifferent"),
        ("dislike", "like", "reverse"),
        ("neutral", "like", "reverse"),
        ("like", "like", "questionable"),
        ("dislike", "dislike", "questionable"),
    ],
)
def test_kano_answers_follow_the_evaluation_table(
    functional: str, dysfunctional: str, category: str
) -> None:
    assert kano_from_answers(functional, dysfunctional).label == category


def test_kano_accepts_must_be_and_live_with_as_answer_names() -> None:
    assert kano_from_answers("Live with", "must-be").label == "indifferent"


def test_kano_questionable_answer_has_no_score() -> None:
    assert kano_from_answers("like", "like").value is None


def test_kano_explains_the_answers() -> None:
    assert kano_from_answers("like", "dislike").explanation == (
        "Kano performance: 'like' if present, 'dislike' if absent"
    )


def test_kano_survey_takes_the_most_frequent_category() -> None:
    responses = [("like", "neutral")] * 3 + [("like", "dislike")] * 2 + [("neutral", "neutral")]
    score = kano_from_survey(responses)
    assert score.label == "attractive"
    assert score.explanation.startswith(
        "Kano attractive: 3 of 6 responses (performance 2, attractive 3, indifferent 1)"
    )


def test_kano_survey_tie_goes_to_the_category_with_more_effect_on_satisfaction() -> None:
    responses = [("like", "neutral"), ("expect", "dislike")]
    assert kano_from_survey(responses).label == "must_be"


def test_kano_survey_reports_better_and_worse_coefficients() -> None:
    responses = [("like", "neutral")] * 3 + [("like", "dislike")] * 2 + [("neutral", "neutral")]
    score = kano_from_survey(responses)
    assert score.inputs["better"] == pytest.approx(5 / 6)
    assert score.inputs["worse"] == pytest.approx(-2 / 6)
    assert score.explanation.endswith("better 0.83, worse -0.33")


def test_kano_scores_a_stored_category() -> None:
    assert kano("must-be").value == 4 and kano("performance").label == "performance"


def test_weighted_scorecard_is_the_weighted_mean() -> None:
    score = weighted_scorecard(CARD, {"fit": 8, "revenue": 5, "ease": 7})
    assert score.value == pytest.approx(41 / 6)
    assert score.explanation == (
        "Weighted score 6.83 = (3 × fit 8 + 2 × revenue 5 + 1 × ease 7) ÷ 6"
    )


def test_weighted_scorecard_ignores_criteria_of_zero_weight() -> None:
    card = [Criterion("fit", 1), Criterion("hype", 0)]
    assert weighted_scorecard(card, {"fit": 4, "hype": 10}).value == 4


def test_weighted_scorecard_uses_each_criterions_declared_range() -> None:
    card = [Criterion("revenue", 1, low=0, high=1_000_000)]
    assert weighted_scorecard(card, {"revenue": 250_000}).value == 250_000


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (160.0, "160"),
        (0.8, "0.8"),
        (2 / 3, "0.67"),
        (-0.0, "0"),
        (0.0004, "0.0004"),
        (1e-7, "1e-07"),
    ],
)
def test_format_number_drops_trailing_zero_noise(number: float, text: str) -> None:
    assert format_number(number) == text


# --- validation: one rule per test ---------------------------------------------------------


def test_rice_refuses_negative_reach() -> None:
    refused(lambda: rice(-1, 1, 0.8, 2), "reach")


def test_rice_refuses_reach_that_is_not_a_number() -> None:
    refused(lambda: rice("400", 1, 0.8, 2), "reach")  # type: ignore[arg-type]


def test_rice_refuses_true_as_a_reach() -> None:
    refused(lambda: rice(True, 1, 0.8, 2), "reach")


def test_rice_refuses_an_infinite_reach() -> None:
    refused(lambda: rice(math.inf, 1, 0.8, 2), "reach")


def test_rice_refuses_impact_off_the_scale() -> None:
    assert "3 (massive)" in refused(lambda: rice(400, 4, 0.8, 2), "impact").message


def test_rice_refuses_zero_confidence() -> None:
    refused(lambda: rice(400, 1, 0, 2), "confidence")


def test_rice_refuses_confidence_above_one_and_suggests_the_fraction() -> None:
    assert "For 80 % write 0.8." in refused(lambda: rice(400, 1, 80, 2), "confidence").message


def test_rice_refuses_zero_effort() -> None:
    refused(lambda: rice(400, 1, 0.8, 0), "effort")


def test_rice_refuses_negative_effort() -> None:
    refused(lambda: rice(400, 1, 0.8, -2), "effort")


def test_ice_refuses_impact_below_one() -> None:
    refused(lambda: ice(0, 5, 5), "impact")


def test_ice_refuses_confidence_above_ten() -> None:
    assert "between 1 and 10" in refused(lambda: ice(5, 11, 5), "confidence").message


def test_ice_refuses_ease_below_one() -> None:
    refused(lambda: ice(5, 5, 0.5), "ease")


def test_wsjf_refuses_business_value_off_the_fibonacci_scale() -> None:
    assert "1, 2, 3, 5, 8, 13, 20" in refused(lambda: wsjf(4, 1, 1, 1), "business_value").message


def test_wsjf_refuses_time_criticality_off_the_fibonacci_scale() -> None:
    refused(lambda: wsjf(1, 21, 1, 1), "time_criticality")


def test_wsjf_refuses_risk_reduction_off_the_fibonacci_scale() -> None:
    refused(lambda: wsjf(1, 1, 0, 1), "risk_reduction")


def test_wsjf_refuses_job_size_off_the_fibonacci_scale() -> None:
    refused(lambda: wsjf(1, 1, 1, 40), "job_size")


def test_value_effort_refuses_value_below_one() -> None:
    refused(lambda: value_effort(0, 5), "value")


def test_value_effort_refuses_effort_above_ten() -> None:
    refused(lambda: value_effort(5, 11), "effort")


def test_value_risk_refuses_risk_above_ten() -> None:
    refused(lambda: value_risk(5, 11), "risk")


def test_eisenhower_refuses_a_word_for_urgent() -> None:
    refused(lambda: eisenhower("yes", True), "urgent")  # type: ignore[arg-type]


def test_eisenhower_refuses_a_number_for_important() -> None:
    refused(lambda: eisenhower(True, 1), "important")  # type: ignore[arg-type]


def test_moscow_refuses_an_unknown_category() -> None:
    refused(lambda: moscow("maybe"), "moscow")


def test_moscow_refuses_a_category_that_is_not_text() -> None:
    refused(lambda: moscow(3), "moscow")  # type: ignore[arg-type]


def test_kano_refuses_an_unknown_category() -> None:
    refused(lambda: kano("delighter"), "kano")


def test_kano_refuses_an_unknown_functional_answer() -> None:
    refused(lambda: kano_from_answers("love", "dislike"), "functional")


def test_kano_refuses_an_unknown_dysfunctional_answer() -> None:
    refused(lambda: kano_from_answers("like", "hate"), "dysfunctional")


def test_kano_survey_refuses_no_responses() -> None:
    refused(lambda: kano_from_survey([]), "responses")


def test_kano_survey_refuses_a_response_that_is_not_a_pair() -> None:
    refused(lambda: kano_from_survey([("like",)]), "responses[0]")  # type: ignore[list-item]


def test_kano_survey_names_the_response_with_a_bad_answer() -> None:
    refused(
        lambda: kano_from_survey([("like", "neutral"), ("x", "neutral")]), "responses[1].functional"
    )


def test_scorecard_refuses_no_criteria() -> None:
    refused(lambda: weighted_scorecard([], {}), "criteria")


def test_scorecard_refuses_a_criterion_without_a_name() -> None:
    refused(lambda: weighted_scorecard([Criterion(" ", 1)], {" ": 5}), "criteria")


def test_scorecard_refuses_a_criterion_name_longer_than_80_characters() -> None:
    refused(lambda: weighted_scorecard([Criterion("f" * 81, 1)], {"f" * 81: 5}), "criteria")


def test_scorecard_refuses_a_criterion_named_twice() -> None:
    refused(lambda: weighted_scorecard([Criterion("fit", 1)] * 2, {"fit": 5}), "criteria.fit")


def test_scorecard_refuses_a_negative_weight() -> None:
    refused(lambda: weighted_scorecard([Criterion("fit", -1)], {"fit": 5}), "criteria.fit.weight")


def test_scorecard_refuses_all_weights_zero() -> None:
    refused(lambda: weighted_scorecard([Criterion("fit", 0)], {"fit": 5}), "criteria")


def test_scorecard_refuses_a_range_whose_low_end_is_not_below_its_high_end() -> None:
    refused(
        lambda: weighted_scorecard([Criterion("fit", 1, 5, 5)], {"fit": 5}), "criteria.fit.high"
    )


def test_scorecard_refuses_a_missing_rating() -> None:
    assert (
        "Rate 'ease'"
        in refused(
            lambda: weighted_scorecard(CARD, {"fit": 1, "revenue": 1}), "scores.ease"
        ).message
    )


def test_scorecard_refuses_a_rating_outside_its_range() -> None:
    refused(lambda: weighted_scorecard(CARD, {"fit": 11, "revenue": 1, "ease": 1}), "scores.fit")


def test_scorecard_refuses_a_rating_for_an_unknown_criterion() -> None:
    refused(
        lambda: weighted_scorecard(CARD, {"fit": 1, "revenue": 1, "ease": 1, "luck": 9}),
        "scores.luck",
    )


# --- properties ----------------------------------------------------------------------------

reaches = st.floats(min_value=0, max_value=1e9, allow_nan=False)
confidences = st.floats(min_value=1e-6, max_value=1, allow_nan=False)
efforts = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)
ratings = st.floats(min_value=1, max_value=10, allow_nan=False)
fibonacci = st.sampled_from(MODIFIED_FIBONACCI)


@settings(max_examples=100)
@given(reaches, st.sampled_from(sorted(RICE_IMPACTS)), confidences, efforts)
def test_rice_is_never_negative_and_is_its_formula(
    reach: float, impact: float, confidence: float, effort: float
) -> None:
    score = rice(reach, impact, confidence, effort)
    assert score.value is not None and score.value >= 0
    assert score.value == pytest.approx(reach * impact * confidence / effort)


@settings(max_examples=100)
@given(ratings, ratings, ratings)
def test_ice_stays_between_1_and_1000(impact: float, confidence: float, ease: float) -> None:
    value = ice(impact, confidence, ease).value
    assert value is not None and 1 <= value <= 1000


@settings(max_examples=100)
@given(fibonacci, fibonacci, fibonacci, fibonacci)
def test_wsjf_stays_between_its_extremes(a: int, b: int, c: int, size: int) -> None:
    value = wsjf(a, b, c, size).value
    assert value is not None and 3 / 20 <= value <= 60


@settings(max_examples=100)
@given(st.lists(st.tuples(st.floats(0, 100), ratings), min_size=1, max_size=6))
def test_weighted_score_lies_between_the_lowest_and_highest_weighted_rating(
    rows: list[tuple[float, float]],
) -> None:
    criteria = [Criterion(f"c{index}", weight) for index, (weight, _) in enumerate(rows)]
    given_ratings = {f"c{i}": rating for i, (_, rating) in enumerate(rows)}
    weighted = [rating for weight, rating in rows if weight > 0]
    if not weighted:
        refused(lambda: weighted_scorecard(criteria, given_ratings), "criteria")
        return
    score = weighted_scorecard(criteria, given_ratings)
    assert score.value is not None
    assert min(weighted) - 1e-9 <= score.value <= max(weighted) + 1e-9


@settings(max_examples=50)
@given(reaches, confidences, efforts)
def test_a_score_depends_only_on_its_own_inputs(
    reach: float, confidence: float, effort: float
) -> None:
    # Absolute scores: scoring other items first, in any number, changes nothing.
    alone = rice(reach, 1, confidence, effort)
    for other in range(1, 5):
        rice(other * 1000, 3, 1, 0.5)
    assert rice(reach, 1, confidence, effort) == alone


def test_score_is_immutable() -> None:
    score: Score = ice(1, 1, 1)
    with pytest.raises(AttributeError):
        score.value = 2  # type: ignore[misc]
