"""Prioritization frameworks as pure functions over plain numbers.

Every framework of DESIGN.md §1 "Prioritization" is one function here. Each validates its inputs,
raising :class:`ScoringInputError` with the offending field and a sentence that says what to fix,
and returns a :class:`Score` that carries the number, an optional category label, and an
explanation in words and numbers ("RICE 160 = reach 400 × impact 1 × confidence 0.8 ÷ effort 2").

Scores are absolute: a feature's score depends on its own inputs only and is never rescaled
against the other items of a backlog, so a score shown today still means the same tomorrow.
In every framework a higher ``value`` ranks earlier in the backlog.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

RICE_IMPACTS: Final[Mapping[float, str]] = {
    3.0: "massive",
    2.0: "high",
    1.0: "medium",
    0.5: "low",
    0.25: "minimal",
}
"""The RICE impact scale: each allowed value and its name."""

MODIFIED_FIBONACCI: Final[tuple[int, ...]] = (1, 2, 3, 5, 8, 13, 20)
"""The scale of every WSJF input."""

MATRIX_MIDPOINT: Final[float] = 5.5
"""The middle of the 1–10 scale of the 2×2 matrices.

A rating at or above it counts as high, below it as low: with whole-number ratings, 1–5 are low and
6–10 are high, so each half of the scale holds five values.
"""

MOSCOW_WEIGHTS: Final[Mapping[str, int]] = {"must": 3, "should": 2, "could": 1, "wont": 0}
"""Ordering weight of each MoSCoW category (``wont`` is "won't have this time")."""

KANO_CATEGORIES: Final[Mapping[str, int | None]] = {
    "must_be": 4,
    "performance": 3,
    "attractive": 2,
    "indifferent": 1,
    "reverse": 0,
    "questionable": None,
}
"""Ordering weight of each Kano category; a questionable answer carries no signal, so no score."""

EISENHOWER_ACTIONS: Final[Mapping[str, int]] = {
    "do": 4,
    "schedule": 3,
    "delegate": 2,
    "eliminate": 1,
}
"""Ordering weight of each Eisenhower action."""

MAX_CRITERION_NAME: Final[int] = 80
"""Longest name of a scorecard criterion, in characters."""

_KANO_ANSWERS: Final[tuple[str, ...]] = ("like", "expect", "neutral", "tolerate", "dislike")
_KANO_ANSWER_SYNONYMS: Final[Mapping[str, str]] = {
    "must_be": "expect",
    "must-be": "expect",
    "must be": "expect",
    "live_with": "tolerate",
    "live-with": "tolerate",
    "live with": "tolerate",
}
# The standard Kano evaluation table (Berger et al., 1993): rows are the answer to the functional
# question ("if the product has this…"), columns the answer to the dysfunctional one ("…and if it
# does not?"), both in the order of _KANO_ANSWERS.
_KANO_TABLE: Final[tuple[tuple[str, ...], ...]] = (
    ("questionable", "attractive", "attractive", "attractive", "performance"),
    ("reverse", "indifferent", "indifferent", "indifferent", "must_be"),
    ("reverse", "indifferent", "indifferent", "indifferent", "must_be"),
    ("reverse", "indifferent", "indifferent", "indifferent", "must_be"),
    ("reverse", "reverse", "reverse", "reverse", "questionable"),
)
# When a survey splits evenly, the category with the larger effect on satisfaction wins
# (Berger's "M > O > A > I" rule), then the categories that signal a problem.
_KANO_TIE_ORDER: Final[tuple[str, ...]] = (
    "must_be",
    "performance",
    "attractive",
    "indifferent",
    "reverse",
    "questionable",
)


class ScoringInputError(ValueError):
    """An input to a scoring framework is missing, of the wrong type, or off its scale.

    ``field`` names the input (the API reports it in problem+json) and ``message`` is a sentence
    saying what to fix.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Score:
    """The result of one framework for one item.

    ``value`` orders the backlog (higher first) and is ``None`` when the framework gives no number
    (a questionable Kano answer). ``label`` is the category of the matrix frameworks (for example
    ``"quick_win"``), ``explanation`` says how the score came about, and ``inputs`` holds the
    validated inputs as plain data.
    """

    value: float | None
    label: str | None
    explanation: str
    inputs: dict[str, object]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion of a team's weighted scorecard: its weight and the range of its ratings."""

    name: str
    weight: float
    low: float = 1.0
    high: float = 10.0


def format_number(number: float, places: int = 2) -> str:
    """Write a number for people: at most ``places`` decimals and no trailing ``.0`` noise.

    ``format_number(160.0)`` is ``"160"``, ``format_number(2 / 3)`` is ``"0.67"``; a tiny non-zero
    number keeps three significant digits rather than collapsing to ``"0"``.
    """
    if math.isnan(number):
        return "undefined"
    if math.isinf(number):
        return "infinite" if number > 0 else "minus infinite"
    text = f"{number:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        return "0" if number == 0 else f"{number:.3g}"
    return text


def _describe(field: str) -> str:
    return field.replace("_", " ")


def _sentence_start(field: str) -> str:
    words = _describe(field)
    return words[:1].upper() + words[1:]


def _number(field: str, value: object, subject: str | None = None) -> float:
    """Return ``value`` as a finite float, or raise naming ``field``.

    ``subject`` starts the error sentence; it defaults to the field's name in words.
    """
    subject = subject or _sentence_start(field)
    # bool is an int subclass, but True as a reach or an effort is a caller's mistake.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoringInputError(field, f"{subject} must be a number; got {value!r}.")
    number = float(value)
    if not math.isfinite(number):
        raise ScoringInputError(field, f"{subject} must be a finite number; got {value!r}.")
    return number


def _in_range(
    field: str, value: object, low: float, high: float, subject: str | None = None
) -> float:
    subject = subject or _sentence_start(field)
    number = _number(field, value, subject)
    if not low <= number <= high:
        raise ScoringInputError(
            field,
            f"{subject} must be between {format_number(low)} and "
            f"{format_number(high)}; got {format_number(number)}.",
        )
    return number


def rice(reach: float, impact: float, confidence: float, effort: float) -> Score:
    """RICE = reach × impact × confidence ÷ effort.

    ``reach`` is people or events per period (≥ 0), ``impact`` one of 3, 2, 1, 0.5, 0.25,
    ``confidence`` a fraction in (0, 1] (1.0 high, 0.8 medium, 0.5 low) and ``effort`` in
    person-months (> 0).
    """
    reach_value = _number("reach", reach)
    if reach_value < 0:
        raise ScoringInputError(
            "reach",
            f"Reach must be zero or more (people or events per period); "
            f"got {format_number(reach_value)}.",
        )
    impact_value = _number("impact", impact)
    if impact_value not in RICE_IMPACTS:
        scale = ", ".join(f"{format_number(k)} ({name})" for k, name in RICE_IMPACTS.items())
        raise ScoringInputError(
            "impact", f"Impact must be one of {scale}; got {format_number(impact_value)}."
        )
    confidence_value = _number("confidence", confidence)
    if not 0 < confidence_value <= 1:
        hint = ""
        if 1 < confidence_value <= 100:
            hint = f" For {format_number(confidence_value)} % write {confidence_value / 100:g}."
        raise ScoringInputError(
            "confidence",
            "Confidence must be a fraction greater than 0 and at most 1 (1.0 high, 0.8 medium, "
            f"0.5 low); got {format_number(confidence_value)}.{hint}",
        )
    effort_value = _number("effort", effort)
    if effort_value <= 0:
        raise ScoringInputError(
            "effort",
            f"Effort must be more than 0 person-months; got {format_number(effort_value)}.",
        )
    value = reach_value * impact_value * confidence_value / effort_value
    return Score(
        value=value,
        label=None,
        explanation=(
            f"RICE {format_number(value)} = reach {format_number(reach_value)}"
            f" × impact {format_number(impact_value)}"
            f" × confidence {format_number(confidence_value)}"
            f" ÷ effort {format_number(effort_value)}"
        ),
        inputs={
            "reach": reach_value,
            "impact": impact_value,
            "confidence": confidence_value,
            "effort": effort_value,
        },
    )


def ice(impact: float, confidence: float, ease: float) -> Score:
    """ICE = impact × confidence × ease, each rated from 1 to 10."""
    impact_value = _in_range("impact", impact, 1, 10)
    confidence_value = _in_range("confidence", confidence, 1, 10)
    ease_value = _in_range("ease", ease, 1, 10)
    value = impact_value * confidence_value * ease_value
    return Score(
        value=value,
        label=None,
        explanation=(
            f"ICE {format_number(value)} = impact {format_number(impact_value)}"
            f" × confidence {format_number(confidence_value)}"
            f" × ease {format_number(ease_value)}"
        ),
        inputs={"impact": impact_value, "confidence": confidence_value, "ease": ease_value},
    )


def _fibonacci(field: str, value: object) -> float:
    number = _number(field, value)
    if number not in MODIFIED_FIBONACCI:
        scale = ", ".join(str(step) for step in MODIFIED_FIBONACCI)
        raise ScoringInputError(
            field,
            f"{_sentence_start(field)} must be on the modified Fibonacci scale {scale}; "
            f"got {format_number(number)}.",
        )
    return number


def wsjf(
    business_value: float, time_criticality: float, risk_reduction: float, job_size: float
) -> Score:
    """WSJF = cost of delay ÷ job size, where cost of delay = business value + time criticality
    + risk reduction (or opportunity enablement); every input on the modified Fibonacci scale."""
    business = _fibonacci("business_value", business_value)
    criticality = _fibonacci("time_criticality", time_criticality)
    risk = _fibonacci("risk_reduction", risk_reduction)
    size = _fibonacci("job_size", job_size)
    cost_of_delay = business + criticality + risk
    value = cost_of_delay / size
    return Score(
        value=value,
        label=None,
        explanation=(
            f"WSJF {format_number(value)} = (business value {format_number(business)}"
            f" + time criticality {format_number(criticality)}"
            f" + risk reduction {format_number(risk)}) ÷ job size {format_number(size)}"
        ),
        inputs={
            "business_value": business,
            "time_criticality": criticality,
            "risk_reduction": risk,
            "job_size": size,
            "cost_of_delay": cost_of_delay,
        },
    )


def _level(number: float) -> str:
    return "high" if number >= MATRIX_MIDPOINT else "low"


_VALUE_EFFORT_QUADRANTS: Final[Mapping[tuple[str, str], tuple[str, str]]] = {
    ("high", "low"): ("quick_win", "Quick win"),
    ("high", "high"): ("big_bet", "Big bet"),
    ("low", "low"): ("fill_in", "Fill-in"),
    ("low", "high"): ("time_sink", "Time sink"),
}


def value_effort(value: float, effort: float) -> Score:
    """Place an item on the Value / Effort 2×2 matrix; both ratings from 1 to 10.

    The quadrant (``quick_win``, ``big_bet``, ``fill_in``, ``time_sink``) uses
    :data:`MATRIX_MIDPOINT`; the score that orders items within the backlog is value ÷ effort.
    """
    value_rating = _in_range("value", value, 1, 10)
    effort_rating = _in_range("effort", effort, 1, 10)
    value_level, effort_level = _level(value_rating), _level(effort_rating)
    label, name = _VALUE_EFFORT_QUADRANTS[(value_level, effort_level)]
    ratio = value_rating / effort_rating
    return Score(
        value=ratio,
        label=label,
        explanation=(
            f"{name}: value {format_number(value_rating)} is {value_level} and effort "
            f"{format_number(effort_rating)} is {effort_level} (high means "
            f"{format_number(MATRIX_MIDPOINT)} or more on the 1–10 scale); "
            f"value ÷ effort = {format_number(ratio)}"
        ),
        inputs={"value": value_rating, "effort": effort_rating},
    )


# Mike Cohn's value / risk matrix: risky, valuable work goes first, so that what is learnt from it
# can still change the plan; risky work of little value is avoided.
VALUE_RISK_QUADRANTS: Final[Mapping[tuple[str, str], tuple[str, str, int]]] = {
    ("high", "high"): ("do_first", "Do first", 4),
    ("high", "low"): ("do_second", "Do second", 3),
    ("low", "low"): ("do_last", "Do last", 2),
    ("low", "high"): ("avoid", "Avoid", 1),
}
"""(value level, risk level) → (label, name, ordering weight) of each Value / Risk quadrant."""


def value_risk(value: float, risk: float) -> Score:
    """Place an item on the Value / Risk 2×2 matrix; both ratings from 1 to 10.

    High value and high risk: do first (learn early); high value, low risk: do second; low value,
    low risk: do last; low value, high risk: avoid. The score is the quadrant's ordering weight
    (4 to 1).
    """
    value_rating = _in_range("value", value, 1, 10)
    risk_rating = _in_range("risk", risk, 1, 10)
    value_level, risk_level = _level(value_rating), _level(risk_rating)
    label, name, weight = VALUE_RISK_QUADRANTS[(value_level, risk_level)]
    return Score(
        value=float(weight),
        label=label,
        explanation=(
            f"{name}: value {format_number(value_rating)} is {value_level} and risk "
            f"{format_number(risk_rating)} is {risk_level} (high means "
            f"{format_number(MATRIX_MIDPOINT)} or more on the 1–10 scale)"
        ),
        inputs={"value": value_rating, "risk": risk_rating},
    )


def _flag(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ScoringInputError(
            field, f"{_sentence_start(field)} must be true or false; got {value!r}."
        )
    return value


def eisenhower(urgent: bool, important: bool) -> Score:
    """The Eisenhower matrix: urgent and important → do; important only → schedule;
    urgent only → delegate; neither → eliminate."""
    is_urgent = _flag("urgent", urgent)
    is_important = _flag("important", important)
    if is_important:
        action = "do" if is_urgent else "schedule"
    else:
        action = "delegate" if is_urgent else "eliminate"
    urgency = "urgent" if is_urgent else "not urgent"
    importance = "important" if is_important else "not important"
    return Score(
        value=float(EISENHOWER_ACTIONS[action]),
        label=action,
        explanation=f"{action.capitalize()}: {urgency} and {importance}",
        inputs={"urgent": is_urgent, "important": is_important},
    )


_MOSCOW_NAMES: Final[Mapping[str, str]] = {
    "must": "Must have",
    "should": "Should have",
    "could": "Could have",
    "wont": "Won't have (this time)",
}


def moscow(category: str) -> Score:
    """MoSCoW: ``must``, ``should``, ``could`` or ``wont`` (also "won't", "Must have", …),
    scored by its ordering weight (3 to 0)."""
    if not isinstance(category, str):
        raise ScoringInputError("moscow", f"MoSCoW must be a word; got {category!r}.")
    key = category.strip().lower().replace("'", "").replace("’", "")
    key = key.removesuffix(" have").removesuffix("_have").strip()
    if key not in MOSCOW_WEIGHTS:
        raise ScoringInputError(
            "moscow", f"MoSCoW must be one of must, should, could, won't; got {category!r}."
        )
    weight = MOSCOW_WEIGHTS[key]
    return Score(
        value=float(weight),
        label=key,
        explanation=f"MoSCoW: {_MOSCOW_NAMES[key]} (weight {weight})",
        inputs={"moscow": key},
    )


def _kano_score(category: str, explanation: str, inputs: dict[str, object]) -> Score:
    weight = KANO_CATEGORIES[category]
    return Score(
        value=None if weight is None else float(weight),
        label=category,
        explanation=explanation,
        inputs=inputs,
    )


def _kano_answer(field: str, answer: object) -> str:
    if not isinstance(answer, str):
        raise ScoringInputError(field, f"The {_describe(field)} answer must be a word.")
    key = answer.strip().lower()
    key = _KANO_ANSWER_SYNONYMS.get(key, key)
    if key not in _KANO_ANSWERS:
        raise ScoringInputError(
            field,
            f"The {_describe(field)} answer must be one of like, expect, neutral, tolerate, "
            f"dislike; got {answer!r}.",
        )
    return key


def _classify(functional: str, dysfunctional: str) -> str:
    return _KANO_TABLE[_KANO_ANSWERS.index(functional)][_KANO_ANSWERS.index(dysfunctional)]


def _kano_name(category: str) -> str:
    return category.replace("_", "-")


def kano(category: str) -> Score:
    """Score an already chosen Kano category (``must_be``, ``performance``, ``attractive``,
    ``indifferent``, ``reverse`` or ``questionable``)."""
    key = category.strip().lower().replace("-", "_") if isinstance(category, str) else None
    if key is None or key not in KANO_CATEGORIES:
        names = ", ".join(KANO_CATEGORIES)
        raise ScoringInputError("kano", f"Kano must be one of {names}; got {category!r}.")
    return _kano_score(key, f"Kano: {_kano_name(key)}", {"kano": key})


def kano_from_answers(functional: str, dysfunctional: str) -> Score:
    """Classify one respondent's answers with the Kano evaluation table.

    Each answer is ``like``, ``expect`` (must-be), ``neutral``, ``tolerate`` (live with) or
    ``dislike``: ``functional`` to "how do you feel if the product has this?", ``dysfunctional``
    to "…if it does not?".
    """
    functional_answer = _kano_answer("functional", functional)
    dysfunctional_answer = _kano_answer("dysfunctional", dysfunctional)
    category = _classify(functional_answer, dysfunctional_answer)
    return _kano_score(
        category,
        f"Kano {_kano_name(category)}: '{functional_answer}' if present, "
        f"'{dysfunctional_answer}' if absent",
        {"functional": functional_answer, "dysfunctional": dysfunctional_answer},
    )


def kano_from_survey(responses: Iterable[tuple[str, str]]) -> Score:
    """Classify a survey: each (functional, dysfunctional) pair by the evaluation table, the
    feature by the most frequent category (ties: must-be > performance > attractive >
    indifferent > reverse > questionable).

    The explanation also gives the customer-satisfaction coefficients: better = (A + P) ÷
    (A + P + M + I) and worse = −(P + M) ÷ (A + P + M + I).
    """
    counts: Counter[str] = Counter()
    for index, pair in enumerate(responses):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ScoringInputError(
                f"responses[{index}]",
                f"Response {index + 1} must be a pair of answers (functional, dysfunctional).",
            )
        functional = _kano_answer(f"responses[{index}].functional", pair[0])
        dysfunctional = _kano_answer(f"responses[{index}].dysfunctional", pair[1])
        counts[_classify(functional, dysfunctional)] += 1
    total = sum(counts.values())
    if total == 0:
        raise ScoringInputError("responses", "Add at least one survey response.")
    category = max(_KANO_TIE_ORDER, key=lambda name: (counts[name], -_KANO_TIE_ORDER.index(name)))
    spread = ", ".join(
        f"{_kano_name(name)} {counts[name]}" for name in _KANO_TIE_ORDER if counts[name]
    )
    explanation = f"Kano {_kano_name(category)}: {counts[category]} of {total} responses ({spread})"
    inputs: dict[str, object] = {"counts": {name: counts[name] for name in _KANO_TIE_ORDER}}
    rated = counts["attractive"] + counts["performance"] + counts["must_be"] + counts["indifferent"]
    if rated:
        better = (counts["attractive"] + counts["performance"]) / rated
        worse = -(counts["performance"] + counts["must_be"]) / rated
        explanation += f"; better {format_number(better)}, worse {format_number(worse)}"
        inputs["better"] = better
        inputs["worse"] = worse
    return _kano_score(category, explanation, inputs)


def validate_criteria(criteria: Sequence[Criterion]) -> None:
    """Refuse a scorecard definition that cannot score: no criteria, a blank, long or repeated
    name, a negative weight, an empty range, or all weights 0."""
    if not criteria:
        raise ScoringInputError("criteria", "Define at least one criterion for the scorecard.")
    seen: set[str] = set()
    for criterion in criteria:
        name = criterion.name
        if not isinstance(name, str) or not name.strip():
            raise ScoringInputError("criteria", "Every criterion needs a name.")
        if len(name) > MAX_CRITERION_NAME:
            raise ScoringInputError(
                "criteria",
                f"Criterion names are at most {MAX_CRITERION_NAME} characters; "
                f"'{name[:20]}…' has {len(name)}.",
            )
        if name in seen:
            raise ScoringInputError(
                f"criteria.{name}", f"Criterion '{name}' appears twice; give each a unique name."
            )
        seen.add(name)
        weight = _number(f"criteria.{name}.weight", criterion.weight, f"The weight of '{name}'")
        if weight < 0:
            raise ScoringInputError(
                f"criteria.{name}.weight",
                f"The weight of '{name}' must be zero or more; got {format_number(weight)}.",
            )
        low = _number(f"criteria.{name}.low", criterion.low, f"The low end of '{name}'")
        high = _number(f"criteria.{name}.high", criterion.high, f"The high end of '{name}'")
        if low >= high:
            raise ScoringInputError(
                f"criteria.{name}.high",
                f"The range of '{name}' must have its low end below its high end; "
                f"got {format_number(low)} to {format_number(high)}.",
            )
    if all(criterion.weight == 0 for criterion in criteria):
        raise ScoringInputError(
            "criteria", "At least one criterion needs a weight above 0; all weights are 0."
        )


def weighted_scorecard(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> Score:
    """A team's weighted scorecard: Σ wᵢ·sᵢ ÷ Σ wᵢ over its criteria.

    Each criterion declares its weight (≥ 0, not all zero) and the range of its ratings; ``scores``
    maps every criterion's name to a rating inside that range.
    """
    validate_criteria(criteria)
    value, ratings, total_weight = _weighted(criteria, scores)
    terms = " + ".join(
        f"{format_number(criterion.weight)} × {criterion.name} "
        f"{format_number(ratings[criterion.name])}"
        for criterion in criteria
    )
    return Score(
        value=value,
        label=None,
        explanation=(
            f"Weighted score {format_number(value)} = ({terms}) ÷ {format_number(total_weight)}"
        ),
        inputs={
            "weights": {criterion.name: float(criterion.weight) for criterion in criteria},
            "scores": ratings,
        },
    )


def scorecard_value(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float | None:
    """``weighted_scorecard(criteria, scores).value`` without the explanation, or None where
    that raises: for ranking thousands of features on criteria already checked."""
    try:
        return _weighted(criteria, scores)[0]
    except ScoringInputError:
        return None


def _weighted(
    criteria: Sequence[Criterion], scores: Mapping[str, float]
) -> tuple[float, dict[str, float], float]:
    """The weighted score, the ratings checked against their ranges, and the total weight."""
    names = {criterion.name for criterion in criteria}
    for name in scores:
        if name not in names:
            known = ", ".join(sorted(names))
            raise ScoringInputError(
                f"scores.{name}", f"'{name}' is not a criterion of this scorecard ({known})."
            )
    ratings: dict[str, float] = {}
    for criterion in criteria:
        if criterion.name not in scores:
            raise ScoringInputError(
                f"scores.{criterion.name}", f"Rate '{criterion.name}' to complete the scorecard."
            )
        ratings[criterion.name] = _in_range(
            f"scores.{criterion.name}",
            scores[criterion.name],
            criterion.low,
            criterion.high,
            f"The rating of '{criterion.name}'",
        )
    total_weight = sum(float(criterion.weight) for criterion in criteria)
    # Normalise the weights first: w·s ÷ Σw loses everything to rounding for tiny (subnormal)
    # weights, while (w ÷ Σw)·s keeps the result between the lowest and highest rating.
    value = sum(
        float(criterion.weight) / total_weight * ratings[criterion.name] for criterion in criteria
    )
    value = min(max(value, min(ratings.values())), max(ratings.values()))
    return value, ratings, total_weight
