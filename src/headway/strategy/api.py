"""Goals with key results, initiatives, and the strategy check."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.api.patching import patch_values
from headway.core import changes
from headway.products.api import product_of
from headway.products.models import Product
from headway.products.services import resolve_member
from headway.strategy import services
from headway.strategy.models import Goal, Initiative, KeyResult
from headway.strategy.schemas import (
    GoalIn,
    GoalList,
    GoalOut,
    GoalPatch,
    InitiativeIn,
    InitiativeList,
    InitiativeOut,
    InitiativePatch,
    KeyResultIn,
    KeyResultList,
    KeyResultOut,
    KeyResultPatch,
    LintOut,
)

router = Router(tags=["strategy"])

KR_FIELDS = ("name", "unit", "baseline", "target", "current", "due")


def key_result_out(kr: KeyResult) -> dict[str, Any]:
    return {
        "id": kr.pk,
        "goal": kr.goal_id,
        **{name: getattr(kr, name) for name in KR_FIELDS},
        "progress": kr.progress,
        "version": kr.version,
        "created": kr.created,
        "updated": kr.updated,
    }


def goal_out(goal: Goal) -> dict[str, Any]:
    """A goal as the API shows it (load it through `services.goals` to keep queries flat)."""
    return {
        "id": goal.pk,
        "product": goal.product_id,
        "title": goal.title,
        "description": goal.description,
        "due": goal.due,
        "owner": goal.owner.username if goal.owner else None,
        "position": goal.position,
        "progress": goal.progress,
        "key_results": [key_result_out(kr) for kr in goal.key_results.all()],
        "initiatives": [{"id": i.pk, "title": i.title} for i in goal.initiatives.all()],
        "version": goal.version,
        "created": goal.created,
        "updated": goal.updated,
    }


def _goal(request: HttpRequest, goal_id: int, minimum: str = Role.VIEWER) -> Goal:
    return access_of(request).get(Goal.objects.select_related("product"), minimum, pk=goal_id)


def _fresh_goal(goal: Goal) -> Goal:
    return services.goals(goal.product).get(pk=goal.pk)


@router.get("/products/{product_id}/goals", response=GoalList, summary="List goals")
def list_goals(
    request: HttpRequest, product_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """The product's goals in order, each with its key results, progress and initiatives."""
    product = product_of(request, product_id)
    queryset = services.goals(product)
    if q:
        queryset = queryset.filter(title__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [goal_out(goal) for goal in result["items"]]
    return result


@router.post("/products/{product_id}/goals", response={201: GoalOut}, summary="Create a goal")
def create_goal(
    request: HttpRequest, product_id: int, payload: GoalIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create a goal with its key results, all in one transaction."""
    product = product_of(request, product_id, Role.PRODUCT_MANAGER)
    values = payload.dict()
    values["owner"] = resolve_member(product.workspace_id, "owner", values["owner"])
    goal = services.create_goal(request.user, product, **values)  # type: ignore[arg-type]
    goal = _fresh_goal(goal)
    with_etag(response, goal)
    return Status(201, goal_out(goal))


@router.get("/goals/{goal_id}", response=GoalOut, summary="Get a goal")
def get_goal(request: HttpRequest, goal_id: int, response: HttpResponse) -> dict[str, Any]:
    """One goal with its key results, with its ETag."""
    goal = _fresh_goal(_goal(request, goal_id))
    with_etag(response, goal)
    return goal_out(goal)


@router.patch("/goals/{goal_id}", response=GoalOut, summary="Change a goal")
def patch_goal(
    request: HttpRequest, goal_id: int, payload: GoalPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change the goal's own fields (key results have their own endpoints); honours If-Match."""
    goal = _goal(request, goal_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, goal)
    values = patch_values(payload, nullable=("due", "owner"))
    if "owner" in values:
        values["owner"] = resolve_member(goal.product.workspace_id, "owner", values["owner"])
    goal = services.update_goal(request.user, goal, values, version)  # type: ignore[arg-type]
    goal = _fresh_goal(goal)
    with_etag(response, goal)
    return goal_out(goal)


@router.delete("/goals/{goal_id}", response={204: None}, summary="Delete a goal")
def delete_goal(request: HttpRequest, goal_id: int) -> Status[None]:
    """Delete a goal and its key results; its initiatives stay, without a goal."""
    goal = _goal(request, goal_id, Role.PRODUCT_MANAGER)
    changes.delete(goal, user=request.user, expected_version=expected_version(request, goal))
    return Status(204, None)


@router.get("/goals/{goal_id}/key-results", response=KeyResultList, summary="List key results")
def list_key_results(request: HttpRequest, goal_id: int, page: Query[Page]) -> dict[str, Any]:
    """The goal's key results with their progress."""
    goal = _goal(request, goal_id)
    result = paginate(KeyResult.objects.filter(goal=goal), page)
    result["items"] = [key_result_out(kr) for kr in result["items"]]
    return result


@router.post(
    "/goals/{goal_id}/key-results", response={201: KeyResultOut}, summary="Add a key result"
)
def create_key_result(
    request: HttpRequest, goal_id: int, payload: KeyResultIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add a key result; a target equal to its baseline is refused."""
    goal = _goal(request, goal_id, Role.PRODUCT_MANAGER)
    kr = services.add_key_result(request.user, goal, **payload.dict())  # type: ignore[arg-type]
    with_etag(response, kr)
    return Status(201, key_result_out(kr))


def _key_result(request: HttpRequest, kr_id: int, minimum: str = Role.VIEWER) -> KeyResult:
    return access_of(request).get(KeyResult.objects.all(), minimum, pk=kr_id)


@router.get("/key-results/{key_result_id}", response=KeyResultOut, summary="Get a key result")
def get_key_result(
    request: HttpRequest, key_result_id: int, response: HttpResponse
) -> dict[str, Any]:
    """One key result with its progress and ETag."""
    kr = _key_result(request, key_result_id)
    with_etag(response, kr)
    return key_result_out(kr)


@router.patch("/key-results/{key_result_id}", response=KeyResultOut, summary="Change a key result")
def patch_key_result(
    request: HttpRequest, key_result_id: int, payload: KeyResultPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields (most often `current`); honours If-Match."""
    kr = _key_result(request, key_result_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, kr)
    values = patch_values(payload, nullable=("baseline", "target", "current", "due"))
    kr = changes.update(kr, values, user=request.user, expected_version=version)
    with_etag(response, kr)
    return key_result_out(kr)


@router.delete("/key-results/{key_result_id}", response={204: None}, summary="Delete a key result")
def delete_key_result(request: HttpRequest, key_result_id: int) -> Status[None]:
    """Delete a key result."""
    kr = _key_result(request, key_result_id, Role.PRODUCT_MANAGER)
    changes.delete(kr, user=request.user, expected_version=expected_version(request, kr))
    return Status(204, None)


# --- Initiatives ----------------------------------------------------------------------------------

INITIATIVE_FIELDS = ("title", "description", "capacity_points", "start_date", "end_date")


def initiative_out(initiative: Initiative) -> dict[str, Any]:
    """An initiative as the API shows it (load it through `services.initiatives`)."""
    return {
        "id": initiative.pk,
        "product": initiative.product_id,
        "goal": initiative.goal_id,
        **{name: getattr(initiative, name) for name in INITIATIVE_FIELDS},
        "points": initiative.points or 0,  # type: ignore[attr-defined]
        "feature_count": initiative.feature_count,  # type: ignore[attr-defined]
        "over_capacity": services.is_over_capacity(initiative),
        "version": initiative.version,
        "created": initiative.created,
        "updated": initiative.updated,
    }


def _initiative(request: HttpRequest, initiative_id: int, minimum: str = Role.VIEWER) -> Initiative:
    return access_of(request).get(
        Initiative.objects.select_related("product"), minimum, pk=initiative_id
    )


def _fresh_initiative(initiative: Initiative) -> Initiative:
    return services.initiatives(initiative.product).get(pk=initiative.pk)


def _with_goal_id(values: dict[str, Any]) -> dict[str, Any]:
    if "goal" in values:
        values["goal_id"] = values.pop("goal")
    return values


@router.get(
    "/products/{product_id}/initiatives", response=InitiativeList, summary="List initiatives"
)
def list_initiatives(
    request: HttpRequest,
    product_id: int,
    page: Query[Page],
    q: str = "",
    goal: int | None = None,
) -> dict[str, Any]:
    """The product's initiatives with their points against capacity; `goal` narrows to one goal."""
    product = product_of(request, product_id)
    queryset = services.initiatives(product)
    if q:
        queryset = queryset.filter(title__icontains=q)
    if goal is not None:
        queryset = queryset.filter(goal_id=goal)
    result = paginate(queryset, page)
    result["items"] = [initiative_out(i) for i in result["items"]]
    return result


@router.post(
    "/products/{product_id}/initiatives",
    response={201: InitiativeOut},
    summary="Create an initiative",
)
def create_initiative(
    request: HttpRequest, product_id: int, payload: InitiativeIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create an initiative, under one of the product's goals or none."""
    product = product_of(request, product_id, Role.PRODUCT_MANAGER)
    values = _with_goal_id(payload.dict())
    initiative = services.create_initiative(request.user, product, **values)  # type: ignore[arg-type]
    initiative = _fresh_initiative(initiative)
    with_etag(response, initiative)
    return Status(201, initiative_out(initiative))


@router.get("/initiatives/{initiative_id}", response=InitiativeOut, summary="Get an initiative")
def get_initiative(
    request: HttpRequest, initiative_id: int, response: HttpResponse
) -> dict[str, Any]:
    """One initiative with its points and ETag."""
    initiative = _fresh_initiative(_initiative(request, initiative_id))
    with_etag(response, initiative)
    return initiative_out(initiative)


@router.patch(
    "/initiatives/{initiative_id}", response=InitiativeOut, summary="Change an initiative"
)
def patch_initiative(
    request: HttpRequest, initiative_id: int, payload: InitiativePatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields, or move it under another goal (null: no goal); honours If-Match."""
    initiative = _initiative(request, initiative_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, initiative)
    values = patch_values(payload, nullable=("goal", "capacity_points", "start_date", "end_date"))
    initiative = changes.update(
        initiative, _with_goal_id(values), user=request.user, expected_version=version
    )
    initiative = _fresh_initiative(initiative)
    with_etag(response, initiative)
    return initiative_out(initiative)


@router.delete("/initiatives/{initiative_id}", response={204: None}, summary="Delete an initiative")
def delete_initiative(request: HttpRequest, initiative_id: int) -> Status[None]:
    """Delete an initiative; its features stay, without an initiative."""
    initiative = _initiative(request, initiative_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, initiative)
    changes.delete(initiative, user=request.user, expected_version=version)
    return Status(204, None)


# --- Strategy check -------------------------------------------------------------------------------


@router.get("/products/{product_id}/lint", response=LintOut, summary="Check the strategy")
def lint(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """The product's strategy mistakes, errors first, each with a link to fix it."""
    product: Product = product_of(request, product_id)
    findings = services.strategy_check(product)
    errors = sum(1 for f in findings if f.level == "error")
    return {
        "items": [vars(f) for f in findings[page.offset : page.offset + page.limit]],
        "count": len(findings),
        "errors": errors,
        "warnings": len(findings) - errors,
    }
