"""The planning API, second half: ranked backlog, manual order, cut line, schedule and moves,
scorecards, formulas, and the Markdown spec."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.api.errors import invalid
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.planning import backlog, scheduling, services, spec
from headway.planning.models import Feature, PriorityFormula, Scorecard
from headway.planning.schemas import (
    BacklogOut,
    FormulaIn,
    FormulaList,
    FormulaOut,
    FormulaPatch,
    MoveIn,
    RankIn,
    RatingIn,
    ScorecardIn,
    ScorecardList,
    ScorecardOut,
    ScorecardPatch,
)
from headway.products.models import Product
from headway.releases.forecasts import forecast_capacity

router = Router(tags=["planning"])

Framework = Literal[backlog.FRAMEWORKS]  # type: ignore[valid-type]


class BacklogQuery(Schema):
    framework: Framework = "manual"
    scorecard: int | None = Field(None, description="With framework=scorecard.")
    formula: int | None = Field(None, description="With framework=formula.")
    q: str | None = None
    kind: str | None = None
    team: int | None = None
    status: str | None = None
    initiative: int | None = None
    release: int | None = None


def _filters(query: BacklogQuery) -> backlog.Filters:
    return backlog.Filters(
        kind=query.kind,
        team=query.team,
        status=query.status,
        initiative=query.initiative,
        release=query.release,
        q=query.q,
    )


def _product(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.all(), role, pk=product_id)


def row_out(row: backlog.Row) -> dict[str, Any]:
    return {
        "id": row.feature.pk,
        "title": row.feature.title,
        "kind": row.feature.kind,
        "status": row.feature.status,
        "score": backlog.finite(row.score),
        "label": row.label,
        "rank": row.feature.rank,
        "explanation": row.explanation,
    }


@router.get("/products/{product_id}/backlog", response=BacklogOut, summary="Ranked backlog")
def get_backlog(
    request: HttpRequest, product_id: int, page: Query[Page], query: Query[BacklogQuery]
) -> dict[str, Any]:
    """The backlog ranked by a framework (higher first, unscored last) or by hand."""
    product = _product(request, product_id)
    rows, count = backlog.ranked(
        product,
        query.framework,
        _filters(query),
        page.limit,
        page.offset,
        scorecard=query.scorecard,
        formula=query.formula,
    )
    return {"framework": query.framework, "items": [row_out(r) for r in rows], "count": count}


class CutlineQuery(BacklogQuery):
    date: dt.date | None = Field(None, description="Required: the date the work must fit before.")
    throughput: float | None = Field(
        None,
        description="Points (or items) done per week, more than 0. Leave out to use the Monte "
        "Carlo forecast: the features finished by the date with 85 % probability.",
    )
    unit: Literal["points", "items"] = "points"


@router.get("/products/{product_id}/backlog/cutline", summary="Cut line")
def get_cutline(
    request: HttpRequest, product_id: int, query: Query[CutlineQuery]
) -> dict[str, Any]:
    """Which open items, in this order, fit before `date` at `throughput` per week."""
    product = _product(request, product_id)
    # Checked after access, so that an outsider learns nothing but 404.
    if query.date is None:
        raise invalid("date", "Give the date the work must fit before (YYYY-MM-DD).")
    if not services.EARLIEST <= query.date <= services.LATEST:
        raise invalid("date", f"Choose a date between {services.EARLIEST} and {services.LATEST}.")
    source: backlog.CapacitySource
    if query.throughput is None:
        forecast = forecast_capacity(product)
        if forecast is None:
            raise invalid(
                "throughput",
                "No feature has been finished yet, so there is nothing to forecast from: "
                "give the throughput per week.",
            )
        source = forecast
    elif not 0 < query.throughput < 1e9:
        raise invalid("throughput", "Give the throughput per week, a number above 0.")
    else:
        source = backlog.Throughput(query.throughput, query.unit)
    result = backlog.cutline(
        product,
        query.framework,
        query.date,
        source,
        _filters(query),
        scorecard=query.scorecard,
        formula=query.formula,
    )
    result["capacity_source"] = "throughput" if query.throughput else "forecast_85"
    return result


@router.post("/features/{feature_id}/rank", summary="Move in the manual order")
def rank_feature(request: HttpRequest, feature_id: int, payload: RankIn) -> dict[str, Any]:
    """Place the feature right after `after` (or right before `before`): one small write."""
    feature = access_of(request).get(Feature.objects.all(), Role.PRODUCT_MANAGER, pk=feature_id)
    key = backlog.move(feature, before=payload.before, after=payload.after)
    return {"id": feature.pk, "rank": key}


@router.get("/products/{product_id}/schedule", summary="Proposed schedule")
def get_schedule(
    request: HttpRequest, product_id: int, start: dt.date | None = None
) -> dict[str, Any]:
    """Start and end dates per open feature from estimates, dependencies and team capacity,
    with the critical path and earliest start and finish."""
    product = _product(request, product_id)
    if start is not None and not services.EARLIEST <= start <= services.LATEST:
        raise invalid("start", f"Choose a date between {services.EARLIEST} and {services.LATEST}.")
    return scheduling.plan_out(scheduling.product_plan(product, start))


@router.post("/features/{feature_id}/move", summary="Move a feature in time")
def move_feature(request: HttpRequest, feature_id: int, payload: MoveIn) -> dict[str, Any]:
    """What moves with the feature if it starts on `start`; `apply: true` writes the dates."""
    feature = access_of(request).get(
        Feature.objects.select_related("product"), Role.PRODUCT_MANAGER, pk=feature_id
    )
    if not services.EARLIEST <= payload.start <= services.LATEST:
        raise invalid("start", f"Choose a date between {services.EARLIEST} and {services.LATEST}.")
    return scheduling.move_feature(request.user, feature, payload.start, apply=payload.apply)


@router.get("/features/{feature_id}/spec.md", summary="Markdown spec")
def get_spec(request: HttpRequest, feature_id: int) -> HttpResponse:
    """The feature as a Markdown spec: problem, goal, personas, stories, requirements, risks."""
    feature = access_of(request).get(spec.features(), pk=feature_id)
    return HttpResponse(spec.markdown(feature), content_type="text/markdown; charset=utf-8")


# --- Scorecards -----------------------------------------------------------------------------------


def scorecard_out(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "product": card.product_id,
        "name": card.name,
        "criteria": card.criteria,
        "version": card.version,
    }


@router.get("/products/{product_id}/scorecards", response=ScorecardList, summary="Scorecards")
def list_scorecards(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """The product's weighted scorecards."""
    product = _product(request, product_id)
    result = paginate(Scorecard.objects.filter(product=product), page)
    result["items"] = [scorecard_out(c) for c in result["items"]]
    return result


@router.post(
    "/products/{product_id}/scorecards",
    response={201: ScorecardOut},
    summary="Create a scorecard",
)
def create_scorecard(
    request: HttpRequest, product_id: int, payload: ScorecardIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """A scorecard with the team's criteria, weights and rating ranges."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    card = backlog.save_scorecard(request.user, product, payload.dict())
    with_etag(response, card)
    return Status(201, scorecard_out(card))


def _scorecard(request: HttpRequest, scorecard_id: int, role: str = Role.VIEWER) -> Scorecard:
    return access_of(request).get(Scorecard.objects.all(), role, pk=scorecard_id)


@router.get("/scorecards/{scorecard_id}", response=ScorecardOut, summary="Get a scorecard")
def get_scorecard(request: HttpRequest, scorecard_id: int, response: HttpResponse) -> Any:
    """One scorecard."""
    card = _scorecard(request, scorecard_id)
    with_etag(response, card)
    return scorecard_out(card)


@router.patch("/scorecards/{scorecard_id}", response=ScorecardOut, summary="Change a scorecard")
def patch_scorecard(
    request: HttpRequest, scorecard_id: int, payload: ScorecardPatch, response: HttpResponse
) -> Any:
    """Rename it or change its criteria and weights."""
    card = _scorecard(request, scorecard_id, Role.PRODUCT_MANAGER)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    card = backlog.save_scorecard(
        request.user, card.product, values, card, expected_version(request, card)
    )
    with_etag(response, card)
    return scorecard_out(card)


@router.delete("/scorecards/{scorecard_id}", response={204: None}, summary="Delete a scorecard")
def delete_scorecard(request: HttpRequest, scorecard_id: int) -> Status[None]:
    """Delete a scorecard and its ratings."""
    card = _scorecard(request, scorecard_id, Role.PRODUCT_MANAGER)
    changes.delete(card, user=request.user, expected_version=expected_version(request, card))
    return Status(204, None)


@router.post("/scorecards/{scorecard_id}/ratings", summary="Rate a feature")
def rate_feature(request: HttpRequest, scorecard_id: int, payload: RatingIn) -> dict[str, Any]:
    """Rate a feature on every criterion; answers its weighted score and explanation."""
    card = _scorecard(request, scorecard_id, Role.PRODUCT_MANAGER)
    feature = Feature.objects.filter(product_id=card.product_id, pk=payload.feature).first()
    if feature is None:
        raise invalid("feature", "Choose a feature of this scorecard's product.")
    score = backlog.rate(request.user, card, feature, payload.ratings)
    return {"feature": feature.pk, "score": score.value, "explanation": score.explanation}


# --- Formulas -------------------------------------------------------------------------------------


def formula_out(saved: PriorityFormula) -> dict[str, Any]:
    return {
        "id": saved.pk,
        "product": saved.product_id,
        "name": saved.name,
        "expression": saved.expression,
        "version": saved.version,
    }


@router.get("/products/{product_id}/formulas", response=FormulaList, summary="Formula scores")
def list_formulas(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """The product's formula scores."""
    product = _product(request, product_id)
    result = paginate(PriorityFormula.objects.filter(product=product), page)
    result["items"] = [formula_out(f) for f in result["items"]]
    return result


@router.post(
    "/products/{product_id}/formulas", response={201: FormulaOut}, summary="Create a formula"
)
def create_formula(
    request: HttpRequest, product_id: int, payload: FormulaIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """A formula over feature fields; a syntax error or unknown field is a 422 naming the column."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    saved = backlog.save_formula(request.user, product, payload.dict())
    with_etag(response, saved)
    return Status(201, formula_out(saved))


def _formula(request: HttpRequest, formula_id: int, role: str = Role.VIEWER) -> PriorityFormula:
    return access_of(request).get(PriorityFormula.objects.all(), role, pk=formula_id)


@router.get("/formulas/{formula_id}", response=FormulaOut, summary="Get a formula")
def get_formula(request: HttpRequest, formula_id: int, response: HttpResponse) -> Any:
    """One formula."""
    saved = _formula(request, formula_id)
    with_etag(response, saved)
    return formula_out(saved)


@router.patch("/formulas/{formula_id}", response=FormulaOut, summary="Change a formula")
def patch_formula(
    request: HttpRequest, formula_id: int, payload: FormulaPatch, response: HttpResponse
) -> Any:
    """Rename it or change its expression."""
    saved = _formula(request, formula_id, Role.PRODUCT_MANAGER)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    saved = backlog.save_formula(
        request.user, saved.product, values, saved, expected_version(request, saved)
    )
    with_etag(response, saved)
    return formula_out(saved)


@router.delete("/formulas/{formula_id}", response={204: None}, summary="Delete a formula")
def delete_formula(request: HttpRequest, formula_id: int) -> Status[None]:
    """Delete a formula."""
    saved = _formula(request, formula_id, Role.PRODUCT_MANAGER)
    changes.delete(saved, user=request.user, expected_version=expected_version(request, saved))
    return Status(204, None)
