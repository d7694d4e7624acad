"""What a roadmap reads of a feature: plain rows instead of model instances.

A roadmap of 1,500 features spent most of its time building Feature instances and those of
their initiatives, goals, teams and releases; ``facts_of`` reads the same in one
``values_list`` query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from headway.planning.models import Feature


@dataclass(frozen=True, slots=True)
class FeatureFacts:
    """A feature as a roadmap reads it: its own columns and the names of what it belongs to.

    Plain data read with ``values_list``: a roadmap of 1,500 features would spend most of its
    time building model instances (and those of their initiatives, goals, teams and releases).
    """

    pk: int
    title: str
    kind: str
    status: str
    description: str
    points: float | None
    start_date: date | None
    end_date: date | None
    release_date: date | None
    initiative_id: int | None
    initiative_title: str
    goal_id: int | None
    goal_title: str
    goal_position: int
    team_id: int | None
    team_name: str
    component: tuple[int, str] | None = None

    @classmethod
    def of(cls, feature: Feature) -> FeatureFacts:
        """The facts of a model instance (with its initiative's goal, release and team)."""
        initiative, team = feature.initiative, feature.team
        goal = initiative.goal if initiative is not None else None
        return cls(
            pk=feature.pk,
            title=feature.title,
            kind=feature.kind,
            status=feature.status,
            description=feature.description,
            points=feature.points,
            start_date=feature.start_date,
            end_date=feature.end_date,
            release_date=feature.release.target_date if feature.release else None,
            initiative_id=feature.initiative_id,
            initiative_title=initiative.title if initiative is not None else "",
            goal_id=goal.pk if goal is not None else None,
            goal_title=goal.title if goal is not None else "",
            goal_position=goal.position if goal is not None else 0,
            team_id=feature.team_id,
            team_name=team.name if team is not None else "",
        )


FACT_COLUMNS = (
    "pk",
    "title",
    "kind",
    "status",
    "description",
    "points",
    "start_date",
    "end_date",
    "release__target_date",
    "initiative_id",
    "initiative__title",
    "initiative__goal_id",
    "initiative__goal__title",
    "initiative__goal__position",
    "team_id",
    "team__name",
)


def facts_of(queryset: Any) -> list[FeatureFacts]:
    """The facts of the features of ``queryset``, in its order (one query)."""
    facts = []
    for row in queryset.values_list(*FACT_COLUMNS):
        *own, initiative_title, goal_id, goal_title, goal_position, team_id, team_name = row
        facts.append(
            FeatureFacts(  # type: ignore[call-arg]  # the own columns lead FACT_COLUMNS
                *own,
                initiative_title or "",
                goal_id,
                goal_title or "",
                goal_position or 0,
                team_id,
                team_name or "",
            )
        )
    return facts


def first_components(feature_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Feature id → its first component (by name) as (id, name), for component lanes."""
    first: dict[int, tuple[int, str]] = {}
    rows = Feature.components.through.objects.filter(feature_id__in=list(feature_ids))
    for feature_id, component_id, name in rows.values_list(
        "feature_id", "component_id", "component__name"
    ):
        known = first.get(feature_id)
        if known is None or (name, component_id) < (known[1], known[0]):
            first[feature_id] = (component_id, name)
    return first
