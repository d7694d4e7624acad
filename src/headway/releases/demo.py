"""Demo releases: one shipped, two ahead."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from headway.core import clock
from headway.releases.models import Release, ReleaseStatus

if TYPE_CHECKING:
    from headway.web.demo import Demo


def populate(demo: Demo) -> None:
    today = demo.today
    demo.objects["releases"] = {
        "2.3": Release.objects.create(
            product=demo.product,
            name="2.3",
            target_date=today - dt.timedelta(days=21),
            status=ReleaseStatus.RELEASED,
            released_at=clock.now() - dt.timedelta(days=20),
            capacity_points=40,
        ),
        "2.4": Release.objects.create(
            product=demo.product,
            name="2.4",
            target_date=today + dt.timedelta(days=35),
            status=ReleaseStatus.IN_PROGRESS,
            capacity_points=45,
        ),
        "3.0": Release.objects.create(
            product=demo.product,
            name="3.0",
            target_date=today + dt.timedelta(days=110),
            status=ReleaseStatus.PLANNED,
            capacity_points=80,
        ),
    }
