"""Feature, story, criterion, risk and requirement operations shared by the API, pages and imports.

Every write goes through `headway.core.changes`, in one transaction. A feature's prioritization
scores are computed here by `planning.scoring` and written to the denormalised score columns in
the same UPDATE as their inputs, so the ranked backlog is one indexed query and never stale.
Invalid input raises Django's `ValidationError` naming the field (the API turns it into a 422).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max

from headway.accounts.models import Membership, User
from headway.core import changes, clock
from headway.planning import ranking, scoring
from headway.planning.estimate import pert
from headway.planning.models import (
    AcceptanceCriterion,
    Feature,
    FeatureStatus,
    Requirement,
    Risk,
    Story,
    StoryStatus,
    Team,
)
from headway.products.models import Component, Product
from headway.releases.models import Release
from headway.strategy.models import Initiative

#: Planning dates stay in a range the scheduler can count weeks over.
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(2200, 12, 31)

#: Feature status workflow: where each status may go next. Done can be reopened (back to
#: in progress) and a cancelled feature revived as an idea; nothing jumps from idea to done.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    FeatureStatus.IDEA: (FeatureStatus.PLANNED, FeatureStatus.CANCELLED),
    FeatureStatus.PLANNED: (
        FeatureStatus.IDEA,
        FeatureStatus.IN_PROGRESS,
        FeatureStatus.CANCELLED,
    ),
    FeatureStatus.IN_PROGRESS: (
        FeatureStatus.PLANNED,
        FeatureStatus.DONE,
        FeatureStatus.CANCELLED,
    ),
    FeatureStatus.DONE: (FeatureStatus.IN_PROGRESS,),
    FeatureStatus.CANCELLED: (FeatureStatus.IDEA,),
}

#: The input fields of each framework, as (group key in the API, model field) pairs.
GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "estimate": (
        ("optimistic", "estimate_optimistic"),
        ("likely", "estimate_likely"),
        ("pessimistic", "estimate_pessimistic"),
    ),
    "rice": (
        ("reach", "rice_reach"),
        ("impact", "rice_impact"),
        ("confidence", "rice_confidence"),
        ("effort", "rice_effort"),
    ),
    "ice": (("impact", "ice_impact"), ("confidence", "ice_confidence"), ("ease", "ice_ease")),
    "wsjf": (
        ("business_value", "wsjf_business_value"),
        ("time_criticality", "wsjf_time_criticality"),
        ("risk_reduction", "wsjf_risk_reduction"),
        ("job_size", "wsjf_job_size"),
    ),
    "value_effort": (("value", "value"), ("effort", "effort")),
    "value_risk": (("value", "value"), ("risk", "risk")),
    "eisenhower": (("urgent", "urgent"), ("important", "important")),
}

SCORE_COLUMNS = {
    "rice": "rice_score",
    "ice": "ice_score",
    "wsjf": "wsjf_score",
    "value_effort": "value_effort_score",
}


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def flatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """API shape → model fields: ``{"rice": {"reach": 1, …}}`` becomes ``rice_reach=1, …``;
    a group given as ``None`` clears its inputs."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if key in GROUPS:
            for name, field in GROUPS[key]:
                flat[field] = None if value is None else value.get(name)
        elif key == "kano_answers":
            if value is not None:
                try:
                    answers = scoring.kano_from_answers(
                        value.get("functional"), value.get("dysfunctional")
                    )
                except scoring.ScoringInputError as error:
                    raise _invalid(f"kano_answers.{error.field}", error.message) from None
                flat["kano"] = answers.label
        else:
            flat[key] = value
    return flat


def group(feature: object, name: str) -> dict[str, Any] | None:
    """A framework's inputs of ``feature`` in the API shape, or None when they are not all set."""
    inputs = {key: getattr(feature, field) for key, field in GROUPS[name]}
    return None if any(v is None for v in inputs.values()) else inputs


def framework_score(feature: Feature, framework: str) -> scoring.Score | None:
    """The score of one framework for ``feature`` from its stored inputs, or None if incomplete."""
    try:
        if framework in {"moscow", "kano"}:
            category = getattr(feature, framework)
            if not category:
                return None
            return scoring.moscow(category) if framework == "moscow" else scoring.kano(category)
        inputs = group(feature, framework)
        if inputs is None:
            return None
        function = getattr(scoring, framework)
        return function(**inputs)  # type: ignore[no-any-return]
    except scoring.ScoringInputError:
        # Stored before a rule tightened (or imported raw): show no score rather than fail.
        return None


def scores_of(feature: Feature) -> dict[str, dict[str, Any] | None]:
    """Every framework's score, label and explanation for ``feature`` (None where incomplete)."""
    result: dict[str, dict[str, Any] | None] = {}
    for framework in (*SCORE_COLUMNS, "value_risk", "eisenhower", "moscow", "kano"):
        score = framework_score(feature, framework)
        result[framework] = (
            None
            if score is None
            else {"score": score.value, "label": score.label, "explanation": score.explanation}
        )
    return result


def estimate_of(feature: object) -> dict[str, Any] | None:
    """The three-point estimate with its PERT mean and σ, or None."""
    inputs = group(feature, "estimate")
    if inputs is None:
        return None
    result = pert(**inputs)
    return inputs | {"mean": result.mean, "sigma": result.sigma, "explanation": result.explanation}


class Sized(Protocol):
    """What ``size_of`` reads: a feature, or the plain row the schedule keeps of one."""

    @property
    def points(self) -> float | None: ...
    @property
    def estimate_optimistic(self) -> float | None: ...
    @property
    def estimate_likely(self) -> float | None: ...
    @property
    def estimate_pessimistic(self) -> float | None: ...


def size_of(feature: Sized) -> float | None:
    """The points a feature takes: its points, else its PERT mean, else unknown."""
    if feature.points is not None:
        return float(feature.points)
    if None not in (
        feature.estimate_optimistic,
        feature.estimate_likely,
        feature.estimate_pessimistic,
    ):
        return (
            feature.estimate_optimistic + 4 * feature.estimate_likely + feature.estimate_pessimistic  # type: ignore[operator]
        ) / 6
    return None


def _validate_inputs(feature: Feature) -> None:
    """Check every complete framework group and the estimate, and write the score columns."""
    for name in ("rice", "ice", "wsjf", "value_effort", "value_risk", "eisenhower"):
        fields = GROUPS[name]
        present = [key for key, field in fields if getattr(feature, field) is not None]
        if name == "value_risk" and feature.risk is None:
            continue  # value alone belongs to value/effort; risk completes value/risk
        if name == "value_effort" and feature.effort is None:
            if feature.value is not None and feature.risk is None:
                raise _invalid("value_effort.effort", "Give the effort (1–10) with the value.")
            continue
        if not present:
            continue
        if len(present) < len(fields):
            missing = next(key for key, field in fields if getattr(feature, field) is None)
            raise _invalid(f"{name}.{missing}", f"Give {missing.replace('_', ' ')} too.")
        inputs = {key: getattr(feature, field) for key, field in fields}
        try:
            score = getattr(scoring, name)(**inputs)
        except scoring.ScoringInputError as error:
            raise _invalid(f"{name}.{error.field}", error.message) from None
        if score.value is not None and not math.isfinite(score.value):
            raise _invalid(name, "These inputs are too large to score; use smaller numbers.")
    estimate = [getattr(feature, field) for _, field in GROUPS["estimate"]]
    if any(v is not None for v in estimate):
        if any(v is None for v in estimate):
            raise _invalid("estimate", "Give optimistic, likely and pessimistic together.")
        try:
            spread = pert(*estimate)
        except scoring.ScoringInputError as error:
            raise _invalid(error.field, error.message) from None
        if not math.isfinite(spread.mean + spread.sigma):
            raise _invalid("estimate", "The estimate is too large; use smaller numbers.")
    if feature.points is not None and feature.points < 0:
        raise _invalid("points", "Points must be zero or more.")
    for category, field in (("moscow", scoring.moscow), ("kano", scoring.kano)):
        value = getattr(feature, category)
        if value:
            try:
                field(value)
            except scoring.ScoringInputError as error:
                raise _invalid(category, error.message) from None
    for name in ("start_date", "end_date"):
        day = getattr(feature, name)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise _invalid(name, f"Choose a date between {EARLIEST} and {LATEST}.")
    if feature.start_date and feature.end_date and feature.end_date < feature.start_date:
        raise _invalid(
            "end_date",
            f"The end date ({feature.end_date}) is before the start date ({feature.start_date}).",
        )


def _scores(feature: Feature) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for framework, column in SCORE_COLUMNS.items():
        score = framework_score(feature, framework)
        values[column] = None if score is None else score.value
    return values


def _same_product(product: Product, values: dict[str, Any]) -> dict[str, Any]:
    """Resolve ids of initiative, release, team, owner and components within ``product``."""
    resolved = dict(values)
    for field, model in (("initiative", Initiative), ("release", Release), ("team", Team)):
        if field not in values or values[field] is None:
            continue
        value = values[field]
        pk = value.pk if hasattr(value, "pk") else value
        found = model.objects.filter(product=product, pk=pk).first()
        if found is None:
            raise _invalid(field, f"There is no {field} {pk} in the product {product.name}.")
        resolved[field] = found
    if values.get("owner") not in (None, ""):
        owner = values["owner"]
        username = owner.username if isinstance(owner, User) else owner
        member = Membership.objects.filter(
            workspace_id=product.workspace_id, user__username=username
        ).select_related("user")
        found_member = member.first()
        if found_member is None:
            raise _invalid("owner", f"{username!r} is not a member of this workspace.")
        resolved["owner"] = found_member.user
    elif "owner" in values:
        resolved["owner"] = None
    if values.get("components") is not None:
        ids = list(dict.fromkeys(values["components"]))
        found_components = list(Component.objects.filter(product=product, pk__in=ids))
        if len(found_components) != len(ids):
            unknown = sorted(set(ids) - {c.pk for c in found_components})
            raise _invalid("components", f"No component {unknown[0]} in this product.")
        resolved["components"] = found_components
    if values.get("labels") is not None:
        labels = values["labels"]
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise _invalid("labels", "Labels are a list of words.")
        resolved["labels"] = [label.strip() for label in labels if label.strip()]
    return resolved


def next_rank(product: Product) -> str:
    """A rank key after the last feature of ``product`` (new features join the end)."""
    last = Feature.objects.filter(product=product).aggregate(m=Max("rank"))["m"]
    try:
        return ranking.key_between(last or None, None)
    except ranking.RankKeyError:
        return ranking.key_between(None, None) if not last else last + "V"


def create_feature(user: Any, product: Product, values: Mapping[str, Any]) -> Feature:
    """Create a feature of ``product`` with scores computed from its inputs, in one transaction."""
    fields = _same_product(product, flatten(values))
    components = fields.pop("components", None)
    draft = Feature(product=product, **fields)
    _validate_inputs(draft)
    if draft.status == FeatureStatus.DONE and draft.done_at is None:
        fields["done_at"] = clock.now()
    with transaction.atomic():
        fields.setdefault("rank", next_rank(product))
        feature = changes.create(Feature, user=user, product=product, **fields, **_scores(draft))
        if components:
            feature.components.set(components)
    return feature


def check_transition(current: str, new: str) -> None:
    """Refuse a status change the workflow does not allow, naming the allowed ones."""
    if new == current:
        return
    allowed = TRANSITIONS.get(current, ())
    if new not in allowed:
        names = ", ".join(FeatureStatus(s).label.lower() for s in allowed)
        raise _invalid(
            "status",
            f"A feature cannot go from {FeatureStatus(current).label.lower()} to "
            f"{FeatureStatus(new).label.lower()}; from here it can go to: {names}.",
        )


def update_feature(
    user: Any,
    feature: Feature,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Feature:
    """Change ``feature``: inputs and their scores in the same UPDATE; status by the workflow."""
    fields = _same_product(feature.product, flatten(values))
    components = fields.pop("components", None)
    if "status" in fields:
        check_transition(feature.status, fields["status"])
        if fields["status"] != feature.status:
            fields["done_at"] = clock.now() if fields["status"] == FeatureStatus.DONE else None
    draft = Feature(**{f.attname: getattr(feature, f.attname) for f in Feature._meta.fields})
    for name, value in fields.items():
        setattr(draft, name, value)
    _validate_inputs(draft)
    with transaction.atomic():
        feature = changes.update(
            feature,
            fields | _scores(draft),
            user=user,
            expected_version=expected_version,
        )
        if components is not None:
            feature.components.set(components)
    return feature


# --- Stories and acceptance criteria --------------------------------------------------------------


def _story_fields(values: Mapping[str, Any], story: Story | None = None) -> dict[str, Any]:
    fields = {k: v for k, v in values.items() if k != "acceptance_criteria"}
    title = fields.get("title")
    if "title" in fields and not (title or "").strip():
        fields.pop("title")
    if story is None and not fields.get("title"):
        want = (fields.get("i_want") or "").strip()
        if not want:
            raise _invalid("title", "Give the story a title, or say what the persona wants.")
        fields["title"] = (want[0].upper() + want[1:])[:200]
    status = fields.get("status")
    current = story.status if story else None
    if status is not None and status != current:
        if status == StoryStatus.DONE:
            fields["done_at"] = fields.get("done_at") or clock.now()
        else:
            fields["done_at"] = None
    elif story is None and status != StoryStatus.DONE:
        fields["done_at"] = None
    if fields.get("points") is not None and fields["points"] < 0:
        raise _invalid("points", "Points must be zero or more.")
    return fields


def replace_criteria(story: Story, criteria: Iterable[Mapping[str, str]], user: Any) -> None:
    """Replace the story's acceptance criteria with ``criteria``, in that order."""
    AcceptanceCriterion.objects.filter(story=story).delete()
    AcceptanceCriterion.objects.bulk_create(
        [
            AcceptanceCriterion(
                story=story,
                given=c.get("given", ""),
                when=c.get("when", ""),
                then=c.get("then", ""),
                position=position,
            )
            for position, c in enumerate(criteria)
        ]
    )


def create_story(user: Any, feature: Feature, values: Mapping[str, Any]) -> Story:
    """Create a story (title defaults from "I want") with its criteria, in one transaction."""
    fields = _story_fields(values)
    with transaction.atomic():
        position = Story.objects.filter(feature=feature).aggregate(m=Max("position"))["m"]
        fields.setdefault("position", 0 if position is None else position + 1)
        story = changes.create(Story, user=user, feature=feature, **fields)
        replace_criteria(story, values.get("acceptance_criteria") or [], user)
    return story


def update_story(
    user: Any, story: Story, values: Mapping[str, Any], expected_version: int | None = None
) -> Story:
    """Change a story; becoming done stamps done_at, reopening clears it."""
    fields = _story_fields(values, story)
    with transaction.atomic():
        story = changes.update(story, fields, user=user, expected_version=expected_version)
        if values.get("acceptance_criteria") is not None:
            replace_criteria(story, values["acceptance_criteria"], user)
    return story


def add_criterion(user: Any, story: Story, values: Mapping[str, str]) -> AcceptanceCriterion:
    """Append one Given / When / Then to ``story``."""
    with transaction.atomic():
        last = AcceptanceCriterion.objects.filter(story=story).aggregate(m=Max("position"))["m"]
        return changes.create(
            AcceptanceCriterion,
            user=user,
            story=story,
            position=0 if last is None else last + 1,
            **{k: values.get(k, "") for k in ("given", "when", "then")},
        )


# --- Risks and requirements -----------------------------------------------------------------------


def _risk_fields(feature: Feature, values: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(values)
    for name in ("probability", "impact"):
        value = fields.get(name)
        if value is not None and not 1 <= value <= 5:
            raise _invalid(name, f"{name.title()} is rated from 1 to 5; got {value}.")
    if "owner" in fields:
        fields["owner"] = _same_product(feature.product, {"owner": fields["owner"]})["owner"]
    return fields


def create_risk(user: Any, feature: Feature, values: Mapping[str, Any]) -> Risk:
    """Add a risk to the feature's register."""
    return changes.create(Risk, user=user, feature=feature, **_risk_fields(feature, values))


def update_risk(user: Any, risk: Risk, values: Mapping[str, Any]) -> Risk:
    """Change a risk (probability and impact 1–5)."""
    return changes.update(risk, _risk_fields(risk.feature, values), user=user)


def create_requirement(user: Any, feature: Feature, values: Mapping[str, Any]) -> Requirement:
    """Add a non-functional requirement to the feature."""
    return changes.create(Requirement, user=user, feature=feature, **values)


def risk_counts(product: Product) -> dict[tuple[int, int], int]:
    """Open risks of ``product`` per (probability, impact) cell, for the heat map."""
    rows = (
        Risk.objects.filter(feature__product=product)
        .exclude(status="closed")
        .values_list("probability", "impact")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(p, i): n for p, i, n in rows}
