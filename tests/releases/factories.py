"""Small builders for release tests: features and stories with done times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from headway.core import clock
from headway.planning.models import Feature, Story
from headway.products.models import Product
from headway.releases.models import Release


def feature(product: Product, title: str = "Feature", **values: Any) -> Feature:
    return Feature.objects.create(product=product, title=title, **values)


def story(feature_: Feature, title: str = "Story", **values: Any) -> Story:
    return Story.objects.create(feature=feature_, title=title, **values)


def history(product: Product, weekly: list[int]) -> Feature:
    """Done stories, `weekly[i]` of them in the i-th of the last len(weekly) full weeks."""
    holder = feature(product, "History")
    today = clock.now()
    monday = today - dt.timedelta(days=today.weekday())
    stories = []
    for index, count in enumerate(weekly):
        week = monday - dt.timedelta(weeks=len(weekly) - index)
        for n in range(count):
            stories.append(
                Story(
                    feature=holder,
                    title=f"done {index}-{n}",
                    status="done",
                    done_at=week + dt.timedelta(days=2, hours=n % 5),
                )
            )
    Story.objects.bulk_create(stories)
    return holder


def release(product: Product, name: str = "1.0", **values: Any) -> Release:
    values.setdefault("target_date", clock.now().date() + dt.timedelta(days=60))
    return Release.objects.create(product=product, name=name, **values)
