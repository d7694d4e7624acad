"""Release operations shared by the API, the pages, the CLI and scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from headway.accounts.access import Access
from headway.accounts.models import ROLE_RANK, Membership, Role, User, Workspace
from headway.core import changes, clock
from headway.planning.models import Feature, FeatureStatus, Story, StoryStatus
from headway.products.models import Product
from headway.releases.models import (
    DEFAULT_TEMPLATE,
    MEMBER_FUNCTION,
    TRANSITIONS,
    ReadinessFunction,
    ReadinessItem,
    ReadinessTemplateItem,
    Release,
    ReleaseStatus,
)


@dataclass
class Scope:
    """What a release holds: features and stories, their points, and what is done."""

    features: int = 0
    stories: int = 0
    points: float = 0.0
    done_points: float = 0.0
    done_items: int = 0
    capacity_points: int | None = None
    #: Items (stories, or features without stories) not done yet: what a forecast burns down.
    remaining: int = 0
    feature_ids: list[int] = field(default_factory=list)

    @property
    def items(self) -> int:
        return self.features + self.stories

    @property
    def over_capacity(self) -> bool:
        return self.capacity_points is not None and self.points > self.capacity_points

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "stories": self.stories,
            "items": self.items,
            "points": self.points,
            "done_points": self.done_points,
            "done_items": self.done_items,
            "remaining_items": self.remaining,
            "capacity_points": self.capacity_points,
            "over_capacity": self.over_capacity,
        }


def scope_rows(product_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per-feature and per-story rows of the product's open plan (two queries).

    A story belongs to its own release when it names one, else to its feature's release.
    """
    features: list[dict[str, Any]] = [
        dict(row)
        for row in Feature.objects.filter(product_id=product_id)
        .exclude(status=FeatureStatus.CANCELLED)
        .annotate(story_count=Count("stories"))
        .values("id", "release_id", "status", "points", "story_count", "title")
    ]
    stories: list[dict[str, Any]] = [
        dict(row)
        for row in Story.objects.filter(feature__product_id=product_id).values(
            "id", "release_id", "feature_id", "status", "points"
        )
    ]
    return features, stories


def compute_scopes(
    features: Iterable[dict[str, Any]],
    stories: Iterable[dict[str, Any]],
    capacities: dict[int, int | None],
    feature_release: dict[int, int | None] | None = None,
) -> dict[int, Scope]:
    """Scope per release id from plan rows; `feature_release` overrides features' releases."""
    moved = feature_release or {}
    scopes = {release_id: Scope(capacity_points=cap) for release_id, cap in capacities.items()}
    release_of_feature: dict[int, int | None] = {}
    for row in features:
        release_id = moved.get(row["id"], row["release_id"])
        release_of_feature[row["id"]] = release_id
        scope = scopes.get(release_id) if release_id is not None else None
        if scope is None:
            continue
        scope.features += 1
        scope.feature_ids.append(row["id"])
        done = row["status"] == FeatureStatus.DONE
        if row["story_count"] == 0:
            # A feature without stories is itself the unit of work.
            points = row["points"] or 0.0
            scope.points += points
            if done:
                scope.done_points += points
                scope.done_items += 1
            else:
                scope.remaining += 1
    for row in stories:
        release_id = row["release_id"]
        if release_id is None:
            release_id = release_of_feature.get(row["feature_id"])
        scope = scopes.get(release_id) if release_id is not None else None
        if scope is None:
            continue
        scope.stories += 1
        points = row["points"] or 0.0
        scope.points += points
        if row["status"] == StoryStatus.DONE:
            scope.done_points += points
            scope.done_items += 1
        else:
            scope.remaining += 1
    return scopes


def scopes_of(product_id: int, releases: Iterable[Release]) -> dict[int, Scope]:
    """Scope summaries of `releases` (all of one product) in two queries."""
    capacities = {release.pk: release.capacity_points for release in releases}
    if not capacities:
        return {}
    features, stories = scope_rows(product_id)
    return compute_scopes(features, stories, capacities)


def readiness_progress(items: Iterable[ReadinessItem]) -> list[dict[str, Any]]:
    """Readiness grouped by function, in the template's order, with done counts."""
    groups: dict[str, list[ReadinessItem]] = {value: [] for value in ReadinessFunction.values}
    for item in items:
        groups.setdefault(item.function, []).append(item)
    result = []
    for function, members in groups.items():
        if not members:
            continue
        done = sum(1 for item in members if item.done)
        result.append(
            {
                "function": function,
                "label": ReadinessFunction(function).label,
                "done": done,
                "total": len(members),
                "percent": round(100 * done / len(members)),
                "items": members,
            }
        )
    return result


def template_of(workspace: Workspace) -> list[ReadinessTemplateItem]:
    """The workspace's readiness template, seeded with the defaults on first use."""
    items = list(ReadinessTemplateItem.objects.filter(workspace=workspace))
    if items:
        return items
    with transaction.atomic():
        # Lock the workspace row so two first uses do not seed twice.
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
        items = list(ReadinessTemplateItem.objects.filter(workspace=workspace))
        if not items:
            ReadinessTemplateItem.objects.bulk_create(
                ReadinessTemplateItem(
                    workspace=workspace, function=function, title=title, position=position
                )
                for position, (function, title) in enumerate(DEFAULT_TEMPLATE)
            )
            items = list(ReadinessTemplateItem.objects.filter(workspace=workspace))
    return items


def create_release(user: User | None, product: Product, **values: Any) -> Release:
    """Create a release and its readiness checklist from the workspace template, atomically."""
    status = values.get("status", ReleaseStatus.PLANNED)
    with transaction.atomic():
        if status == ReleaseStatus.RELEASED:
            values.setdefault("released_at", clock.now())
        release = changes.create(Release, user=user, product=product, **values)
        ReadinessItem.objects.bulk_create(
            ReadinessItem(
                release=release, function=item.function, title=item.title, position=item.position
            )
            for item in template_of(product.workspace)
        )
    return release


def update_release(
    user: User | None, release: Release, values: dict[str, Any], expected_version: int | None
) -> Release:
    """Change a release; status moves follow the workflow and releasing stamps `released_at`."""
    values = dict(values)
    status = values.get("status")
    if status is not None and status != release.status:
        if status not in TRANSITIONS[release.status]:
            allowed = ", ".join(sorted(TRANSITIONS[release.status])) or "nothing"
            raise ValidationError(
                {
                    "status": [
                        f"A {ReleaseStatus(release.status).label.lower()} release can move to "
                        f"{allowed}, not {status}."
                    ]
                }
            )
        if status == ReleaseStatus.RELEASED:
            values["released_at"] = clock.now()
    return changes.update(release, values, user=user, expected_version=expected_version)


def can_tick(access: Access, user: User, item: ReadinessItem, workspace_id: int) -> bool:
    """PMs and above tick anything; contributors only their own function's items."""
    role = access.role_in(workspace_id)
    if role is None:
        return False
    if ROLE_RANK[Role(role)] >= ROLE_RANK[Role.PRODUCT_MANAGER]:
        return True
    if ROLE_RANK[Role(role)] < ROLE_RANK[Role.CONTRIBUTOR]:
        return False
    member_function = (
        Membership.objects.filter(user_id=user.pk, workspace_id=workspace_id)
        .values_list("function", flat=True)
        .first()
    )
    return bool(member_function) and MEMBER_FUNCTION.get(item.function) == member_function


def tick(access: Access, user: User, item_id: int, done: bool) -> ReadinessItem:
    """Tick or untick a readiness item, checking the ticker's role and function."""
    item = access.get(
        ReadinessItem.objects.select_related("release__product"), Role.CONTRIBUTOR, pk=item_id
    )
    workspace_id = item.release.product.workspace_id
    if not can_tick(access, user, item, workspace_id):
        raise PermissionDenied(
            f"Only the {ReadinessFunction(item.function).label} function or a product manager "
            "may tick this item."
        )
    values: dict[str, Any] = {
        "done": done,
        "done_by": user if done else None,
        "done_at": clock.now() if done else None,
    }
    if item.done == done:
        return item
    return changes.update(item, values, user=user)


def products_releases(product_id: int) -> Any:
    """The product's releases, counted for the list (one query)."""
    return Release.objects.filter(product_id=product_id).annotate(
        readiness_total=Count("readiness", distinct=True),
        readiness_done=Count("readiness", filter=Q(readiness__done=True), distinct=True),
    )
