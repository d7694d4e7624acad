"""Demo releases: one shipped (2.3, with notes), two ahead with forecasts and readiness under way.

Planning's demo runs after this one and fills the releases with features and six months of
done stories, which the release pages forecast from.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from headway.core import clock
from headway.products.models import Product
from headway.releases.models import ReadinessItem, Release, ReleaseStatus, Scenario
from headway.releases.services import template_of

if TYPE_CHECKING:
    from headway.web.demo import Demo

#: Release -> readiness items ticked, by function: (function, how many of its items).
TICKED = {
    "2.4": {"engineering": 2, "qa": 1, "docs": 1, "marketing": 1},
    "3.0": {"engineering": 1},
}


def create_release(_user: object, product: Product, **values: object) -> Release:
    """A release and its checklist from the template, written directly like the rest of the demo
    (the demo's history starts empty rather than with hundreds of "created" events)."""
    release = Release.objects.create(product=product, **values)
    ReadinessItem.objects.bulk_create(
        ReadinessItem(release=release, function=item.function, title=item.title, position=n)
        for n, item in enumerate(template_of(product.workspace))
    )
    return release


def populate(demo: Demo) -> None:
    today = demo.today
    maya = demo.users["maya"]
    releases = {
        "2.3": create_release(
            maya,
            demo.product,
            name="2.3",
            description="Onboarding that teaches by doing.",
            target_date=today - dt.timedelta(days=21),
            status=ReleaseStatus.RELEASED,
            released_at=clock.now() - dt.timedelta(days=20),
            capacity_points=40,
        ),
        "2.4": create_release(
            maya,
            demo.product,
            name="2.4",
            description="Enterprise basics: single sign-on and audit.",
            target_date=today + dt.timedelta(days=35),
            status=ReleaseStatus.IN_PROGRESS,
            capacity_points=45,
        ),
        "3.0": create_release(
            maya,
            demo.product,
            name="3.0",
            description="Ask questions in plain English.",
            target_date=today + dt.timedelta(days=110),
            status=ReleaseStatus.PLANNED,
            capacity_points=80,
        ),
    }
    demo.objects["releases"] = releases
    now = clock.now()
    ReadinessItem.objects.filter(release=releases["2.3"]).update(
        done=True, done_by=maya, done_at=releases["2.3"].released_at
    )
    who = {"engineering": "priya", "sales_enablement": "sam", "support": "lena"}
    for name, ticked in TICKED.items():
        for function, count in ticked.items():
            ids = list(
                ReadinessItem.objects.filter(release=releases[name], function=function)
                .order_by("position", "id")
                .values_list("id", flat=True)[:count]
            )
            ReadinessItem.objects.filter(pk__in=ids).update(
                done=True, done_by=demo.users[who.get(function, "maya")], done_at=now
            )
    Scenario.objects.create(
        product=demo.product,
        name="What if we lose a developer and give 2.4 two more weeks?",
        created_by=maya,
        changes={
            "features": [],
            "releases": [
                {
                    "release": releases["2.4"].pk,
                    "target_date": (today + dt.timedelta(days=49)).isoformat(),
                }
            ],
            "teams": [],
            "throughput_multiplier": 0.8,
        },
    )
