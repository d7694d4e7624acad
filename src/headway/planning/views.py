"""Planning pages: the ranked backlog and the feature page (stories, criteria, risks,
requirements, dependencies). They call the same services as the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import changes
from headway.core.changes import StaleVersion
from headway.planning import backlog, charts, scheduling, scoring, services, spec
from headway.planning.forms import (
    FIELD_OF_ERROR,
    SECTIONS,
    CriterionForm,
    FeatureForm,
    NewFeatureForm,
    RatingForm,
    RequirementForm,
    RiskForm,
    StoryForm,
)
from headway.planning.models import (
    AcceptanceCriterion,
    Feature,
    FeatureKind,
    FeatureStatus,
    PriorityFormula,
    Requirement,
    Risk,
    Scorecard,
    ScorecardRating,
    Story,
    Team,
)
from headway.products.models import Product
from headway.releases.forecasts import forecast_capacity
from headway.strategy.models import Initiative

PAGE_SIZE = 100
FRAMEWORK_NAMES = {
    "manual": "Manual order",
    "rice": "RICE",
    "ice": "ICE",
    "wsjf": "WSJF",
    "value_effort": "Value / Effort",
    "value_risk": "Value / Risk",
    "eisenhower": "Eisenhower",
    "moscow": "MoSCoW",
    "kano": "Kano",
}
VALUE_EFFORT = ("Big bets", "Quick wins", "Time sinks", "Fill-ins")
VALUE_RISK = ("Avoid", "Do first", "Do last", "Do second")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: list(v) for k, v in error.message_dict.items()}
    return {"__all__": list(error.messages)}


@login_required
def backlog_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """The ranked backlog: any framework or manual order (drag and drop), filters, the cut line
    and the Value/Effort and Value/Risk matrices."""
    access = access_of(request)
    product = access.get(Product.objects.select_related("workspace"), pk=product_id)
    can_edit = access.can(product.workspace_id, Role.PRODUCT_MANAGER)
    framework = request.GET.get("framework", "manual")
    scorecard = _int(request.GET.get("scorecard"))
    formula = _int(request.GET.get("formula"))
    if framework not in backlog.FRAMEWORKS:
        framework = "manual"
    # The pickers show the product's first scorecard and formula: rank by what they show.
    if framework == "scorecard" and scorecard is None:
        scorecard = Scorecard.objects.filter(product=product).values_list("pk", flat=True).first()
    if framework == "formula" and formula is None:
        formula = (
            PriorityFormula.objects.filter(product=product).values_list("pk", flat=True).first()
        )
    filters = backlog.Filters(
        kind=request.GET.get("kind") or None,
        team=_int(request.GET.get("team")),
        status=request.GET.get("status") or None,
        initiative=_int(request.GET.get("initiative")),
        q=request.GET.get("q") or None,
    )
    offset = max(0, _int(request.GET.get("offset")) or 0)
    error = ""
    try:
        rows, count = backlog.ranked(
            product, framework, filters, PAGE_SIZE, offset, scorecard=scorecard, formula=formula
        )
    except ValidationError as problem:
        rows, count, error = [], 0, " ".join(m for ms in _errors(problem).values() for m in ms)
    cut: dict[str, Any] | None = None
    cut_after: int | None = None
    until = request.GET.get("date")
    throughput = request.GET.get("throughput")
    if until and not error:
        try:
            source: backlog.CapacitySource | None = (
                backlog.Throughput(float(throughput), request.GET.get("unit") or "points")
                if throughput
                else forecast_capacity(product)
            )
            if source is None:
                raise ValueError("no history to forecast from")
            cut = backlog.cutline(
                product,
                framework,
                dt.date.fromisoformat(until),
                source,
                filters,
                scorecard=scorecard,
                formula=formula,
            )
            fits = {item["id"] for item in cut["fits"]}
            shown = [r.feature.pk for r in rows]
            inside = [pk for pk in shown if pk in fits]
            cut_after = inside[-1] if inside else None
        except (ValueError, ValidationError) as problem:
            error = (
                " ".join(m for ms in _errors(problem).values() for m in ms)
                if isinstance(problem, ValidationError)
                else "Give the cut line a date (YYYY-MM-DD) and a throughput per week."
            )
    context = {
        "product": product,
        "rows": rows,
        "count": count,
        "offset": offset,
        "next_offset": offset + PAGE_SIZE if offset + PAGE_SIZE < count else None,
        "framework": framework,
        "framework_name": FRAMEWORK_NAMES.get(framework, framework)
        if framework != "manual"
        else "hand",
        "frameworks": FRAMEWORK_NAMES,
        "scorecards": Scorecard.objects.filter(product=product),
        "formulas": PriorityFormula.objects.filter(product=product),
        "scorecard": scorecard,
        "formula": formula,
        "filters": filters,
        "kinds": FeatureKind.choices,
        "statuses": FeatureStatus.choices,
        "teams": Team.objects.filter(product=product),
        "initiatives": Initiative.objects.filter(product=product).only("id", "title"),
        "draggable": framework == "manual" and can_edit and not error,
        "can_edit": can_edit,
        "cut": cut,
        "cut_after": cut_after,
        "cut_form": {
            "date": until or "",
            "throughput": throughput or "",
            "unit": request.GET.get("unit") or "points",
        },
        "error": error,
        "new_form": NewFeatureForm(),
        **matrices(product),
    }
    return render(request, "planning/backlog.html", context)


def matrices(product: Product) -> dict[str, str]:
    """The Value/Effort and Value/Risk charts of the product's open features (one query)."""
    rated = (
        Feature.objects.filter(product=product, value__isnull=False)
        .exclude(status__in=scheduling.CLOSED)
        .only("id", "title", "value", "effort", "risk")
        .order_by("rank", "id")[:60]
    )
    effort_points, risk_points = [], []
    for feature in rated:
        assert feature.value is not None
        if feature.effort is not None:
            score = scoring.value_effort(feature.value, feature.effort)
            effort_points.append(
                charts.Point(feature.title, feature.effort, feature.value, score.label or "")
            )
        if feature.risk is not None:
            score = scoring.value_risk(feature.value, feature.risk)
            risk_points.append(
                charts.Point(feature.title, feature.risk, feature.value, score.label or "")
            )
    return {
        "value_effort_chart": charts.matrix(
            "Value / Effort", effort_points, "Effort", "Value", VALUE_EFFORT
        ),
        "value_risk_chart": charts.matrix("Value / Risk", risk_points, "Risk", "Value", VALUE_RISK),
        "value_effort_points": effort_points,  # type: ignore[dict-item]
        "value_risk_points": risk_points,  # type: ignore[dict-item]
    }


@login_required
@require_POST
def feature_create(request: HttpRequest, product_id: int) -> HttpResponse:
    """Add a feature at the end of the backlog, then open it."""
    product = access_of(request).get(Product.objects.all(), Role.PRODUCT_MANAGER, pk=product_id)
    form = NewFeatureForm(request.POST)
    if not form.is_valid():
        return redirect("planning:backlog", product.pk)
    feature = services.create_feature(request.user, product, form.cleaned_data)
    return redirect("planning:feature", feature.pk)


def _feature(request: HttpRequest, feature_id: int, role: str = Role.VIEWER) -> Feature:
    queryset = spec.features().prefetch_related("components")
    return access_of(request).get(queryset, role, pk=feature_id)


def feature_context(request: HttpRequest, feature: Feature, **extra: Any) -> dict[str, Any]:
    access = access_of(request)
    can_edit = access.can(feature.product.workspace_id, Role.PRODUCT_MANAGER)
    linked = {d.depends_on_id for d in feature.dependencies.all()}
    context: dict[str, Any] = {
        "feature": feature,
        "product": feature.product,
        "can_edit": can_edit,
        "scores": services.scores_of(feature),
        "framework_names": FRAMEWORK_NAMES,
        "estimate": services.estimate_of(feature),
        "stories": feature.stories.all(),
        "risks": sorted(feature.risks.all(), key=lambda r: (-r.exposure, r.pk)),
        "requirements": feature.requirements.all(),
        "dependencies": feature.dependencies.all(),
        "dependants": feature.dependants.all(),
        "candidates": Feature.objects.filter(product_id=feature.product_id)
        .exclude(pk__in={feature.pk, *linked})
        .only("id", "title")
        .order_by("rank", "id"),
        "story_form": StoryForm(),
        "risk_form": RiskForm(),
        "requirement_form": RequirementForm(),
        "sections": SECTIONS,
        "scorecard_panels": scorecard_panels(feature, can_edit, extra.pop("rating_form", None)),
    }
    if "form" not in extra:
        form = FeatureForm(
            initial={**FeatureForm.initial_for(feature), "version": feature.version},
            feature=feature,
            choices=FeatureForm.choices_for(feature),
        )
        context["form"] = form
    context.update(extra)
    return context


def scorecard_panels(
    feature: Feature, can_edit: bool, bound: RatingForm | None = None
) -> list[dict[str, Any]]:
    """Each scorecard of the feature's product with the feature's ratings, score and explanation,
    and (for editors) the form to rate it; ``bound`` is a form just posted, shown with its errors.
    Two queries, whatever the number of scorecards."""
    given = dict(
        ScorecardRating.objects.filter(feature=feature).values_list("scorecard_id", "ratings")
    )
    panels = []
    for card in Scorecard.objects.filter(product_id=feature.product_id):
        ratings = given.get(card.pk)
        score, problem = None, ""
        if ratings is not None:
            try:
                score = scoring.weighted_scorecard(backlog.criteria_of(card), ratings)
            except scoring.ScoringInputError as error:
                # Rated before the criteria changed: the ratings no longer complete the card.
                problem = error.message
        form = None
        if can_edit:
            form = (
                bound
                if bound is not None and bound.card.pk == card.pk
                else RatingForm(card=card, ratings=ratings)
            )
        panels.append(
            {"card": card, "ratings": ratings, "score": score, "problem": problem, "form": form}
        )
    return panels


@login_required
def feature_page(request: HttpRequest, feature_id: int) -> HttpResponse:
    """A feature with every field editable; a concurrent edit shows both versions."""
    feature = _feature(request, feature_id)
    if request.method != "POST":
        return render(request, "planning/feature.html", feature_context(request, feature))
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    form = FeatureForm(request.POST, feature=feature, choices=FeatureForm.choices_for(feature))
    status = 200
    extra: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            services.update_feature(
                request.user, feature, form.values(), form.cleaned_data["version"]
            )
        except StaleVersion as stale:
            current = _feature(request, feature_id)
            extra["conflict"] = conflict_rows(form, current)
            data = request.POST.copy()
            data["version"] = str(stale.current.version)  # type: ignore[attr-defined]
            extra["form"] = FeatureForm(
                data, feature=current, choices=FeatureForm.choices_for(current)
            )
            extra["form"].is_valid()
            feature, status = current, 409
        except ValidationError as error:
            for field, messages in _errors(error).items():
                name = FIELD_OF_ERROR.get(field, field.split(".")[0])
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
            status = 422
        else:
            return redirect("planning:feature", feature.pk)
    else:
        status = 422
    context = feature_context(request, feature, **extra)
    return render(request, "planning/feature.html", context, status=status)


def conflict_rows(form: FeatureForm, current: Feature) -> list[tuple[str, str, str]]:
    """(field, your value, their value) for each field where the two versions differ."""
    theirs = FeatureForm.initial_for(current)
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        data: Any = form.data
        mine = data.getlist(name) if name == "components" else data.get(name, "")
        other = theirs.get(name, "")
        normal_other = other if isinstance(other, list) else ("" if other is None else str(other))
        if name in {"start_date", "end_date"} and other:
            normal_other = other.isoformat()
        if (sorted(mine) if isinstance(mine, list) else str(mine)) != (
            sorted(normal_other) if isinstance(normal_other, list) else normal_other
        ):
            rows.append(
                (
                    str(field.label or name.replace("_", " ").capitalize()),
                    str(mine) or "—",
                    str(normal_other) or "—",
                )
            )
    return rows


@login_required
def feature_spec(request: HttpRequest, feature_id: int) -> HttpResponse:
    """The feature as a Markdown spec (download)."""
    feature = _feature(request, feature_id)
    response = HttpResponse(spec.markdown(feature), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="feature-{feature.pk}.md"'
    return response


def _section(request: HttpRequest, feature_id: int, name: str, **extra: Any) -> HttpResponse:
    """After a change: the section's fragment for htmx, else back to the feature page."""
    if request.headers.get("HX-Request"):
        feature = _feature(request, feature_id)
        context = feature_context(request, feature, **extra)
        return render(request, f"planning/feature.html#{name}", context)
    return redirect("planning:feature", feature_id)


@login_required
@require_POST
def story_add(request: HttpRequest, feature_id: int) -> HttpResponse:
    """Add a story to the feature."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    form = StoryForm(request.POST)
    error = ""
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        try:
            services.create_story(request.user, feature, values)
        except ValidationError as problem:
            error = " ".join(m for ms in _errors(problem).values() for m in ms)
    else:
        error = "Check the story's fields."
    return _section(request, feature_id, "stories", story_error=error)


@login_required
@require_POST
def story_status(request: HttpRequest, story_id: int) -> HttpResponse:
    """Move a story to another status (done stamps done_at)."""
    story = access_of(request).get(Story.objects.all(), Role.PRODUCT_MANAGER, pk=story_id)
    status = request.POST.get("status", "")
    if status in {"todo", "in_progress", "done"}:
        services.update_story(request.user, story, {"status": status})
    return _section(request, story.feature_id, "stories")


@login_required
@require_POST
def story_delete(request: HttpRequest, story_id: int) -> HttpResponse:
    story = access_of(request).get(Story.objects.all(), Role.PRODUCT_MANAGER, pk=story_id)
    changes.delete(story, user=request.user)
    return _section(request, story.feature_id, "stories")


@login_required
@require_POST
def criterion_add(request: HttpRequest, story_id: int) -> HttpResponse:
    """Append a Given / When / Then to a story."""
    story = access_of(request).get(Story.objects.all(), Role.PRODUCT_MANAGER, pk=story_id)
    form = CriterionForm(request.POST)
    if form.is_valid() and any(form.cleaned_data.values()):
        services.add_criterion(request.user, story, form.cleaned_data)
    return _section(request, story.feature_id, "stories")


@login_required
@require_POST
def criterion_save(request: HttpRequest, criterion_id: int) -> HttpResponse:
    """Edit one criterion inline, or delete it."""
    criterion = access_of(request).get(
        AcceptanceCriterion.objects.select_related("story"),
        Role.PRODUCT_MANAGER,
        pk=criterion_id,
    )
    if "delete" in request.POST:
        changes.delete(criterion, user=request.user)
        return _section(request, criterion.story.feature_id, "stories")
    form = CriterionForm(request.POST)
    if form.is_valid():
        changes.update(criterion, form.cleaned_data, user=request.user)
    if request.headers.get("HX-Request"):
        return render(
            request, "planning/feature.html#criterion", {"criterion": criterion, "can_edit": True}
        )
    return redirect("planning:feature", criterion.story.feature_id)


@login_required
@require_POST
def risk_add(request: HttpRequest, feature_id: int) -> HttpResponse:
    """Add a risk to the register."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    form = RiskForm(request.POST)
    if form.is_valid():
        services.create_risk(request.user, feature, form.cleaned_data)
    return _section(request, feature_id, "risks")


@login_required
@require_POST
def risk_delete(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = access_of(request).get(Risk.objects.all(), Role.PRODUCT_MANAGER, pk=risk_id)
    changes.delete(risk, user=request.user)
    return _section(request, risk.feature_id, "risks")


@login_required
@require_POST
def requirement_add(request: HttpRequest, feature_id: int) -> HttpResponse:
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    form = RequirementForm(request.POST)
    if form.is_valid():
        services.create_requirement(request.user, feature, form.cleaned_data)
    return _section(request, feature_id, "requirements")


@login_required
@require_POST
def requirement_delete(request: HttpRequest, requirement_id: int) -> HttpResponse:
    requirement = access_of(request).get(
        Requirement.objects.all(), Role.PRODUCT_MANAGER, pk=requirement_id
    )
    changes.delete(requirement, user=request.user)
    return _section(request, requirement.feature_id, "requirements")


@login_required
@require_POST
def dependency_add(request: HttpRequest, feature_id: int) -> HttpResponse:
    """Add a dependency; a cycle is shown as the sentence that names it."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    error = ""
    target = _int(request.POST.get("depends_on"))
    if target is None:
        error = "Choose the feature it depends on."
    else:
        try:
            scheduling.add_dependency(request.user, feature, target)
        except ValidationError as problem:
            error = " ".join(m for ms in _errors(problem).values() for m in ms)
    return _section(request, feature_id, "dependencies", dependency_error=error)


@login_required
@require_POST
def dependency_remove(request: HttpRequest, feature_id: int, depends_on_id: int) -> HttpResponse:
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    scheduling.remove_dependency(request.user, feature, depends_on_id)
    return _section(request, feature_id, "dependencies")


@login_required
@require_POST
def scorecard_rate(request: HttpRequest, feature_id: int, scorecard_id: int) -> HttpResponse:
    """Rate the feature on every criterion of a scorecard (the service of the ratings API)."""
    feature = _feature(request, feature_id, Role.PRODUCT_MANAGER)
    card = get_object_or_404(Scorecard, product_id=feature.product_id, pk=scorecard_id)
    form = RatingForm(request.POST, card=card)
    if form.is_valid():
        try:
            backlog.rate(request.user, card, feature, form.ratings())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return _section(request, feature_id, "scorecards")
    if request.headers.get("HX-Request"):
        return _section(request, feature_id, "scorecards", rating_form=form)
    context = feature_context(request, feature, rating_form=form)
    return render(request, "planning/feature.html", context, status=422)
