"""Small builders for roadmap tests: features, releases and dependencies in the world's product."""

from __future__ import annotations

import datetime as dt
from typing import Any

from headway.planning.models import Dependency, Feature
from headway.releases.models import Release
from headway.roadmaps.models import Roadmap
from headway.strategy.models import Goal, Initiative
from tests.conftest import World

TODAY = dt.date(2030, 1, 15)


def feature(world: World, title: str, **fields: Any) -> Feature:
    fields.setdefault("status", "planned")
    return Feature.objects.create(product=world.product, title=title, **fields)


def release(world: World, name: str, target: dt.date | None) -> Release:
    return Release.objects.create(product=world.product, name=name, target_date=target)


def depends(feature: Feature, on: Feature) -> None:
    Dependency.objects.create(feature=feature, depends_on=on)


def roadmap(world: World, **fields: Any) -> Roadmap:
    fields.setdefault("name", "Plan")
    return Roadmap.objects.create(product=world.product, **fields)


def initiative(world: World, title: str, goal: str | None = None) -> Initiative:
    found_goal = Goal.objects.create(product=world.product, title=goal) if goal else None
    return Initiative.objects.create(product=world.product, title=title, goal=found_goal)
