"""The strategy check: rules that find mistakes in a product's strategy and plan.

Pure: the rules take plain facts (gathered by `strategy.services.strategy_facts`, a constant
number of queries) and return findings, so each rule is tested without a database. Each finding
has a level — an *error* means the plan contradicts itself or cannot be measured, a *warning*
means something is missing that a PM should look at — a sentence, and the link where it is fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["error", "warning"]

#: An idea is in high demand from this many votes …
HIGH_DEMAND_VOTES = 5
#: … or this many linked feedback items.
HIGH_DEMAND_FEEDBACK = 3
#: A high-demand idea still `new` after this many days is left untriaged.
UNTRIAGED_DAYS = 30
#: An open risk with probability × impact (each 1–5) at least this high is a high risk.
HIGH_RISK_EXPOSURE = 15


@dataclass(frozen=True)
class Finding:
    """One mistake: which rule found it, how bad it is, what it is, and where to fix it."""

    rule: str
    level: Level
    message: str
    link: str
    subject: str
    subject_id: int

    def line(self, prefix: str = "") -> str:
        """The finding as a compiler-style line: `prefix: level: message (link)`."""
        head = f"{prefix}: " if prefix else ""
        return f"{head}{self.level}: {self.message} ({self.link})"


@dataclass(frozen=True)
class FeatureFact:
    """An unfinished feature (not done, not cancelled) and what ties it to a goal."""

    id: int
    title: str
    link: str
    initiative_id: int | None = None
    goal_id: int | None = None
    end_date: dt.date | None = None


@dataclass(frozen=True)
class GoalFact:
    id: int
    title: str
    link: str
    initiative_count: int = 0
    feature_count: int = 0


@dataclass(frozen=True)
class KeyResultFact:
    id: int
    name: str
    goal_title: str
    link: str
    baseline: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class InitiativeFact:
    """An initiative with its planned points (cancelled features left out) and open features."""

    id: int
    title: str
    link: str
    capacity_points: int | None = None
    points: float = 0
    end_date: dt.date | None = None
    open_features: int = 0


@dataclass(frozen=True)
class RoadmapItemFact:
    """A dated roadmap item that stands for work (a feature or an initiative)."""

    id: int
    title: str
    roadmap: str
    link: str
    end_date: dt.date
    done: bool


@dataclass(frozen=True)
class IdeaFact:
    id: int
    title: str
    link: str
    status: str
    votes: int
    feedback: int
    status_since: dt.datetime


@dataclass(frozen=True)
class ReleaseRiskFact:
    """An open risk of a feature scheduled in a release that has not shipped."""

    release_id: int
    release: str
    link: str
    feature: str
    risk: str
    exposure: int


@dataclass(frozen=True)
class Facts:
    """Everything the rules look at, for one product."""

    features: list[FeatureFact] = field(default_factory=list)
    goals: list[GoalFact] = field(default_factory=list)
    key_results: list[KeyResultFact] = field(default_factory=list)
    initiatives: list[InitiativeFact] = field(default_factory=list)
    roadmap_items: list[RoadmapItemFact] = field(default_factory=list)
    ideas: list[IdeaFact] = field(default_factory=list)
    release_risks: list[ReleaseRiskFact] = field(default_factory=list)


def _points(value: float) -> str:
    return f"{value:g}"


def features_without_goal(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Unfinished features that serve no goal: no initiative, or an initiative with no goal."""
    for feature in facts.features:
        if feature.initiative_id is None:
            why = "belongs to no initiative"
        elif feature.goal_id is None:
            why = "belongs to an initiative that serves no goal"
        else:
            continue
        yield Finding(
            "feature-without-goal",
            "warning",
            f"Feature “{feature.title}” {why}, so it is tied to no goal.",
            feature.link,
            "feature",
            feature.id,
        )


def goals_without_work(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Goals with no initiative, or whose initiatives hold no feature."""
    for goal in facts.goals:
        if goal.initiative_count == 0:
            message = f"Goal “{goal.title}” has no initiative working towards it."
        elif goal.feature_count == 0:
            message = f"Goal “{goal.title}” has initiatives but no feature under them."
        else:
            continue
        yield Finding("goal-without-work", "warning", message, goal.link, "goal", goal.id)


def key_results_unmeasurable(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Key results missing a baseline or a target: their progress cannot be measured."""
    for kr in facts.key_results:
        missing = [
            name
            for name, value in (("baseline", kr.baseline), ("target", kr.target))
            if value is None
        ]
        if not missing:
            continue
        yield Finding(
            "key-result-unmeasurable",
            "error",
            f"Key result “{kr.name}” of goal “{kr.goal_title}” has no {' and no '.join(missing)}, "
            "so its progress cannot be measured.",
            kr.link,
            "key_result",
            kr.id,
        )


def initiatives_over_capacity(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Initiatives whose features add up to more points than the capacity set for them."""
    for initiative in facts.initiatives:
        capacity = initiative.capacity_points
        if capacity is None or initiative.points <= capacity:
            continue
        yield Finding(
            "initiative-over-capacity",
            "error",
            f"Initiative “{initiative.title}” holds {_points(initiative.points)} points of "
            f"features but has a capacity of {capacity} "
            f"({_points(initiative.points - capacity)} over).",
            initiative.link,
            "initiative",
            initiative.id,
        )


def past_their_dates(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Features, initiatives and roadmap items whose end date has passed with work left."""
    today = now.date()
    for feature in facts.features:
        if feature.end_date is not None and feature.end_date < today:
            yield Finding(
                "past-due",
                "error",
                f"Feature “{feature.title}” was due on {feature.end_date.isoformat()} "
                "and is not done.",
                feature.link,
                "feature",
                feature.id,
            )
    for initiative in facts.initiatives:
        end = initiative.end_date
        if end is not None and end < today and initiative.open_features:
            count = initiative.open_features
            yield Finding(
                "past-due",
                "error",
                f"Initiative “{initiative.title}” ended on {end.isoformat()} with {count} "
                f"feature{'s' if count != 1 else ''} not done.",
                initiative.link,
                "initiative",
                initiative.id,
            )
    for item in facts.roadmap_items:
        if item.end_date < today and not item.done:
            yield Finding(
                "past-due",
                "error",
                f"Roadmap item “{item.title}” on “{item.roadmap}” ends on "
                f"{item.end_date.isoformat()}, which has passed, and the work is not done.",
                item.link,
                "roadmap_item",
                item.id,
            )


def is_high_demand(idea: IdeaFact) -> bool:
    return idea.votes >= HIGH_DEMAND_VOTES or idea.feedback >= HIGH_DEMAND_FEEDBACK


def untriaged_demand(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """High-demand ideas still waiting in `new` for UNTRIAGED_DAYS days or more."""
    for idea in facts.ideas:
        waiting = (now - idea.status_since).days
        if idea.status != "new" or waiting < UNTRIAGED_DAYS or not is_high_demand(idea):
            continue
        yield Finding(
            "untriaged-demand",
            "warning",
            f"Idea “{idea.title}” has {idea.votes} vote{'s' if idea.votes != 1 else ''} and "
            f"{idea.feedback} linked feedback but has waited {waiting} days without triage.",
            idea.link,
            "idea",
            idea.id,
        )


def releases_with_high_risks(facts: Facts, now: dt.datetime) -> Iterator[Finding]:
    """Releases not yet shipped that contain a feature with an open high risk."""
    for risk in facts.release_risks:
        if risk.exposure < HIGH_RISK_EXPOSURE:
            continue
        yield Finding(
            "release-high-risk",
            "error",
            f"Release {risk.release} contains “{risk.feature}”, whose risk “{risk.risk}” is open "
            f"with probability × impact {risk.exposure}.",
            risk.link,
            "release",
            risk.release_id,
        )


Rule = Callable[[Facts, dt.datetime], Iterable[Finding]]

#: Every rule, in the order their findings are listed within a level.
RULES: list[Rule] = [
    key_results_unmeasurable,
    initiatives_over_capacity,
    past_their_dates,
    releases_with_high_risks,
    goals_without_work,
    features_without_goal,
    untriaged_demand,
]


def run(facts: Facts, now: dt.datetime) -> list[Finding]:
    """Every finding of every rule: errors first, then warnings, each in rule order."""
    findings = [finding for rule in RULES for finding in rule(facts, now)]
    return sorted(findings, key=lambda finding: finding.level != "error")


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.level == "error" for finding in findings)
