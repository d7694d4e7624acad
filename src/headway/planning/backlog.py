"""The ranked backlog: ordering by a framework or by hand, manual moves, the cut line, and the
team-defined scorecards and formulas.

RICE, ICE, WSJF, Value/Effort and manual order are read in ONE SQL statement per page: ordered by
the indexed score column (or rank key), NULLs last, with the total count as an uncorrelated
scalar subquery evaluated once. The frameworks without a score column (Value/Risk, Eisenhower,
MoSCoW, Kano, weighted scorecards, formulas) are computed in Python over every feature that
matches the filters (two or three queries, whatever the size), then sorted and sliced.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from headway.core import changes, clock
from headway.core.memo import RecentResults
from headway.planning import ranking, scoring
from headway.planning.estimate import cut_line
from headway.planning.formula import Formula, FormulaError, parse_formula
from headway.planning.models import Feature, PriorityFormula, Scorecard, ScorecardRating
from headway.planning.scoring import (
    KANO_CATEGORIES,
    MATRIX_MIDPOINT,
    MOSCOW_WEIGHTS,
    VALUE_RISK_QUADRANTS,
)
from headway.planning.services import GROUPS, SCORE_COLUMNS, framework_score, size_of
from headway.products.models import Product

#: Ranked on a stored score column, each with its index.
INDEXED = (*SCORE_COLUMNS, "manual")
#: Ranked on a category's weight that the database works out from the stored inputs.
WEIGHED = ("value_risk", "eisenhower", "moscow", "kano")
#: The team's own: a scorecard ranks on its ratings' stored scores, a formula in Python.
COMPUTED = ("scorecard", "formula")
FRAMEWORKS = (*INDEXED, *WEIGHED, *COMPUTED)

#: Columns a backlog row needs: title, rank, filters' fields and every framework's inputs.
ROW_FIELDS = (
    "id",
    "product_id",
    "title",
    "kind",
    "status",
    "rank",
    "team_id",
    "initiative_id",
    "release_id",
    "points",
    *(field for fields in GROUPS.values() for _, field in fields),
    "moscow",
    "kano",
    *SCORE_COLUMNS.values(),
)

#: The fields a formula may use, and where each comes from on a backlog row.
FORMULA_FIELDS: dict[str, Callable[[Any], object]] = {
    "reach": lambda f: f.rice_reach,
    "impact": lambda f: f.rice_impact,
    "confidence": lambda f: f.rice_confidence,
    "effort": lambda f: f.rice_effort,
    "ice_impact": lambda f: f.ice_impact,
    "ice_confidence": lambda f: f.ice_confidence,
    "ease": lambda f: f.ice_ease,
    "business_value": lambda f: f.wsjf_business_value,
    "time_criticality": lambda f: f.wsjf_time_criticality,
    "risk_reduction": lambda f: f.wsjf_risk_reduction,
    "job_size": lambda f: f.wsjf_job_size,
    "value": lambda f: f.value,
    "effort_rating": lambda f: f.effort,
    "risk": lambda f: f.risk,
    "urgent": lambda f: None if f.urgent is None else float(f.urgent),
    "important": lambda f: None if f.important is None else float(f.important),
    "points": lambda f: size_of(f),
    "rice": lambda f: f.rice_score,
    "ice": lambda f: f.ice_score,
    "wsjf": lambda f: f.wsjf_score,
    "moscow": lambda f: scoring.MOSCOW_WEIGHTS.get(f.moscow),
    "kano": lambda f: scoring.KANO_CATEGORIES.get(f.kano),
    "votes": lambda f: getattr(f, "votes", 0),
}
#: The columns each formula field reads (``votes`` is summed from the feature's ideas).
FORMULA_COLUMNS: dict[str, tuple[str, ...]] = {
    "reach": ("rice_reach",),
    "impact": ("rice_impact",),
    "confidence": ("rice_confidence",),
    "effort": ("rice_effort",),
    "ice_impact": ("ice_impact",),
    "ice_confidence": ("ice_confidence",),
    "ease": ("ice_ease",),
    "business_value": ("wsjf_business_value",),
    "time_criticality": ("wsjf_time_criticality",),
    "risk_reduction": ("wsjf_risk_reduction",),
    "job_size": ("wsjf_job_size",),
    "value": ("value",),
    "effort_rating": ("effort",),
    "risk": ("risk",),
    "urgent": ("urgent",),
    "important": ("important",),
    "points": ("points", "estimate_optimistic", "estimate_likely", "estimate_pessimistic"),
    "rice": ("rice_score",),
    "ice": ("ice_score",),
    "wsjf": ("wsjf_score",),
    "moscow": ("moscow",),
    "kano": ("kano",),
    "votes": (),
}


@dataclass(frozen=True)
class Filters:
    """What the backlog is narrowed to (the page's filter form and the API's query)."""

    kind: str | None = None
    team: int | None = None
    status: str | None = None
    initiative: int | None = None
    release: int | None = None
    q: str | None = None

    def apply(self, queryset: QuerySet[Feature]) -> QuerySet[Feature]:
        for name in ("kind", "status"):
            value = getattr(self, name)
            if value:
                queryset = queryset.filter(**{name: value})
        for name in ("team", "initiative", "release"):
            value = getattr(self, name)
            if value:
                queryset = queryset.filter(**{f"{name}_id": value})
        if self.q:
            queryset = queryset.filter(
                Q(title__icontains=self.q) | Q(description__icontains=self.q)
            )
        return queryset


@dataclass
class Row:
    """One backlog line: the feature and its score under the chosen framework."""

    feature: Feature
    score: float | None
    label: str | None
    explanation: str


def category_weight(framework: str) -> Case:
    """The ordering weight of a categorical framework as a database expression, built from the
    scoring module's own tables so that it always equals ``framework_score(…).value``; NULL
    where the inputs are missing or off their scale."""
    if framework == "moscow":
        whens = [When(moscow=key, then=Value(float(w))) for key, w in MOSCOW_WEIGHTS.items()]
    elif framework == "kano":
        whens = [
            When(kano=key, then=Value(float(w)))
            for key, w in KANO_CATEGORIES.items()
            if w is not None
        ]
    elif framework == "eisenhower":
        whens = [
            When(
                urgent=urgent,
                important=important,
                then=Value(scoring.eisenhower(urgent, important).value),
            )
            for urgent in (True, False)
            for important in (True, False)
        ]
    else:  # value_risk: ratings 1–10, high from the midpoint up

        def level(field: str, high: str) -> Q:
            if high == "high":
                return Q(**{f"{field}__gte": MATRIX_MIDPOINT, f"{field}__lte": 10})
            return Q(**{f"{field}__gte": 1, f"{field}__lt": MATRIX_MIDPOINT})

        whens = [
            When(level("value", value) & level("risk", risk), then=Value(float(weight)))
            for (value, risk), (_, _, weight) in VALUE_RISK_QUADRANTS.items()
        ]
    return Case(*whens, default=Value(None), output_field=FloatField())


def _order(framework: str) -> list[Any]:
    if framework == "manual":
        return ["rank", "id"]
    if framework in WEIGHED:
        # Categories tie often: ties keep the manual order.
        return [category_weight(framework).desc(nulls_last=True), "rank", "id"]
    column = SCORE_COLUMNS[framework]
    if connection.vendor == "postgresql":
        # Matches the (product, score DESC NULLS LAST, id) index the migration builds there.
        return [F(column).desc(nulls_last=True), "id"]
    # SQLite sorts NULL lowest, so a plain descending order already puts them last and matches
    # the (product, -score, id) index as declared.
    return [F(column).desc(), "id"]


def resolve_extra(
    product: Product, framework: str, scorecard: int | None, formula: int | None
) -> Any:
    """The scorecard or parsed formula a computed framework needs (a 422 names what is missing)."""
    if framework == "scorecard":
        card = (
            Scorecard.objects.filter(product=product, pk=scorecard).first() if scorecard else None
        )
        if card is None:
            raise ValidationError({"scorecard": ["Choose one of this product's scorecards."]})
        return card
    if framework == "formula":
        saved = (
            PriorityFormula.objects.filter(product=product, pk=formula).first() if formula else None
        )
        if saved is None:
            raise ValidationError({"formula": ["Choose one of this product's formulas."]})
        return parse_formula(saved.expression, FORMULA_FIELDS)
    return None


def _row(feature: Feature, framework: str, extra: Any, ratings: Mapping[int, Any]) -> Row:
    if framework == "manual":
        return Row(feature, None, None, f"Placed by hand (rank key {feature.rank or '—'}).")
    if framework == "scorecard":
        card: Scorecard = extra
        given = ratings.get(feature.pk)
        if not given:
            return Row(feature, None, None, f"Not rated on the scorecard {card.name}.")
        try:
            score = scoring.weighted_scorecard(criteria_of(card), given)
        except scoring.ScoringInputError as error:
            return Row(feature, None, None, f"Incomplete rating: {error.message}")
        return Row(feature, score.value, None, score.explanation)
    if framework == "formula":
        values = {name: get(feature) for name, get in FORMULA_FIELDS.items()}
        score = extra.score(values)
        return Row(feature, score.value, None, score.explanation)
    result = framework_score(feature, framework)
    name = framework.replace("_", " ")
    if framework in SCORE_COLUMNS:
        # The ranked order comes from the stored column, so the score shown is that column.
        stored = getattr(feature, SCORE_COLUMNS[framework])
        if result is None:
            if stored is None:
                return Row(feature, None, None, f"No {name} inputs yet.")
            return Row(feature, stored, None, f"{name} {stored:g} (its inputs were not recorded)")
        return Row(feature, stored, result.label, result.explanation)
    if result is None:
        return Row(feature, None, None, f"No {name} inputs yet.")
    return Row(feature, result.value, result.label, result.explanation)


def ranked(
    product: Product,
    framework: str,
    filters: Filters,
    limit: int,
    offset: int,
    *,
    scorecard: int | None = None,
    formula: int | None = None,
) -> tuple[list[Row], int]:
    """One page of the backlog of ``product`` ranked by ``framework``, and the total count."""
    if framework not in FRAMEWORKS:
        raise ValidationError(
            {"framework": [f"Unknown framework {framework!r}; use one of {', '.join(FRAMEWORKS)}."]}
        )
    extra = resolve_extra(product, framework, scorecard, formula)
    base = filters.apply(Feature.objects.filter(product=product))
    if framework != "formula":
        total = base.order_by().values("product_id").annotate(n=Count("id")).values("n")
        page = list(
            _in_order(base.only(*ROW_FIELDS), framework, extra).annotate(
                total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0))
            )[offset : offset + limit]
        )
        count = page[0].total if page else (base.count() if offset else 0)
        ratings: dict[int, Any] = {}
        if framework == "scorecard":
            ratings = dict(
                ScorecardRating.objects.filter(
                    scorecard=extra, feature_id__in=[f.pk for f in page]
                ).values_list("feature_id", "ratings")
            )
        return [_row(f, framework, extra, ratings) for f in page], count
    # A formula is the team's own expression: a number for every matching feature (plain rows,
    # only the columns it reads, no explanation), sorted; then the page's rows explained.
    votes: dict[int, int] = {}
    if "votes" in extra.fields:
        ideas = Feature.ideas.rel.related_model.objects  # type: ignore[attr-defined]
        votes = dict(
            ideas.filter(product=product, feature__isnull=False)
            .order_by()
            .values("feature")
            .annotate(total=Sum("vote_count"))
            .values_list("feature", "total")
        )
    scores = _formula_ranking(base.order_by("rank", "id"), extra, votes)
    shown = [pk for pk, _ in scores[offset : offset + limit]]
    features = base.only(*ROW_FIELDS).in_bulk(shown)
    for pk, feature in features.items():
        feature.votes = votes.get(pk, 0)  # type: ignore[attr-defined]
    return [_row(features[pk], framework, extra, {}) for pk in shown], len(scores)


def _in_order(queryset: QuerySet[Feature], framework: str, card: Any) -> QuerySet[Feature]:
    """``queryset`` in ``framework``'s order, worked out by the database."""
    if framework != "scorecard":
        return queryset.order_by(*_order(framework))
    # Each rating keeps its score (rescore), so a scorecard ranks like a stored column: a left
    # join to this card's ratings (one per feature at most), which both databases hash-join
    # faster than a look-up per feature.
    rated = FilteredRelation("scorecard_ratings", condition=Q(scorecard_ratings__scorecard=card))
    return queryset.annotate(card=rated, card_score=F("card__score")).order_by(
        F("card_score").desc(nulls_last=True), "rank", "id"
    )


#: Recent formula rankings keyed by their whole input (see ``headway.core.memo``).
_FORMULA_RANKINGS: RecentResults[list[tuple[int, float | None]]] = RecentResults(size=16)


def _formula_ranking(
    queryset: QuerySet[Feature], formula: Formula, votes: Mapping[int, int]
) -> list[tuple[int, float | None]]:
    """(feature id, score) of every feature of ``queryset``, highest first, unscored last, ties
    in ``queryset``'s order, without a model instance or an explanation for any of them.

    The columns the formula reads and the votes are its whole input, so the ranking is kept
    under them: reading them again is a few ms, evaluating 10,000 expressions is forty.
    """
    used = {name: FORMULA_FIELDS[name] for name in formula.fields}
    columns = sorted({column for name in used for column in FORMULA_COLUMNS[name]})
    rows = tuple(queryset.values_list("id", *columns))
    mine = tuple(sorted((pk, n) for pk, n in votes.items())) if "votes" in used else ()
    key = (formula.source, tuple(columns), rows, mine)

    def rank() -> list[tuple[int, float | None]]:
        scores = []
        for pk, *values in rows:
            row = SimpleNamespace(votes=votes.get(pk, 0), **dict(zip(columns, values, strict=True)))
            scores.append((pk, formula.evaluate({name: get(row) for name, get in used.items()})))
        # Higher first, unscored last; ties keep the manual order (the sort is stable).
        scores.sort(key=lambda pair: (pair[1] is None, -(pair[1] or 0.0)))
        return scores

    return _FORMULA_RANKINGS.get(key, rank)


def rating_score(card: Scorecard, ratings: Mapping[str, Any]) -> float | None:
    """The weighted score of ``ratings`` on ``card``, or None when they do not complete it (or
    the card's criteria no longer hold)."""
    try:
        criteria = criteria_of(card)
        scoring.validate_criteria(criteria)
    except scoring.ScoringInputError:
        return None
    return scoring.scorecard_value(criteria, ratings) if ratings else None


def rescore(card: Scorecard) -> None:
    """Bring every stored score of ``card``'s ratings up to date with its criteria (after they
    change, or after ratings were created in bulk)."""
    ratings = list(ScorecardRating.objects.filter(scorecard=card).only("id", "ratings", "score"))
    changed = []
    for rating in ratings:
        score = rating_score(card, rating.ratings)
        if score != rating.score:
            rating.score = score
            changed.append(rating)
    ScorecardRating.objects.bulk_update(changed, ["score"], batch_size=1000)


def criteria_of(card: Scorecard) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(
            name=c["name"], weight=c["weight"], low=c.get("low", 1.0), high=c.get("high", 10.0)
        )
        for c in card.criteria
    ]


# --- Manual order ---------------------------------------------------------------------------------


def _renumber(product: Product) -> None:
    """Give every feature of ``product`` fresh evenly spaced keys in today's order (rare: only
    when legacy or imported keys are malformed or tie)."""
    features = list(Feature.objects.filter(product=product).order_by("rank", "id").only("id"))
    for feature, key in zip(features, ranking.keys_for(len(features)), strict=True):
        feature.rank = key
    Feature.objects.bulk_update(features, ["rank"], batch_size=1000)


def move(feature: Feature, *, before: int | None = None, after: int | None = None) -> str:
    """Put ``feature`` right after feature ``after`` (or right before ``before``): one UPDATE of
    its rank key. Moves within a product are serialised by locking the product row, so two
    concurrent moves never compute keys from the same stale neighbours.

    Rank is ordering, not content: it does not bump the feature's version, so reordering the
    backlog never makes someone's open edit of the feature stale.
    """
    if before is None and after is None:
        raise ValidationError({"after": ["Say which feature to place it after or before."]})
    with transaction.atomic():
        Product.objects.select_for_update().filter(pk=feature.product_id).first()
        for _attempt in range(2):
            siblings = Feature.objects.filter(product_id=feature.product_id).exclude(pk=feature.pk)
            anchor_id: int = after if after is not None else before  # type: ignore[assignment]
            anchor = siblings.filter(pk=anchor_id).only("id", "rank").first()
            if anchor is None:
                field = "after" if after is not None else "before"
                raise ValidationError(
                    {field: [f"Feature {anchor_id} is not another feature of this product."]}
                )
            order = siblings.order_by("rank", "id").only("id", "rank")
            if after is not None:
                low: str | None = anchor.rank
                neighbour = order.filter(
                    Q(rank__gt=anchor.rank) | Q(rank=anchor.rank, id__gt=anchor.pk)
                ).first()
                high = neighbour.rank if neighbour else None
            else:
                high = anchor.rank
                neighbour = (
                    siblings.filter(Q(rank__lt=anchor.rank) | Q(rank=anchor.rank, id__lt=anchor.pk))
                    .order_by("-rank", "-id")
                    .only("id", "rank")
                    .first()
                )
                low = neighbour.rank if neighbour else None
            try:
                key = ranking.key_between(low or None, high)
            except ranking.RankKeyError:
                _renumber(feature.product)
                continue
            Feature.objects.filter(pk=feature.pk).update(rank=key)
            feature.rank = key
            return key
    raise ValidationError({"rank": ["The backlog order could not be updated; try again."]})


# --- Cut line -------------------------------------------------------------------------------------


class CapacitySource(Protocol):
    """How much work fits between two dates. Throughput is one source; a Monte Carlo forecast
    (releases/forecasting) can be another."""

    @property
    def unit(self) -> str:
        """ "points" or "items"."""
        ...

    def capacity(self, start: dt.date, end: dt.date) -> float: ...


@dataclass(frozen=True)
class Throughput:
    """A steady rate: ``per_week`` points (or items) every week."""

    per_week: float
    unit: str = "points"

    def capacity(self, start: dt.date, end: dt.date) -> float:
        return max(0.0, (end - start).days / 7 * self.per_week)


def cutline(
    product: Product,
    framework: str,
    until: dt.date,
    source: CapacitySource,
    filters: Filters | None = None,
    *,
    scorecard: int | None = None,
    formula: int | None = None,
    limit: int = 2000,
) -> dict[str, Any]:
    """Which open items, in the framework's order, fit before ``until`` at ``source``'s rate."""
    start = clock.today()
    if until <= start:
        raise ValidationError({"date": [f"Choose a date after today ({start})."]})
    open_only = filters or Filters()
    rows, _ = ranked(product, framework, open_only, limit, 0, scorecard=scorecard, formula=formula)
    rows = [r for r in rows if r.feature.status not in ("done", "cancelled")]
    capacity = source.capacity(start, until)
    sizes = [(r.feature.pk, 1.0 if source.unit == "items" else size_of(r.feature)) for r in rows]
    result = cut_line(sizes, capacity)
    by_id = {r.feature.pk: r for r in rows}

    def item(pk: int) -> dict[str, Any]:
        row = by_id[pk]
        return {
            "id": pk,
            "title": row.feature.title,
            "size": size_of(row.feature),
            "score": row.score,
        }

    return {
        "framework": framework,
        "date": until,
        "unit": source.unit,
        "capacity": round(result.capacity, 2),
        "used": round(result.used, 2),
        "fits": [item(pk) for pk in result.fits],
        "after": [item(pk) for pk in result.after],
        "unestimated": list(result.unestimated),
    }


# --- Scorecards and formulas ----------------------------------------------------------------------


def _check_criteria(criteria: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned = [
        {
            "name": str(c.get("name", "")).strip(),
            "weight": c.get("weight"),
            "low": c.get("low", 1.0),
            "high": c.get("high", 10.0),
        }
        for c in criteria
    ]
    try:
        scoring.validate_criteria(
            [scoring.Criterion(c["name"], c["weight"], c["low"], c["high"]) for c in cleaned]
        )
    except scoring.ScoringInputError as error:
        raise ValidationError({error.field: [error.message]}) from None
    return cleaned


def save_scorecard(
    user: Any,
    product: Product,
    values: Mapping[str, Any],
    card: Scorecard | None = None,
    expected_version: int | None = None,
) -> Scorecard:
    """Create or change a scorecard; its criteria are checked by planning.scoring."""
    fields = dict(values)
    if "criteria" in fields:
        fields["criteria"] = _check_criteria(fields["criteria"])
    if card is None:
        return changes.create(Scorecard, user=user, product=product, **fields)
    with transaction.atomic():
        card = changes.update(card, fields, user=user, expected_version=expected_version)
        if "criteria" in fields:
            rescore(card)
    return card


def rate(
    user: Any, card: Scorecard, feature: Feature, ratings: Mapping[str, float]
) -> scoring.Score:
    """Store ``feature``'s ratings on ``card`` (replacing earlier ones) and return its score."""
    try:
        score = scoring.weighted_scorecard(criteria_of(card), ratings)
    except scoring.ScoringInputError as error:
        raise ValidationError({error.field: [error.message]}) from None
    values = {"ratings": dict(ratings), "score": score.value}
    with transaction.atomic():
        existing = ScorecardRating.objects.filter(scorecard=card, feature=feature).first()
        if existing is None:
            changes.create(ScorecardRating, user=user, scorecard=card, feature=feature, **values)
        else:
            changes.update(existing, values, user=user)
    return score


def check_formula(expression: str) -> None:
    """Refuse a formula that does not parse, naming the column of the problem."""
    try:
        parse_formula(expression, FORMULA_FIELDS)
    except FormulaError as error:
        raise ValidationError(
            {"expression": [f"Column {error.position}: {error.message}."]}
        ) from None


def save_formula(
    user: Any,
    product: Product,
    values: Mapping[str, Any],
    saved: PriorityFormula | None = None,
    expected_version: int | None = None,
) -> PriorityFormula:
    """Create or change a formula score after parsing it."""
    if "expression" in values:
        check_formula(values["expression"])
    if saved is None:
        return changes.create(PriorityFormula, user=user, product=product, **values)
    return changes.update(saved, dict(values), user=user, expected_version=expected_version)


def finite(value: float | None) -> float | None:
    """JSON has no infinities: an unbounded score is reported as no score."""
    return value if value is None or math.isfinite(value) else None
