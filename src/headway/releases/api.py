"""Releases, readiness, release notes, throughput, forecasts and what-if scenarios."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role, Workspace
from headway.api.errors import invalid
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.forecasting import ForecastInputError, forecast_how_many, forecast_when
from headway.products.models import Product
from headway.releases import forecasts, scenarios, services
from headway.releases.models import (
    ReadinessItem,
    ReadinessTemplateItem,
    Release,
    Scenario,
    ThroughputUnit,
)
from headway.releases.notes import notes_for
from headway.releases.schemas import (
    HowManyIn,
    ReleaseDetail,
    ReleaseIn,
    ReleaseList,
    ReleasePatch,
    ScenarioIn,
    ScenarioList,
    ScenarioOut,
    ScenarioPatch,
    TemplateIn,
    TemplateList,
    TemplateOut,
    ThroughputIn,
    TickIn,
    WhenIn,
)

router = Router(tags=["releases"])


def forecasting[T](call: Callable[[], T]) -> T:
    """Run a forecast, turning its input errors into a 422 naming the field."""
    try:
        return call()
    except ForecastInputError as error:
        raise invalid(error.field, error.message) from None


def release_out(release: Release, scope: services.Scope) -> dict[str, Any]:
    return {
        "id": release.pk,
        "product": release.product_id,
        "name": release.name,
        "description": release.description,
        "target_date": release.target_date,
        "status": release.status,
        "released_at": release.released_at,
        "capacity_points": release.capacity_points,
        "readiness_done": getattr(release, "readiness_done", 0),
        "readiness_total": getattr(release, "readiness_total", 0),
        "scope": scope.as_json(),
        "version": release.version,
        "created": release.created,
        "updated": release.updated,
    }


def readiness_out(item: ReadinessItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "function": item.function,
        "title": item.title,
        "done": item.done,
        "done_by": item.done_by.username if item.done_by else None,
        "done_at": item.done_at,
    }


def release_detail(release: Release) -> dict[str, Any]:
    """A release with scope and readiness per function (a fixed number of queries)."""
    release = services.products_releases(release.product_id).get(pk=release.pk)
    scope = services.scopes_of(release.product_id, [release])[release.pk]
    items = list(release.readiness.select_related("done_by"))
    body = release_out(release, scope)
    body["readiness"] = [
        {
            "function": group["function"],
            "label": group["label"],
            "done": group["done"],
            "total": group["total"],
            "items": [readiness_out(item) for item in group["items"]],
        }
        for group in services.readiness_progress(items)
    ]
    return body


@router.get("/products/{product_id}/releases", response=ReleaseList, summary="List releases")
def list_releases(
    request: HttpRequest,
    product_id: int,
    page: Query[Page],
    q: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """The product's releases by target date, each with its scope summary."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    queryset = services.products_releases(product.pk)
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if status:
        queryset = queryset.filter(status=status)
    result = paginate(queryset, page)
    scopes = services.scopes_of(product.pk, result["items"])
    result["items"] = [release_out(r, scopes[r.pk]) for r in result["items"]]
    return result


@router.post(
    "/products/{product_id}/releases", response={201: ReleaseDetail}, summary="Create a release"
)
def create_release(
    request: HttpRequest, product_id: int, payload: ReleaseIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create a release; its readiness checklist is copied from the workspace template."""
    product = access_of(request).get(
        Product.objects.select_related("workspace"), Role.PRODUCT_MANAGER, pk=product_id
    )
    release = services.create_release(request.user, product, **payload.dict())  # type: ignore[arg-type]
    with_etag(response, release)
    return Status(201, release_detail(release))


def _release(request: HttpRequest, release_id: int, role: str = Role.VIEWER) -> Release:
    return access_of(request).get(Release.objects.all(), role, pk=release_id)


@router.get("/releases/{release_id}", response=ReleaseDetail, summary="Get a release")
def get_release(request: HttpRequest, release_id: int, response: HttpResponse) -> dict[str, Any]:
    """One release with scope (items, points, capacity) and readiness per function."""
    release = _release(request, release_id)
    with_etag(response, release)
    return release_detail(release)


@router.patch("/releases/{release_id}", response=ReleaseDetail, summary="Change a release")
def patch_release(
    request: HttpRequest, release_id: int, payload: ReleasePatch, response: HttpResponse
) -> dict[str, Any]:
    """Change fields or move the status along its workflow; `If-Match` honoured."""
    release = _release(request, release_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, release)
    values = payload.dict(exclude_unset=True)
    for name in ("name", "status", "description"):
        if name in values and values[name] is None:
            values.pop(name)
    release = services.update_release(request.user, release, values, version)  # type: ignore[arg-type]
    with_etag(response, release)
    return release_detail(release)


@router.delete("/releases/{release_id}", response={204: None}, summary="Delete a release")
def delete_release(request: HttpRequest, release_id: int) -> Status[None]:
    """Delete a release; its features and stories stay, without a release."""
    release = _release(request, release_id, Role.PRODUCT_MANAGER)
    changes.delete(release, user=request.user, expected_version=expected_version(request, release))
    return Status(204, None)


@router.post("/readiness/{readiness_id}/tick", response=dict[str, Any], summary="Tick readiness")
def tick_readiness(request: HttpRequest, readiness_id: int, payload: TickIn) -> dict[str, Any]:
    """Tick or untick an item: contributors of its function, product managers and above."""
    item = services.tick(access_of(request), request.user, readiness_id, payload.done)  # type: ignore[arg-type]
    return readiness_out(item)


@router.get(
    "/workspaces/{workspace_id}/readiness-template",
    response=TemplateList,
    summary="Readiness template",
)
def get_template(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    """The checklist every new release of the workspace starts with (defaults on first use)."""
    access_of(request).require(workspace_id, Role.VIEWER)
    items = services.template_of(Workspace.objects.get(pk=workspace_id))
    return {"items": [_template_out(item) for item in items], "count": len(items)}


def _template_out(item: ReadinessTemplateItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "function": item.function,
        "title": item.title,
        "position": item.position,
    }


@router.post(
    "/workspaces/{workspace_id}/readiness-template",
    response={201: TemplateOut},
    summary="Add a template item",
)
def add_template_item(
    request: HttpRequest, workspace_id: int, payload: TemplateIn
) -> Status[dict[str, Any]]:
    """Add a line to the workspace's readiness template (product managers and above)."""
    access_of(request).require(workspace_id, Role.PRODUCT_MANAGER)
    workspace = Workspace.objects.get(pk=workspace_id)
    services.template_of(workspace)
    item = changes.create(
        ReadinessTemplateItem, user=request.user, workspace=workspace, **payload.dict()
    )
    return Status(201, _template_out(item))


@router.delete(
    "/readiness-template/{template_item_id}", response={204: None}, summary="Remove a template item"
)
def delete_template_item(request: HttpRequest, template_item_id: int) -> Status[None]:
    """Remove a line from the template; existing releases keep their checklists."""
    item = access_of(request).get(
        ReadinessTemplateItem.objects.all(), Role.PRODUCT_MANAGER, pk=template_item_id
    )
    changes.delete(item, user=request.user)
    return Status(204, None)


@router.get("/releases/{release_id}/notes", response=str, summary="Release notes")
def release_notes(request: HttpRequest, release_id: int, format: str = "markdown") -> HttpResponse:
    """Notes from the shipped features' customer-facing notes, grouped New / Improved / Fixed."""
    if format not in ("markdown", "html"):
        raise invalid("format", "The format must be markdown or html.")
    release = _release(request, release_id)
    notes = notes_for([release])[release.pk]
    if format == "html":
        return HttpResponse(notes.html(), content_type="text/html; charset=utf-8")
    return HttpResponse(notes.markdown(), content_type="text/markdown; charset=utf-8")


@router.get("/releases/{release_id}/forecast", response=dict[str, Any], summary="Release forecast")
def release_forecast(request: HttpRequest, release_id: int) -> dict[str, Any]:
    """Probability of finishing the remaining scope by the target date, and the PERT forecast."""
    release = _release(request, release_id)
    return release_forecast_body(release)


def release_forecast_body(release: Release) -> dict[str, Any]:
    """The release's throughput forecast and its estimate-based (PERT) one."""
    product = Product.objects.get(pk=release.product_id)
    scope = services.scopes_of(product.pk, [release])[release.pk]
    history = forecasts.forecast_history(product)
    when = forecasts.release_forecast(
        history.counts, scope.remaining, release.target_date, seed=release.pk
    )
    effort = forecasts.effort_forecast(release, forecasts.team_capacity(product))
    return {
        "release": release.pk,
        "target_date": release.target_date,
        "remaining": scope.remaining,
        "probability": forecasts.probability_of(when, release),
        "forecast": when.as_json() if when else None,
        "effort": effort.as_json() if effort else None,
    }


@router.get("/products/{product_id}/throughput", response=dict[str, Any], summary="Throughput")
def get_throughput(
    request: HttpRequest, product_id: int, unit: str = "stories", weeks: int = 26
) -> dict[str, Any]:
    """Items finished per week (zero weeks included), from done times or the imported history."""
    if unit not in ThroughputUnit.values:
        raise invalid("unit", "The unit must be stories or features.")
    if not 1 <= weeks <= 520:
        raise invalid("weeks", "The number of weeks must be between 1 and 520.")
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    return forecasts.throughput_of(product, unit, weeks).as_json()


@router.post(
    "/products/{product_id}/throughput", response={201: dict[str, Any]}, summary="Import throughput"
)
def import_throughput(
    request: HttpRequest, product_id: int, payload: ThroughputIn
) -> Status[dict[str, Any]]:
    """Replace the imported weekly history (a list of weeks, or CSV `week_start,count`)."""
    product = access_of(request).get(Product.objects.all(), Role.PRODUCT_MANAGER, pk=product_id)
    if payload.weeks is None and payload.csv is None:
        raise invalid("weeks", "Send the weeks as a list or as csv.")
    if payload.weeks is not None:
        rows = [(week.week_start, week.count) for week in payload.weeks]
    else:
        rows = forecasting(lambda: forecasts.parse_throughput_csv(payload.csv or ""))
    stored = forecasts.import_throughput(product, payload.unit, rows)
    return Status(201, {"weeks": stored, "unit": payload.unit})


@router.post("/forecast/when", response=dict[str, Any], summary="Forecast when")
def when(request: HttpRequest, payload: WhenIn) -> dict[str, Any]:
    """Dates by which `remaining` items are done with 50/85/95 % probability."""
    start = payload.start_date or forecasts.today()
    result = forecasting(
        lambda: forecast_when(
            payload.throughput,
            payload.remaining,
            start_date=start,
            trials=payload.trials,
            seed=payload.seed,
            target_date=payload.target_date,
            window=payload.window,
            scope_growth=payload.scope_growth,
            calendar=payload.calendar,
            method=payload.method,  # type: ignore[arg-type]
        )
    )
    return result.as_json()


@router.post("/forecast/how-many", response=dict[str, Any], summary="Forecast how many")
def how_many(request: HttpRequest, payload: HowManyIn) -> dict[str, Any]:
    """Items done at least, with 50/85/95 % probability, in the next `weeks` weeks."""
    result = forecasting(
        lambda: forecast_how_many(
            payload.throughput,
            payload.weeks,
            trials=payload.trials,
            seed=payload.seed,
            window=payload.window,
            calendar=payload.calendar,
            start_date=payload.start_date,
            method=payload.method,  # type: ignore[arg-type]
        )
    )
    return result.as_json()


@router.get("/products/{product_id}/forecast", response=dict[str, Any], summary="Product forecast")
def product_forecast(
    request: HttpRequest,
    product_id: int,
    remaining: int | None = None,
    target_date: dt.date | None = None,
    unit: str = "stories",
    seed: int | None = 0,
) -> dict[str, Any]:
    """When the product's open items (or `remaining`) are done, from its own throughput."""
    if unit not in ThroughputUnit.values:
        raise invalid("unit", "The unit must be stories or features.")
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    history = forecasts.forecast_history(product, unit)
    if remaining is None:
        remaining = forecasts.open_items(product, unit)
    counts = history.counts
    result = forecasting(
        lambda: forecast_when(
            counts,
            remaining,
            start_date=forecasts.today(),
            target_date=target_date,
            seed=seed,
        )
    )
    return result.as_json() | {"throughput": history.as_json()}


def scenario_out(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.pk,
        "product": scenario.product_id,
        "name": scenario.name,
        "created_by": scenario.created_by.username if scenario.created_by else None,
        "changes": scenario.changes,
        "applied_at": scenario.applied_at,
        "version": scenario.version,
        "created": scenario.created,
        "updated": scenario.updated,
    }


@router.get("/products/{product_id}/scenarios", response=ScenarioList, summary="List scenarios")
def list_scenarios(
    request: HttpRequest, product_id: int, page: Query[Page], q: str | None = None
) -> dict[str, Any]:
    """The product's what-if scenarios, newest first."""
    product = access_of(request).get(Product.objects.all(), pk=product_id)
    queryset = Scenario.objects.filter(product=product).select_related("created_by")
    if q:
        queryset = queryset.filter(name__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [scenario_out(s) for s in result["items"]]
    return result


@router.post(
    "/products/{product_id}/scenarios", response={201: ScenarioOut}, summary="Create a scenario"
)
def create_scenario(
    request: HttpRequest, product_id: int, payload: ScenarioIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Start a what-if scenario; the live plan is not changed until it is applied."""
    product = access_of(request).get(Product.objects.all(), Role.PRODUCT_MANAGER, pk=product_id)
    clean = scenarios.clean_changes(product.pk, payload.changes)
    scenario = changes.create(
        Scenario,
        user=request.user,
        product=product,
        name=payload.name,
        created_by=request.user,
        changes=clean,
    )
    with_etag(response, scenario)
    return Status(201, scenario_out(scenario))


def _scenario(request: HttpRequest, scenario_id: int, role: str = Role.VIEWER) -> Scenario:
    return access_of(request).get(
        Scenario.objects.select_related("created_by", "product"), role, pk=scenario_id
    )


@router.get("/scenarios/{scenario_id}", response=ScenarioOut, summary="Get a scenario")
def get_scenario(request: HttpRequest, scenario_id: int, response: HttpResponse) -> dict[str, Any]:
    """One scenario and its changes."""
    scenario = _scenario(request, scenario_id)
    with_etag(response, scenario)
    return scenario_out(scenario)


@router.patch("/scenarios/{scenario_id}", response=ScenarioOut, summary="Change a scenario")
def patch_scenario(
    request: HttpRequest, scenario_id: int, payload: ScenarioPatch, response: HttpResponse
) -> dict[str, Any]:
    """Rename a scenario or replace its changes; `If-Match` honoured."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, scenario)
    values = payload.dict(exclude_unset=True)
    if values.get("name") is None:
        values.pop("name", None)
    if "changes" in values:
        if values["changes"] is None:
            values.pop("changes")
        else:
            values["changes"] = scenarios.clean_changes(scenario.product_id, values["changes"])
    scenario = changes.update(scenario, values, user=request.user, expected_version=version)
    with_etag(response, scenario)
    return scenario_out(scenario)


@router.delete("/scenarios/{scenario_id}", response={204: None}, summary="Discard a scenario")
def delete_scenario(request: HttpRequest, scenario_id: int) -> Status[None]:
    """Discard a scenario; the live plan is untouched."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    changes.delete(
        scenario, user=request.user, expected_version=expected_version(request, scenario)
    )
    return Status(204, None)


@router.get("/scenarios/{scenario_id}/compare", response=dict[str, Any], summary="Compare")
def compare_scenario(request: HttpRequest, scenario_id: int) -> dict[str, Any]:
    """Today's plan and the scenario's side by side: scope, release probabilities, dates."""
    return scenarios.compare(_scenario(request, scenario_id))


@router.post("/scenarios/{scenario_id}/apply", response=ScenarioOut, summary="Apply a scenario")
def apply_scenario(
    request: HttpRequest, scenario_id: int, response: HttpResponse
) -> dict[str, Any]:
    """Write the scenario's changes to the live plan in one transaction (audited)."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    scenario = scenarios.apply(scenario, request.user, expected_version(request, scenario))  # type: ignore[arg-type]
    with_etag(response, scenario)
    return scenario_out(scenario)
