"""The planning API: features, stories, risks, requirements and dependencies.

The backlog, schedule, scorecards and formulas live in `api_backlog.py` (mounted on this router).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.errors import ProblemError
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.planning import scheduling, services
from headway.planning.api_backlog import router as backlog_router
from headway.planning.models import (
    AcceptanceCriterion,
    Dependency,
    Feature,
    Requirement,
    Risk,
    Story,
)
from headway.planning.schemas import (
    DependencyIn,
    DependencyList,
    DependencyOut,
    FeatureIn,
    FeatureList,
    FeatureOut,
    FeaturePatch,
    RequirementIn,
    RequirementList,
    RequirementOut,
    RequirementPatch,
    RiskIn,
    RiskList,
    RiskOut,
    RiskPatch,
    StoryIn,
    StoryList,
    StoryOut,
    StoryPatch,
)
from headway.products.models import Product

router = Router(tags=["planning"])
router.add_router("", backlog_router)


def features() -> QuerySet[Feature]:
    return Feature.objects.select_related("owner", "product").prefetch_related("components")


def component_ids(features: Sequence[Feature]) -> dict[int, list[int]]:
    """Feature id → its component ids in component order: one query on the link table, a
    few times cheaper than prefetching Component instances for a page of features."""
    found: dict[int, list[int]] = {}
    links = Feature.components.through.objects.filter(feature_id__in=[f.pk for f in features])
    for feature_id, component_id in links.order_by("component__name", "component_id").values_list(
        "feature_id", "component_id"
    ):
        found.setdefault(feature_id, []).append(component_id)
    return found


def feature_out(feature: Feature, components: list[int] | None = None) -> dict[str, Any]:
    """A feature as the API shows it: inputs in the request's shape, then every score.
    ``components`` are its component ids when already read (``component_ids``)."""
    return {
        "id": feature.pk,
        "product": feature.product_id,
        "title": feature.title,
        "description": feature.description,
        "kind": feature.kind,
        "status": feature.status,
        "initiative": feature.initiative_id,
        "release": feature.release_id,
        "team": feature.team_id,
        "owner": feature.owner.username if feature.owner else None,
        "components": (
            components if components is not None else [c.pk for c in feature.components.all()]
        ),
        "labels": feature.labels,
        "points": feature.points,
        "estimate": services.estimate_of(feature),
        **{
            name: services.group(feature, name)
            for name in ("rice", "ice", "wsjf", "value_effort", "value_risk", "eisenhower")
        },
        "moscow": feature.moscow,
        "kano": feature.kano,
        "scores": services.scores_of(feature),
        "rank": feature.rank,
        "start_date": feature.start_date,
        "end_date": feature.end_date,
        "done_at": feature.done_at,
        "release_note": feature.release_note,
        "release_note_kind": feature.release_note_kind,
        "version": feature.version,
        "created": feature.created,
        "updated": feature.updated,
    }


class FeatureFilters(Schema):
    q: str | None = None
    kind: str | None = None
    team: int | None = None
    status: str | None = None
    initiative: int | None = None
    release: int | None = None


def _product(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.all(), role, pk=product_id)


def _feature(request: HttpRequest, feature_id: int, role: str = Role.VIEWER) -> Feature:
    return access_of(request).get(features(), role, pk=feature_id)


@router.get("/products/{product_id}/features", response=FeatureList, summary="List features")
def list_features(
    request: HttpRequest, product_id: int, page: Query[Page], filters: Query[FeatureFilters]
) -> dict[str, Any]:
    """The product's features in manual backlog order; `q` searches title and description."""
    from headway.planning.backlog import Filters

    product = _product(request, product_id)
    # No join to the product: with it SQLite sorts every feature of the product instead of
    # reading the (product, rank, id) index in order.
    rows = Feature.objects.filter(product=product).select_related("owner")
    result = paginate(Filters(**filters.dict()).apply(rows).order_by("rank", "id"), page)
    components = component_ids(result["items"])
    result["items"] = [feature_out(f, components.get(f.pk, [])) for f in result["items"]]
    return result


@router.post(
    "/products/{product_id}/features", response={201: FeatureOut}, summary="Create a feature"
)
def create_feature(
    request: HttpRequest, product_id: int, payload: FeatureIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create a feature; its scores are computed from the inputs given."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    feature = services.create_feature(request.user, product, payload.dict(exclude_unset=True))
    feature = features().get(pk=feature.pk)
    with_etag(response, feature)
    return Status(201, feature_out(feature))


@router.get("/features/{feature_id}", response=FeatureOut, summary="Get a feature")
def get_feature(request: HttpRequest, feature_id: int, response: HttpResponse) -> dict[str, Any]:
    """One feature with every framework's score and explanation, PERT mean and σ."""
    feature = _feature(request, feature_id)
    with_etag(response, feature)
    return feature_out(feature)


@router.patch("/features/{feature_id}", response=FeatureOut, summary="Change a feature")
def patch_feature(
    request: HttpRequest, feature_id: int, payload: FeaturePatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields (a framework group given as null is cleared); send `If-Match`."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, feature)
    values = payload.dict(exclude_unset=True)
    for field in ("title", "kind", "status", "description", "release_note", "release_note_kind"):
        if field in values and values[field] is None:
            values.pop(field)
    for field in ("moscow", "kano"):
        if field in values and values[field] is None:
            values[field] = ""
    services.update_feature(request.user, feature, values, version)
    feature = features().get(pk=feature.pk)
    with_etag(response, feature)
    return feature_out(feature)


@router.delete("/features/{feature_id}", response={204: None}, summary="Delete a feature")
def delete_feature(request: HttpRequest, feature_id: int) -> Status[None]:
    """Delete a feature with its stories, risks and dependencies."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    changes.delete(feature, user=request.user, expected_version=expected_version(request, feature))
    return Status(204, None)


# --- Stories --------------------------------------------------------------------------------------


def stories() -> QuerySet[Story]:
    return Story.objects.prefetch_related(
        Prefetch("criteria", queryset=AcceptanceCriterion.objects.order_by("position", "id"))
    )


def story_out(story: Story) -> dict[str, Any]:
    return {
        "id": story.pk,
        "feature": story.feature_id,
        "title": story.title,
        "as_a": story.as_a,
        "i_want": story.i_want,
        "so_that": story.so_that,
        "description": story.description,
        "acceptance_criteria": [
            {"id": c.pk, "given": c.given, "when": c.when, "then": c.then}
            for c in story.criteria.all()
        ],
        "points": story.points,
        "status": story.status,
        "done_at": story.done_at,
        "version": story.version,
        "created": story.created,
        "updated": story.updated,
    }


@router.get("/features/{feature_id}/stories", response=StoryList, summary="List stories")
def list_stories(
    request: HttpRequest, feature_id: int, page: Query[Page], q: str | None = None
) -> dict[str, Any]:
    """The feature's user stories in order, each with its acceptance criteria."""
    feature = _feature(request, feature_id)
    queryset = stories().filter(feature=feature)
    if q:
        queryset = queryset.filter(title__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [story_out(s) for s in result["items"]]
    return result


@router.post("/features/{feature_id}/stories", response={201: StoryOut}, summary="Add a story")
def create_story(
    request: HttpRequest, feature_id: int, payload: StoryIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add a story; the title defaults from "I want"."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    story = services.create_story(request.user, feature, payload.dict(exclude_unset=True))
    story = stories().get(pk=story.pk)
    with_etag(response, story)
    return Status(201, story_out(story))


@router.get("/stories/{story_id}", response=StoryOut, summary="Get a story")
def get_story(request: HttpRequest, story_id: int, response: HttpResponse) -> dict[str, Any]:
    """One story with its acceptance criteria."""
    story = access_of(request).get(stories(), pk=story_id)
    with_etag(response, story)
    return story_out(story)


@router.patch("/stories/{story_id}", response=StoryOut, summary="Change a story")
def patch_story(
    request: HttpRequest, story_id: int, payload: StoryPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change a story; `acceptance_criteria` replaces the list; done stamps `done_at`."""
    story = access_of(request).get(stories(), Role.PRODUCT_MANAGER, pk=story_id)
    version = expected_version(request, story)
    values = {
        k: v
        for k, v in payload.dict(exclude_unset=True).items()
        if v is not None or k in {"points", "done_at"}
    }
    services.update_story(request.user, story, values, version)
    story = stories().get(pk=story.pk)
    with_etag(response, story)
    return story_out(story)


@router.delete("/stories/{story_id}", response={204: None}, summary="Delete a story")
def delete_story(request: HttpRequest, story_id: int) -> Status[None]:
    """Delete a story and its criteria."""
    story = access_of(request).get(Story.objects.all(), Role.PRODUCT_MANAGER, pk=story_id)
    changes.delete(story, user=request.user, expected_version=expected_version(request, story))
    return Status(204, None)


# --- Risks ----------------------------------------------------------------------------------------


def risk_out(risk: Risk) -> dict[str, Any]:
    return {
        "id": risk.pk,
        "feature": risk.feature_id,
        "title": risk.title,
        "probability": risk.probability,
        "impact": risk.impact,
        "exposure": risk.exposure,
        "mitigation": risk.mitigation,
        "owner": risk.owner.username if risk.owner else None,
        "status": risk.status,
        "created": risk.created,
    }


@router.get("/features/{feature_id}/risks", response=RiskList, summary="List risks")
def list_risks(request: HttpRequest, feature_id: int, page: Query[Page]) -> dict[str, Any]:
    """The feature's risk register, highest exposure first."""
    feature = _feature(request, feature_id)
    queryset = (
        Risk.objects.filter(feature=feature)
        .select_related("owner")
        .order_by("-probability", "-impact", "id")
    )
    result = paginate(queryset, page)
    result["items"] = [risk_out(r) for r in result["items"]]
    return result


@router.post("/features/{feature_id}/risks", response={201: RiskOut}, summary="Add a risk")
def create_risk(request: HttpRequest, feature_id: int, payload: RiskIn) -> Status[dict[str, Any]]:
    """Add a risk (probability and impact 1–5)."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    risk = services.create_risk(request.user, feature, payload.dict(exclude_unset=True))
    return Status(201, risk_out(risk))


def _risk(request: HttpRequest, risk_id: int, role: str = Role.VIEWER) -> Risk:
    return access_of(request).get(
        Risk.objects.select_related("owner", "feature__product"), role, pk=risk_id
    )


@router.get("/risks/{risk_id}", response=RiskOut, summary="Get a risk")
def get_risk(request: HttpRequest, risk_id: int) -> dict[str, Any]:
    """One risk."""
    return risk_out(_risk(request, risk_id))


@router.patch("/risks/{risk_id}", response=RiskOut, summary="Change a risk")
def patch_risk(request: HttpRequest, risk_id: int, payload: RiskPatch) -> dict[str, Any]:
    """Change a risk: probability, impact, mitigation, owner or status."""
    risk = _risk(request, risk_id, Role.PRODUCT_MANAGER)
    values = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k == "owner"
    }
    services.update_risk(request.user, risk, values)
    return risk_out(_risk(request, risk_id))


@router.delete("/risks/{risk_id}", response={204: None}, summary="Delete a risk")
def delete_risk(request: HttpRequest, risk_id: int) -> Status[None]:
    """Remove a risk from the register."""
    changes.delete(_risk(request, risk_id, Role.PRODUCT_MANAGER), user=request.user)
    return Status(204, None)


# --- Requirements ---------------------------------------------------------------------------------


def requirement_out(requirement: Requirement) -> dict[str, Any]:
    return {
        "id": requirement.pk,
        "feature": requirement.feature_id,
        "category": requirement.category,
        "text": requirement.text,
        "created": requirement.created,
    }


@router.get(
    "/features/{feature_id}/requirements", response=RequirementList, summary="List requirements"
)
def list_requirements(request: HttpRequest, feature_id: int, page: Query[Page]) -> dict[str, Any]:
    """The feature's non-functional requirements."""
    feature = _feature(request, feature_id)
    result = paginate(Requirement.objects.filter(feature=feature), page)
    result["items"] = [requirement_out(r) for r in result["items"]]
    return result


@router.post(
    "/features/{feature_id}/requirements",
    response={201: RequirementOut},
    summary="Add a requirement",
)
def create_requirement(
    request: HttpRequest, feature_id: int, payload: RequirementIn
) -> Status[dict[str, Any]]:
    """Add a non-functional requirement (performance, security, accessibility, …)."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    requirement = services.create_requirement(request.user, feature, payload.dict())
    return Status(201, requirement_out(requirement))


def _requirement(request: HttpRequest, requirement_id: int, role: str = Role.VIEWER) -> Requirement:
    return access_of(request).get(Requirement.objects.all(), role, pk=requirement_id)


@router.get("/requirements/{requirement_id}", response=RequirementOut, summary="Get a requirement")
def get_requirement(request: HttpRequest, requirement_id: int) -> dict[str, Any]:
    """One requirement."""
    return requirement_out(_requirement(request, requirement_id))


@router.patch(
    "/requirements/{requirement_id}", response=RequirementOut, summary="Change a requirement"
)
def patch_requirement(
    request: HttpRequest, requirement_id: int, payload: RequirementPatch
) -> dict[str, Any]:
    """Change a requirement's category or text."""
    requirement = _requirement(request, requirement_id, Role.PRODUCT_MANAGER)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return requirement_out(changes.update(requirement, values, user=request.user))


@router.delete(
    "/requirements/{requirement_id}", response={204: None}, summary="Delete a requirement"
)
def delete_requirement(request: HttpRequest, requirement_id: int) -> Status[None]:
    """Remove a requirement."""
    changes.delete(_requirement(request, requirement_id, Role.PRODUCT_MANAGER), user=request.user)
    return Status(204, None)


# --- Dependencies ---------------------------------------------------------------------------------


def dependency_out(dependency: Dependency) -> dict[str, Any]:
    return {
        "id": dependency.pk,
        "feature": dependency.feature_id,
        "depends_on": dependency.depends_on_id,
        "depends_on_title": dependency.depends_on.title,
    }


@router.get(
    "/features/{feature_id}/dependencies", response=DependencyList, summary="List dependencies"
)
def list_dependencies(request: HttpRequest, feature_id: int, page: Query[Page]) -> dict[str, Any]:
    """What the feature depends on."""
    feature = _feature(request, feature_id)
    queryset = (
        Dependency.objects.filter(feature=feature).select_related("depends_on").order_by("id")
    )
    result = paginate(queryset, page)
    result["items"] = [dependency_out(d) for d in result["items"]]
    return result


@router.post(
    "/features/{feature_id}/dependencies",
    response={201: DependencyOut},
    summary="Add a dependency",
)
def create_dependency(
    request: HttpRequest, feature_id: int, payload: DependencyIn
) -> Status[dict[str, Any]]:
    """Make the feature depend on another of its product; a cycle is a 422 naming it."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    dependency = scheduling.add_dependency(request.user, feature, payload.depends_on)
    return Status(201, dependency_out(dependency))


@router.delete(
    "/features/{feature_id}/dependencies/{depends_on_id}",
    response={204: None},
    summary="Remove a dependency",
)
def delete_dependency(request: HttpRequest, feature_id: int, depends_on_id: int) -> Status[None]:
    """The feature no longer depends on `depends_on_id`."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    if not scheduling.remove_dependency(request.user, feature, depends_on_id):
        raise ProblemError(404, "The feature does not depend on that feature.")
    return Status(204, None)
