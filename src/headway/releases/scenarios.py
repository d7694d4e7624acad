"""What-if scenarios: forecast a changed plan side by side with today's, then apply or discard.

A scenario stores only its changes; comparing reads the live plan, applies the changes in
memory and forecasts both. Nothing is written until `apply`, which writes every change through
`core.changes` in one transaction (so the audit history records each one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from headway.accounts.models import User
from headway.core import changes as writes
from headway.core import clock
from headway.planning.models import Feature, Team
from headway.releases import forecasts
from headway.releases.models import Release, ReleaseStatus, Scenario
from headway.releases.services import compute_scopes, scope_rows

OPEN = (ReleaseStatus.PLANNED, ReleaseStatus.IN_PROGRESS)
MAX_MULTIPLIER = 5.0


def clean_changes(product_id: int, raw: dict[str, Any]) -> dict[str, Any]:
    """Check a scenario's changes against the product; errors name the field."""
    if not isinstance(raw, dict):
        raise ValidationError({"changes": ["The changes must be an object."]})
    unknown = set(raw) - {"features", "releases", "teams", "throughput_multiplier"}
    if unknown:
        raise ValidationError({"changes": [f"Unknown keys: {', '.join(sorted(unknown))}."]})
    release_ids = set(Release.objects.filter(product_id=product_id).values_list("id", flat=True))
    feature_ids = set(Feature.objects.filter(product_id=product_id).values_list("id", flat=True))
    team_ids = set(Team.objects.filter(product_id=product_id).values_list("id", flat=True))
    clean: dict[str, Any] = {"features": [], "releases": [], "teams": []}
    for row in raw.get("features") or []:
        if not isinstance(row, dict) or row.get("feature") not in feature_ids:
            raise ValidationError(
                {"changes.features": ["Each entry names a feature of this product."]}
            )
        if row.get("release") is not None and row.get("release") not in release_ids:
            raise ValidationError(
                {"changes.features": ["The release must be one of this product's, or null to cut."]}
            )
        clean["features"].append({"feature": row["feature"], "release": row.get("release")})
    for row in raw.get("releases") or []:
        if not isinstance(row, dict) or row.get("release") not in release_ids:
            raise ValidationError(
                {"changes.releases": ["Each entry names a release of this product."]}
            )
        entry: dict[str, Any] = {"release": row["release"]}
        if "target_date" in row:
            try:
                entry["target_date"] = (
                    dt.date.fromisoformat(row["target_date"]).isoformat()
                    if row["target_date"]
                    else None
                )
            except (TypeError, ValueError):
                raise ValidationError(
                    {"changes.releases": ["target_date must be an ISO date (YYYY-MM-DD)."]}
                ) from None
        if "capacity_points" in row:
            value = row["capacity_points"]
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValidationError(
                    {"changes.releases": ["capacity_points must be a whole number, zero or more."]}
                )
            entry["capacity_points"] = value
        clean["releases"].append(entry)
    for row in raw.get("teams") or []:
        value = row.get("capacity_per_week") if isinstance(row, dict) else None
        if not isinstance(row, dict) or row.get("team") not in team_ids:
            raise ValidationError({"changes.teams": ["Each entry names a team of this product."]})
        if not isinstance(value, int | float) or value <= 0:
            raise ValidationError({"changes.teams": ["capacity_per_week must be above zero."]})
        clean["teams"].append({"team": row["team"], "capacity_per_week": float(value)})
    multiplier = raw.get("throughput_multiplier", 1.0)
    if not isinstance(multiplier, int | float) or not 0 < multiplier <= MAX_MULTIPLIER:
        raise ValidationError(
            {
                "changes.throughput_multiplier": [
                    f"The multiplier must be above 0 and at most {MAX_MULTIPLIER:g}."
                ]
            }
        )
    clean["throughput_multiplier"] = float(multiplier)
    return clean


def compare(scenario: Scenario) -> dict[str, Any]:
    """Today's plan and the scenario's, release by release, with forecasts (a few queries)."""
    product = scenario.product
    change = scenario.changes or {}
    releases = list(
        Release.objects.filter(product=product, status__in=OPEN).order_by("target_date", "id")
    )
    features, stories = scope_rows(product.pk)
    live = compute_scopes(features, stories, {r.pk: r.capacity_points for r in releases})
    moved = {row["feature"]: row["release"] for row in change.get("features", [])}
    release_changes = {row["release"]: row for row in change.get("releases", [])}
    capacities = {
        r.pk: release_changes.get(r.pk, {}).get("capacity_points", r.capacity_points)
        for r in releases
    }
    what_if = compute_scopes(features, stories, capacities, moved)
    history = forecasts.forecast_history(product).counts
    multiplier = float(change.get("throughput_multiplier", 1.0))
    titles = {row["id"]: row["title"] for row in features}
    rows = []
    for release in releases:
        target = release.target_date
        override = release_changes.get(release.pk, {})
        new_target = (
            dt.date.fromisoformat(override["target_date"])
            if override.get("target_date")
            else (None if "target_date" in override else target)
        )
        today_forecast = forecasts.release_forecast(
            history, live[release.pk].remaining, target, seed=release.pk
        )
        scenario_forecast = forecasts.release_forecast(
            history,
            what_if[release.pk].remaining,
            new_target,
            multiplier=multiplier,
            seed=release.pk,
        )
        rows.append(
            {
                "release": release.pk,
                "name": release.name,
                "today": _side(release, target, live[release.pk], today_forecast),
                "scenario": _side(release, new_target, what_if[release.pk], scenario_forecast),
            }
        )
    return {
        "scenario": scenario.pk,
        "releases": rows,
        "changes": change,
        "moved_features": [
            {"feature": fid, "title": titles.get(fid, ""), "release": rid}
            for fid, rid in moved.items()
        ],
    }


def _side(release: Release, target: dt.date | None, scope: Any, forecast: Any) -> dict[str, Any]:
    probability: float | None = None
    if target is not None and forecast is not None:
        if forecast.remaining == 0:
            probability = 1.0
        elif target < forecasts.today():
            probability = 0.0
        else:
            probability = forecast.probability_by
    return {
        "target_date": target.isoformat() if target else None,
        "scope": scope.as_json(),
        "probability": probability,
        "dates": {k: v.isoformat() if v else None for k, v in forecast.dates.items()}
        if forecast
        else None,
    }


def apply(scenario: Scenario, user: User | None, expected_version: int | None = None) -> Scenario:
    """Write the scenario's changes to the live plan in one transaction, each one audited."""
    if scenario.applied_at is not None:
        raise ValidationError({"scenario": ["This scenario was already applied."]})
    change = clean_changes(scenario.product_id, scenario.changes or {})
    with transaction.atomic():
        scenario = writes.update(
            scenario, {"applied_at": clock.now()}, user=user, expected_version=expected_version
        )
        features = Feature.objects.in_bulk([row["feature"] for row in change["features"]])
        releases = Release.objects.in_bulk(
            [row["release"] for row in change["releases"]]
            + [row["release"] for row in change["features"] if row["release"] is not None]
        )
        teams = Team.objects.in_bulk([row["team"] for row in change["teams"]])
        for row in change["features"]:
            target = releases[row["release"]] if row["release"] is not None else None
            writes.update(features[row["feature"]], {"release": target}, user=user)
        for row in change["releases"]:
            values: dict[str, Any] = {}
            if "target_date" in row:
                values["target_date"] = (
                    dt.date.fromisoformat(row["target_date"]) if row["target_date"] else None
                )
            if "capacity_points" in row:
                values["capacity_points"] = row["capacity_points"]
            writes.update(releases[row["release"]], values, user=user)
        for row in change["teams"]:
            writes.update(
                teams[row["team"]], {"capacity_per_week": row["capacity_per_week"]}, user=user
            )
    return scenario
