"""Input and output shapes of the planning API.

Shapes only: the domain rules (RICE scale, estimate order, same product, workflow) are checked by
planning.services after the access check, so that the answer names the rule in a sentence.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from headway.api.out import Out
from headway.planning.scoring import MAX_CRITERION_NAME

# Spelled out for the type checker; tests/planning/test_schemas_match_models.py keeps them equal
# to the model choices.
Kind = Literal[
    "customer_feature", "enhancement", "technical_enabler", "tech_debt", "research_spike"
]
Status = Literal["idea", "planned", "in_progress", "done", "cancelled"]
Moscow = Literal["", "must", "should", "could", "wont"]
KanoCategory = Literal[
    "", "must_be", "performance", "attractive", "indifferent", "reverse", "questionable"
]
Note = Literal["new", "improved", "fixed"]
StoryState = Literal["todo", "in_progress", "done"]
RiskState = Literal["open", "mitigated", "closed"]


class EstimateIn(Schema):
    optimistic: float
    likely: float
    pessimistic: float


class RiceIn(Schema):
    reach: float = Field(description="People or events per period, ≥ 0.")
    impact: float = Field(description="3, 2, 1, 0.5 or 0.25.")
    confidence: float = Field(description="A fraction in (0, 1]: 1.0 high, 0.8 medium, 0.5 low.")
    effort: float = Field(description="Person-months, > 0.")


class IceIn(Schema):
    impact: float = Field(description="1–10.")
    confidence: float = Field(description="1–10.")
    ease: float = Field(description="1–10.")


class WsjfIn(Schema):
    business_value: int = Field(description="1, 2, 3, 5, 8, 13 or 20.")
    time_criticality: int
    risk_reduction: int
    job_size: int


class ValueEffortIn(Schema):
    value: float = Field(description="1–10.")
    effort: float = Field(description="1–10.")


class ValueRiskIn(Schema):
    value: float = Field(description="1–10.")
    risk: float = Field(description="1–10.")


class EisenhowerIn(Schema):
    urgent: bool
    important: bool


class KanoAnswersIn(Schema):
    functional: str = Field(description="like, expect, neutral, tolerate or dislike.")
    dysfunctional: str


class FeaturePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=50_000)
    kind: Kind | None = None
    status: Status | None = None
    initiative: int | None = None
    release: int | None = None
    team: int | None = None
    owner: str | None = Field(None, description="Username of a workspace member.")
    components: list[int] | None = None
    labels: list[str] | None = None
    points: float | None = None
    estimate: EstimateIn | None = None
    rice: RiceIn | None = None
    ice: IceIn | None = None
    wsjf: WsjfIn | None = None
    value_effort: ValueEffortIn | None = None
    value_risk: ValueRiskIn | None = None
    eisenhower: EisenhowerIn | None = None
    urgent: bool | None = None
    important: bool | None = None
    moscow: Moscow | None = None
    kano: KanoCategory | None = None
    kano_answers: KanoAnswersIn | None = Field(
        None, description="Classify by the Kano table instead of naming the category."
    )
    start_date: date | None = None
    end_date: date | None = None
    release_note: str | None = Field(None, max_length=5_000)
    release_note_kind: Note | None = None


class FeatureIn(FeaturePatch):
    title: str = Field(min_length=1, max_length=200)


class EstimateOut(Out):
    optimistic: float
    likely: float
    pessimistic: float
    mean: float
    sigma: float
    explanation: str


class ScoreOut(Out):
    score: float | None
    label: str | None
    explanation: str


class FeatureOut(Out):
    id: int
    product: int
    title: str
    description: str
    kind: str
    status: str
    initiative: int | None
    release: int | None
    team: int | None
    owner: str | None
    components: list[int]
    labels: list[str]
    points: float | None
    estimate: EstimateOut | None
    rice: dict[str, float] | None
    ice: dict[str, float] | None
    wsjf: dict[str, int] | None
    value_effort: dict[str, float] | None
    value_risk: dict[str, float] | None
    eisenhower: dict[str, bool] | None
    moscow: str
    kano: str
    scores: dict[str, ScoreOut | None]
    rank: str
    start_date: date | None
    end_date: date | None
    done_at: datetime | None
    release_note: str
    release_note_kind: str
    version: int
    created: datetime
    updated: datetime


class FeatureList(Out):
    items: list[FeatureOut]
    count: int


class CriterionIn(Schema):
    given: str = Field("", max_length=2_000)
    when: str = Field("", max_length=2_000)
    then: str = Field("", max_length=2_000)


class StoryPatch(Schema):
    title: str | None = Field(None, max_length=200)
    as_a: str | None = Field(None, max_length=200)
    i_want: str | None = Field(None, max_length=5_000)
    so_that: str | None = Field(None, max_length=5_000)
    description: str | None = Field(None, max_length=50_000)
    acceptance_criteria: list[CriterionIn] | None = None
    points: float | None = None
    status: StoryState | None = None
    done_at: datetime | None = None


class StoryIn(StoryPatch):
    pass


class CriterionOut(Schema):
    id: int
    given: str
    when: str
    then: str


class StoryOut(Schema):
    id: int
    feature: int
    title: str
    as_a: str
    i_want: str
    so_that: str
    description: str
    acceptance_criteria: list[CriterionOut]
    points: float | None
    status: str
    done_at: datetime | None
    version: int
    created: datetime
    updated: datetime


class StoryList(Schema):
    items: list[StoryOut]
    count: int


class RiskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    probability: int | None = Field(None, description="1–5.")
    impact: int | None = Field(None, description="1–5.")
    mitigation: str | None = Field(None, max_length=10_000)
    owner: str | None = None
    status: RiskState | None = None


class RiskIn(RiskPatch):
    title: str = Field(min_length=1, max_length=200)


class RiskOut(Schema):
    id: int
    feature: int
    title: str
    probability: int
    impact: int
    exposure: int
    mitigation: str
    owner: str | None
    status: str
    created: datetime


class RiskList(Schema):
    items: list[RiskOut]
    count: int


class RequirementPatch(Schema):
    category: str | None = Field(None, max_length=40)
    text: str | None = Field(None, min_length=1, max_length=10_000)


class RequirementIn(Schema):
    category: str = Field("other", max_length=40)
    text: str = Field(min_length=1, max_length=10_000)


class RequirementOut(Schema):
    id: int
    feature: int
    category: str
    text: str
    created: datetime


class RequirementList(Schema):
    items: list[RequirementOut]
    count: int


class DependencyIn(Schema):
    depends_on: int


class DependencyOut(Schema):
    id: int
    feature: int
    depends_on: int
    depends_on_title: str


class DependencyList(Schema):
    items: list[DependencyOut]
    count: int


class MoveIn(Schema):
    start: date
    apply: bool = Field(False, description="False: preview what would move; true: write it.")


class RankIn(Schema):
    before: int | None = Field(None, description="Place it right before this feature.")
    after: int | None = Field(None, description="Place it right after this feature.")


class BacklogItem(Schema):
    id: int
    title: str
    kind: str
    status: str
    score: float | None
    label: str | None
    rank: str
    explanation: str


class BacklogOut(Schema):
    framework: str
    items: list[BacklogItem]
    count: int


class CriterionDefinition(Schema):
    # The name's rules (present, unique, not too long) are planning.scoring's, shared with the
    # pages: a bad name is a 422 naming "criteria" with the same sentence either way.
    name: str = Field(
        description=f"Unique within the scorecard, at most {MAX_CRITERION_NAME} characters."
    )
    weight: float
    low: float = 1.0
    high: float = 10.0


class ScorecardPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    criteria: list[CriterionDefinition] | None = None


class ScorecardIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    criteria: list[CriterionDefinition]


class ScorecardOut(Schema):
    id: int
    product: int
    name: str
    criteria: list[dict[str, Any]]
    version: int


class ScorecardList(Schema):
    items: list[ScorecardOut]
    count: int


class RatingIn(Schema):
    feature: int
    ratings: dict[str, float]


class FormulaPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    expression: str | None = Field(None, min_length=1, max_length=1_000)


class FormulaIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    expression: str = Field(min_length=1, max_length=1_000)


class FormulaOut(Schema):
    id: int
    product: int
    name: str
    expression: str
    version: int


class FormulaList(Schema):
    items: list[FormulaOut]
    count: int
