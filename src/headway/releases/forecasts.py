"""Throughput history of a product and the forecasts built on it (releases, product, scope).

The arithmetic lives in `headway.forecasting` (pure numpy); this module only gathers the
product's data: done times or an imported history, the remaining scope, the teams' capacity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from headway.core import clock
from headway.forecasting import (
    EffortForecast,
    ForecastInputError,
    WhenForecast,
    forecast_effort,
    forecast_how_many,
    forecast_when,
    week_start,
    weekly_throughput,
)
from headway.planning.models import Feature, FeatureStatus, Story, Team
from headway.products.models import Product
from headway.releases.models import Release, ThroughputUnit, ThroughputWeek

#: Longest history used for a forecast: two years is plenty for a 26-week window and its
#: year-long self-check.
MAX_FORECAST_WEEKS = 104
#: Fewer trials than the API default keep pages fast; the figures move by well under a week.
PAGE_TRIALS = 4_000


def today() -> dt.date:
    return timezone.localdate(clock.now())


def last_full_week_end(day: dt.date | None = None) -> dt.date:
    """The Sunday ending the last complete week: a week in progress would read as slow."""
    return week_start(day or today()) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Throughput:
    """Weekly counts, oldest first, and where they came from."""

    unit: str
    start: dt.date | None
    counts: list[int]
    source: str  # "done_times" | "imported"

    def as_json(self) -> dict[str, Any]:
        weeks = (
            [
                {
                    "week_start": (self.start + dt.timedelta(weeks=index)).isoformat(),
                    "count": count,
                }
                for index, count in enumerate(self.counts)
            ]
            if self.start
            else []
        )
        return {"unit": self.unit, "source": self.source, "weeks": weeks, "counts": self.counts}


def throughput_of(
    product: Product, unit: str = ThroughputUnit.STORIES, weeks: int = 26
) -> Throughput:
    """The last `weeks` full weeks of finished items, zero weeks included (one query).

    An imported history replaces the done times when the product has one for this unit.
    """
    end = last_full_week_end()
    first = week_start(end) - dt.timedelta(weeks=weeks - 1)
    imported = list(
        ThroughputWeek.objects.filter(product=product, unit=unit).values_list("week_start", "count")
    )
    if imported:
        last = imported[-1][0]
        first_imported = imported[0][0]
        span = (last - first_imported).days // 7 + 1
        start = max(first_imported, last - dt.timedelta(weeks=weeks - 1))
        by_week = dict(imported)
        counts = [by_week.get(start + dt.timedelta(weeks=i), 0) for i in range(min(weeks, span))]
        return Throughput(unit, start, counts, "imported")
    done: Any
    if unit == ThroughputUnit.FEATURES:
        done = Feature.objects.filter(
            product=product,
            status=FeatureStatus.DONE,
            done_at__date__gte=first - dt.timedelta(days=1),
        ).values_list("done_at", flat=True)
    else:
        done = Story.objects.filter(
            feature__product=product, done_at__date__gte=first - dt.timedelta(days=1)
        ).values_list("done_at", flat=True)
    local = [timezone.localtime(moment).date() for moment in done if moment is not None]
    return Throughput(unit, first, weekly_throughput(local, first, end), "done_times")


def forecast_history(product: Product, unit: str = ThroughputUnit.STORIES) -> Throughput:
    """The history a forecast uses: up to two years, from the first week with finished work."""
    history = throughput_of(product, unit, MAX_FORECAST_WEEKS)
    counts = history.counts
    lead = next((i for i, count in enumerate(counts) if count), len(counts))
    start = history.start + dt.timedelta(weeks=lead) if history.start else None
    return Throughput(history.unit, start, counts[lead:], history.source)


@dataclass(frozen=True)
class ForecastCapacity:
    """How many backlog items fit between two dates, by the Monte Carlo forecast: the number of
    features the team finishes by then with 85 % probability (planning's cut line uses it when
    no throughput is given)."""

    history: tuple[int, ...]
    unit: str = "items"
    confidence: str = "85"

    def capacity(self, start: dt.date, end: dt.date) -> float:
        weeks = max(1, -(-(end - start).days // 7))
        forecast = forecast_how_many(list(self.history), weeks, trials=2_000, seed=0)
        return float(forecast.items[self.confidence])


def forecast_capacity(product: Product) -> ForecastCapacity | None:
    """The forecast capacity of `product`'s finished-features history, or None without one."""
    counts = forecast_history(product, ThroughputUnit.FEATURES).counts
    return ForecastCapacity(tuple(counts)) if any(counts) else None


def import_throughput(product: Product, unit: str, rows: Sequence[tuple[dt.date, int]]) -> int:
    """Replace the product's imported history for `unit` with `rows` (one transaction)."""
    merged: dict[dt.date, int] = {}
    for day, count in rows:
        monday = week_start(day)
        merged[monday] = merged.get(monday, 0) + count
    with transaction.atomic():
        ThroughputWeek.objects.filter(product=product, unit=unit).delete()
        ThroughputWeek.objects.bulk_create(
            ThroughputWeek(product=product, unit=unit, week_start=day, count=count)
            for day, count in sorted(merged.items())
        )
    return len(merged)


def parse_throughput_csv(text: str) -> list[tuple[dt.date, int]]:
    """Rows of `week_start,count` (a header line is allowed); errors name the line."""
    rows: list[tuple[dt.date, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split(",")]
        if number == 1 and not parts[0][:1].isdigit():
            continue  # header
        if len(parts) != 2:
            raise ForecastInputError("csv", f"Line {number} must be 'week_start,count'.")
        try:
            day = dt.date.fromisoformat(parts[0])
            count = int(parts[1])
        except ValueError:
            raise ForecastInputError(
                "csv", f"Line {number}: expected an ISO date and a whole number."
            ) from None
        if count < 0:
            raise ForecastInputError("csv", f"Line {number}: the count must not be negative.")
        rows.append((day, count))
    if not rows:
        raise ForecastInputError("csv", "The CSV holds no weeks.")
    return rows


def release_forecast(
    history: Sequence[int],
    remaining: int,
    target_date: dt.date | None,
    *,
    multiplier: float = 1.0,
    seed: int = 0,
    trials: int = PAGE_TRIALS,
) -> WhenForecast | None:
    """When a release's remaining items are done, or None when there is no usable history."""
    counts = [round(count * multiplier) for count in history] if multiplier != 1.0 else history
    try:
        return forecast_when(
            list(counts),
            remaining,
            start_date=today(),
            target_date=target_date if target_date and target_date >= today() else None,
            trials=trials,
            seed=seed,
        )
    except ForecastInputError:
        return None


def team_capacity(product: Product) -> float:
    """Points per week of the product's teams."""
    total = Team.objects.filter(product=product).aggregate(total=Sum("capacity_per_week"))["total"]
    return float(total or 0.0)


def effort_forecast(
    release: Release, capacity_per_week: float, feature_ids: Iterable[int] | None = None
) -> EffortForecast | None:
    """PERT forecast of the release's open, three-point-estimated features, or None."""
    features = Feature.objects.filter(
        estimate_optimistic__isnull=False,
        estimate_likely__isnull=False,
        estimate_pessimistic__isnull=False,
    ).exclude(status__in=[FeatureStatus.DONE, FeatureStatus.CANCELLED])
    if feature_ids is None:
        features = features.filter(release=release)
    else:
        features = features.filter(pk__in=list(feature_ids))
    estimates = [
        (f.estimate_optimistic, f.estimate_likely, f.estimate_pessimistic)
        for f in features.only("estimate_optimistic", "estimate_likely", "estimate_pessimistic")
    ]
    if not estimates or capacity_per_week <= 0:
        return None
    target = release.target_date if release.target_date and release.target_date >= today() else None
    try:
        return forecast_effort(
            estimates,  # type: ignore[arg-type]
            capacity_per_week,
            start_date=today(),
            target_date=target,
            trials=PAGE_TRIALS,
            seed=release.pk,
        )
    except ForecastInputError:
        return None


def probability_of(forecast: WhenForecast | None, release: Release) -> float | None:
    """Chance of finishing by the target date; a past date with work left is 0."""
    if forecast is None or release.target_date is None:
        return None
    if forecast.remaining == 0:
        return 1.0
    if release.target_date < today():
        return 0.0
    return forecast.probability_by


def open_items(product: Product, unit: str = ThroughputUnit.STORIES) -> int:
    """Items of the product not done yet (stories, or features not done or cancelled)."""
    if unit == ThroughputUnit.FEATURES:
        return (
            Feature.objects.filter(product=product)
            .exclude(status__in=[FeatureStatus.DONE, FeatureStatus.CANCELLED])
            .count()
        )
    return Story.objects.filter(feature__product=product).exclude(status="done").count()


def release_done_days(release: Release) -> list[dt.date]:
    """Days the release's finished work items were done (stories, and story-less features)."""
    stories = Story.objects.filter(done_at__isnull=False).filter(
        Q(release=release) | Q(release__isnull=True, feature__release=release)
    )
    features = Feature.objects.filter(
        release=release, status=FeatureStatus.DONE, done_at__isnull=False, stories__isnull=True
    )
    moments = list(stories.values_list("done_at", flat=True)) + list(
        features.values_list("done_at", flat=True)
    )
    return sorted(timezone.localtime(moment).date() for moment in moments if moment)


def product_done_days(product: Product, since: dt.date) -> list[dt.date]:
    """Days the product's stories were done since `since`."""
    moments = Story.objects.filter(feature__product=product, done_at__date__gte=since).values_list(
        "done_at", flat=True
    )
    return [timezone.localtime(moment).date() for moment in moments if moment]
