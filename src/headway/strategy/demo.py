"""Demo goals, key results and initiatives."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from headway.strategy.models import Goal, Initiative, KeyResult

if TYPE_CHECKING:
    from headway.web.demo import Demo

KeyResultRow = tuple[str, str, float | None, float | None, float | None]

GOALS: list[tuple[str, list[KeyResultRow], list[str]]] = [
    (
        "Grow self-serve adoption",
        [
            ("Weekly active question askers", "users", 1200, 3000, 1850),
            ("Questions answered without an analyst", "%", 35, 60, 44),
        ],
        ["Natural-language questions", "Onboarding that teaches by doing"],
    ),
    (
        "Win mid-market deals",
        [
            ("Mid-market win rate", "%", 18, 30, 21),
            ("Security review time", "days", 20, 5, 12),  # a metric that must fall
            # Nobody has measured it yet: the strategy check flags the missing baseline.
            ("Mid-market net revenue retention", "%", None, 110, None),
        ],
        ["Enterprise-grade security", "Embedded analytics"],
    ),
    (
        "Make the platform cheaper to run",
        [
            ("Infrastructure cost per active user", "USD", 4.2, 2.5, 3.6),
        ],
        ["Query engine modernisation"],
    ),
    (
        # Agreed at the offsite, not yet broken down into work: the check says so.
        "Open the European market",
        [("Paying workspaces in the EU", "workspaces", 40, 150, 46)],
        [],
    ),
]

#: Points each initiative may spend; security is deliberately planned beyond its budget.
CAPACITY = {"Enterprise-grade security": 34}


def populate(demo: Demo) -> None:
    initiatives: dict[str, Initiative] = {}
    for position, (title, key_results, themes) in enumerate(GOALS):
        goal = Goal.objects.create(
            product=demo.product,
            title=title,
            position=position,
            owner=demo.users["maya"],
            due=demo.today + dt.timedelta(days=180),
        )
        KeyResult.objects.bulk_create(
            [
                KeyResult(
                    goal=goal,
                    name=name,
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    current=current,
                    due=goal.due,
                )
                for name, unit, baseline, target, current in key_results
            ]
        )
        for theme in themes:
            initiatives[theme] = Initiative.objects.create(
                product=demo.product,
                goal=goal,
                title=theme,
                capacity_points=CAPACITY.get(theme, 60),
            )
    demo.objects["initiatives"] = initiatives
