"""Release pages, the product forecast page, scenarios, and the public changelog and feeds."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import changes, clock
from headway.forecasting import ForecastInputError, forecast_when, week_start, weekly_throughput
from headway.planning.models import Feature, Team
from headway.products.models import Product
from headway.releases import charts, forecasts, scenarios, services
from headway.releases.models import (
    MEMBER_FUNCTION,
    TRANSITIONS,
    Release,
    ReleaseStatus,
    Scenario,
)
from headway.releases.notes import (
    CalendarRelease,
    FeedEntry,
    atom_feed,
    notes_for,
    releases_calendar,
)

OPEN = (ReleaseStatus.PLANNED, ReleaseStatus.IN_PROGRESS)


def _product(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.select_related("workspace"), role, pk=product_id)


def _percent(probability: float | None) -> int | None:
    return None if probability is None else round(100 * probability)


@login_required
def release_list(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's releases with scope, readiness and the chance of hitting each date."""
    product = _product(request, product_id)
    releases = list(services.products_releases(product.pk).order_by("target_date", "id"))
    scopes = services.scopes_of(product.pk, releases)
    history = forecasts.forecast_history(product).counts
    rows = []
    for release in releases:
        scope = scopes[release.pk]
        probability = None
        if release.status in OPEN:
            when = forecasts.release_forecast(
                history, scope.remaining, release.target_date, seed=release.pk
            )
            probability = forecasts.probability_of(when, release)
        rows.append({"release": release, "scope": scope, "probability": _percent(probability)})
    role = access_of(request).role_in(product.workspace_id)
    return render(
        request,
        "releases/list.html",
        {"product": product, "rows": rows, "can_edit": _is_pm(role)},
    )


def _is_pm(role: str | None) -> bool:
    return role in (Role.PRODUCT_MANAGER, Role.ADMIN, Role.OWNER)


@login_required
@require_POST
def release_create(request: HttpRequest, product_id: int) -> HttpResponse:
    """Create a release from the list page's form."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    name = request.POST.get("name", "").strip()
    target = request.POST.get("target_date") or None
    try:
        release = services.create_release(
            request.user,  # type: ignore[arg-type]
            product,
            name=name,
            target_date=dt.date.fromisoformat(target) if target else None,
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, f"The release was not created: {_message(error)}")
        return redirect("releases:list", product_id=product.pk)
    return redirect("releases:detail", release_id=release.pk)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return "the date must look like 2026-03-31."


def release_context(request: HttpRequest, release: Release) -> dict[str, Any]:
    """Everything the release page shows (a fixed number of queries)."""
    product = release.product
    scope = services.scopes_of(product.pk, [release])[release.pk]
    items = list(release.readiness.select_related("done_by"))
    access = access_of(request)
    role = access.role_in(product.workspace_id)
    function = (
        request.user.memberships.filter(workspace_id=product.workspace_id)  # type: ignore[union-attr]
        .values_list("function", flat=True)
        .first()
    )
    groups = services.readiness_progress(items)
    for group in groups:
        group["can_tick"] = _is_pm(role) or (
            role == Role.CONTRIBUTOR
            and bool(function)
            and MEMBER_FUNCTION.get(group["function"]) == function
        )
    history = forecasts.forecast_history(product).counts
    when = (
        forecasts.release_forecast(history, scope.remaining, release.target_date, seed=release.pk)
        if release.status in OPEN
        else None
    )
    probability = forecasts.probability_of(when, release) if release.status in OPEN else None
    today = forecasts.today()
    done_days = forecasts.release_done_days(release)
    start = week_start(min([today - dt.timedelta(weeks=12), *done_days]))
    done_in_window = [day for day in done_days if day >= start]
    weekly = weekly_throughput(done_in_window, start, today)
    burnup = charts.burnup_svg(
        title=f"Burn-up of release {release.name}",
        start=start,
        weekly_done=weekly,
        done_before=len(done_days) - len(done_in_window),
        scope=scope.done_items + scope.remaining,
        today=today,
        dates=when.dates if when else None,
        target=release.target_date,
    )
    histogram = (
        charts.histogram_svg(
            title=f"When release {release.name} is done, in 4,000 simulated futures",
            start=when.start_date,
            histogram=when.histogram,
            target=release.target_date,
        )
        if when and when.remaining
        else ""
    )
    effort = (
        forecasts.effort_forecast(release, forecasts.team_capacity(product))
        if release.status in OPEN
        else None
    )
    return {
        "product": product,
        "release": release,
        "scope": scope,
        "groups": groups,
        "when": when,
        "effort": effort,
        "probability": _percent(probability),
        "burnup": mark_safe(burnup),  # noqa: S308 - built from numbers and escaped text
        "histogram": mark_safe(histogram),  # noqa: S308 - built from numbers and escaped text
        "notes": notes_for([release])[release.pk],
        "can_edit": _is_pm(role),
        "next_statuses": sorted(TRANSITIONS[release.status]),
    }


@login_required
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    """A release: readiness per function, scope against capacity, forecast and charts."""
    release = access_of(request).get(
        Release.objects.select_related("product__workspace"), pk=release_id
    )
    return render(request, "releases/detail.html", release_context(request, release))


@login_required
@require_POST
def release_status(request: HttpRequest, release_id: int) -> HttpResponse:
    """Move a release along its workflow from the release page."""
    release = access_of(request).get(Release.objects.all(), Role.PRODUCT_MANAGER, pk=release_id)
    try:
        services.update_release(
            request.user,  # type: ignore[arg-type]
            release,
            {"status": request.POST.get("status", "")},
            None,
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("releases:detail", release_id=release.pk)


@login_required
@require_POST
def readiness_tick(request: HttpRequest, item_id: int) -> HttpResponse:
    """Tick or untick a readiness item (htmx swaps the function's card)."""
    done = request.POST.get("done") == "1"
    try:
        item = services.tick(access_of(request), request.user, item_id, done)  # type: ignore[arg-type]
    except PermissionDenied as error:
        if request.headers.get("HX-Request"):
            return HttpResponse(str(error), status=403)
        raise
    release = Release.objects.select_related("product__workspace").get(pk=item.release_id)
    if request.headers.get("HX-Request"):
        context = release_context(request, release)
        context["group"] = next(g for g in context["groups"] if g["function"] == item.function)
        return render(request, "releases/detail.html#readiness_group", context)
    return redirect("releases:detail", release_id=release.pk)


@login_required
def forecast_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's throughput, a "when" forecast with burn-up and histogram, and scenarios."""
    product = _product(request, product_id)
    history = forecasts.forecast_history(product)
    open_items = forecasts.open_items(product)
    errors: dict[str, str] = {}
    remaining = open_items
    target: dt.date | None = None
    try:
        if request.GET.get("remaining"):
            remaining = int(request.GET["remaining"])
    except ValueError:
        errors["remaining"] = "Enter a whole number of items."
    try:
        if request.GET.get("target_date"):
            target = dt.date.fromisoformat(request.GET["target_date"])
    except ValueError:
        errors["target_date"] = "Enter a date like 2026-03-31."
    when = None
    if not errors:
        try:
            when = forecast_when(
                history.counts,
                remaining,
                start_date=forecasts.today(),
                target_date=target,
                trials=forecasts.PAGE_TRIALS,
                seed=0,
            )
        except ForecastInputError as error:
            errors[error.field] = error.message
    today = forecasts.today()
    recent = forecasts.throughput_of(product, weeks=26)
    start = recent.start or week_start(today)
    weekly = weekly_throughput(forecasts.product_done_days(product, start), start, today)
    burnup = charts.burnup_svg(
        title=f"Burn-up of {product.name}'s open work",
        start=start,
        weekly_done=weekly,
        done_before=0,
        scope=sum(weekly) + remaining,
        today=today,
        dates=when.dates if when else None,
        target=target,
    )
    histogram = (
        charts.histogram_svg(
            title="Completion dates in 4,000 simulated futures",
            start=when.start_date,
            histogram=when.histogram,
            target=target,
        )
        if when and when.remaining
        else ""
    )
    role = access_of(request).role_in(product.workspace_id)
    return render(
        request,
        "releases/forecast.html",
        {
            "product": product,
            "history": history,
            "recent": recent,
            "peak": max(recent.counts or [0]) or 1,
            "remaining": remaining,
            "target": target,
            "when": when,
            "errors": errors,
            "probability": _percent(when.probability_by) if when else None,
            "burnup": mark_safe(burnup),  # noqa: S308 - numbers and escaped text
            "histogram": mark_safe(histogram),  # noqa: S308 - numbers and escaped text
            "scenarios": Scenario.objects.filter(product=product).select_related("created_by"),
            "can_edit": _is_pm(role),
        },
    )


@login_required
@require_POST
def scenario_create(request: HttpRequest, product_id: int) -> HttpResponse:
    """Start an empty scenario and open it."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    name = request.POST.get("name", "").strip() or "What if"
    scenario = changes.create(
        Scenario,
        user=request.user,
        product=product,
        name=name[:120],
        created_by=request.user,
        changes=scenarios.clean_changes(product.pk, {}),
    )
    return redirect("releases:scenario", scenario_id=scenario.pk)


def _scenario(request: HttpRequest, scenario_id: int, role: str = Role.VIEWER) -> Scenario:
    return access_of(request).get(
        Scenario.objects.select_related("product__workspace", "created_by"), role, pk=scenario_id
    )


@login_required
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Today's plan and the scenario's, side by side, with forms to change the scenario."""
    scenario = _scenario(request, scenario_id)
    product = scenario.product
    role = access_of(request).role_in(product.workspace_id)
    return render(
        request,
        "releases/scenario.html",
        {
            "product": product,
            "scenario": scenario,
            "comparison": scenarios.compare(scenario),
            "features": Feature.objects.filter(product=product)
            .exclude(status__in=["done", "cancelled"])
            .select_related("release")
            .order_by("title"),
            "releases": Release.objects.filter(product=product, status__in=OPEN),
            "teams": Team.objects.filter(product=product),
            "can_edit": _is_pm(role) and scenario.applied_at is None,
        },
    )


@login_required
@require_POST
def scenario_change(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Add one change (move a feature, move a date, change capacity or pace) to a scenario."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    change = copy.deepcopy(scenario.changes or {})
    kind = request.POST.get("kind")
    try:
        if kind == "feature":
            release = request.POST.get("release")
            change.setdefault("features", []).append(
                {
                    "feature": int(request.POST["feature"]),
                    "release": int(release) if release else None,
                }
            )
        elif kind == "release":
            row: dict[str, Any] = {"release": int(request.POST["release"])}
            if request.POST.get("target_date"):
                row["target_date"] = request.POST["target_date"]
            if request.POST.get("capacity_points"):
                row["capacity_points"] = int(request.POST["capacity_points"])
            change.setdefault("releases", []).append(row)
        elif kind == "team":
            change.setdefault("teams", []).append(
                {
                    "team": int(request.POST["team"]),
                    "capacity_per_week": float(request.POST["capacity_per_week"]),
                }
            )
        elif kind == "pace":
            change["throughput_multiplier"] = float(request.POST["throughput_multiplier"])
        clean = scenarios.clean_changes(scenario.product_id, change)
        changes.update(scenario, {"changes": clean}, user=request.user)
    except (KeyError, ValueError) as error:
        messages.error(request, f"That change was not understood ({error}).")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("releases:scenario", scenario_id=scenario.pk)


@login_required
@require_POST
def scenario_apply(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Apply the scenario to the live plan (one transaction)."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    try:
        scenarios.apply(scenario, request.user)  # type: ignore[arg-type]
        messages.success(request, f"Scenario “{scenario.name}” applied to the plan.")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("releases:scenario", scenario_id=scenario.pk)


@login_required
@require_POST
def scenario_discard(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Discard the scenario; the plan is untouched."""
    scenario = _scenario(request, scenario_id, Role.PRODUCT_MANAGER)
    product_id = scenario.product_id
    changes.delete(scenario, user=request.user)
    messages.success(request, "Scenario discarded; the plan is unchanged.")
    return redirect("releases:forecast", product_id=product_id)


@login_required
def releases_ics(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's dated releases as an iCalendar feed."""
    product = _product(request, product_id)
    releases = Release.objects.filter(product=product).exclude(status=ReleaseStatus.CANCELLED)
    host = request.get_host().split(":")[0] or "headway.invalid"
    events = []
    for release in releases:
        day = release.released_at.date() if release.released_at else release.target_date
        if day is None:
            continue
        events.append(
            CalendarRelease(
                uid=f"release-{release.pk}@{host}",
                name=release.name,
                day=day,
                status=release.get_status_display(),
                url=request.build_absolute_uri(reverse("releases:detail", args=[release.pk])),
            )
        )
    body = releases_calendar(f"{product.name} releases", events, clock.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{product.slug}-releases.ics"'
    return response


def _portal_product(slug: str) -> Product:
    product = get_object_or_404(Product, slug=slug)
    if not product.portal_enabled:
        raise Http404("This product has no public portal.")
    return product


def _released(product: Product) -> list[Release]:
    return list(
        Release.objects.filter(product=product, status=ReleaseStatus.RELEASED).order_by(
            "-released_at", "-id"
        )[:50]
    )


def portal_changelog(request: HttpRequest, slug: str) -> HttpResponse:
    """The public changelog: released releases and their notes (404 when the portal is off)."""
    product = _portal_product(slug)
    releases = _released(product)
    notes = notes_for(releases)
    entries = [
        {"release": release, "html": mark_safe(notes[release.pk].html())}  # noqa: S308 - escaped
        for release in releases
    ]
    return render(request, "releases/changelog.html", {"portal": product, "entries": entries})


def portal_changelog_atom(request: HttpRequest, slug: str) -> HttpResponse:
    """The public changelog as an Atom 1.0 feed."""
    product = _portal_product(slug)
    releases = _released(product)
    notes = notes_for(releases)
    page = request.build_absolute_uri(reverse("releases:changelog", args=[product.slug]))
    entries = [
        FeedEntry(
            id=f"{page}#release-{release.pk}",
            title=f"{product.name} {release.name}",
            updated=release.released_at or release.updated,
            html=notes[release.pk].html(),
            link=f"{page}#release-{release.pk}",
        )
        for release in releases
    ]
    updated = max([entry.updated for entry in entries], default=product.updated)
    body = atom_feed(
        feed_id=page,
        title=f"{product.name} changelog",
        link=page,
        self_link=request.build_absolute_uri(),
        entries=entries,
        updated=updated,
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
