"""The strategy page (vision, goals, key results, initiatives, personas, competitors) and the
strategy check page. Writes go through `strategy.services` and `core.changes`, like the API."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import changes
from headway.products import views as product_views
from headway.products.models import Product
from headway.strategy import services
from headway.strategy.forms import GoalForm, InitiativeForm, KeyResultForm
from headway.strategy.models import Goal, Initiative, KeyResult
from headway.web.inline import Editor, InlineRecords, form_response, save, saved, version_of


def _product(request: HttpRequest, product_id: int, minimum: str = Role.VIEWER) -> Product:
    return access_of(request).get(
        Product.objects.select_related("workspace", "business_pm", "technical_pm"),
        minimum,
        pk=product_id,
    )


def page_url(product_id: int, anchor: str = "") -> str:
    url = reverse("strategy:page", args=[product_id])
    return f"{url}#{anchor}" if anchor else url


def goals_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    """Goals with key results and their initiatives (with points), in a constant query count."""
    by_goal: dict[int | None, list[Initiative]] = defaultdict(list)
    for initiative in services.initiatives(product).order_by("id"):
        initiative.over_capacity = services.is_over_capacity(initiative)  # type: ignore[attr-defined]
        by_goal[initiative.goal_id].append(initiative)
    goals = list(
        Goal.objects.filter(product=product).select_related("owner").prefetch_related("key_results")
    )
    for goal in goals:
        goal.initiative_list = by_goal[goal.pk]  # type: ignore[attr-defined]
    return {
        "product": product,
        "goals": goals,
        "loose_initiatives": by_goal[None],
        "can_edit": access_of(request).can(product.workspace_id, Role.PRODUCT_MANAGER),
    }


def _goals_section(request: HttpRequest, product: Product) -> HttpResponse:
    return render(request, "strategy/strategy.html#goals", goals_context(request, product))


@login_required
def strategy_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """Vision and north star, goals with key results and initiatives, personas, competitors."""
    product = _product(request, product_id)
    context = goals_context(request, product)
    context.update(product_views.vision_context(request, product))
    context.update(product_views.personas_context(request, product))
    context.update(product_views.competitors_context(request, product))
    context["section"] = "strategy"
    return render(request, "strategy/strategy.html", context)


# --- Goals and initiatives ------------------------------------------------------------------------

GOALS = InlineRecords(
    noun="goal",
    urls="strategy:goal",
    records=Goal.objects.select_related("product"),
    form=GoalForm,
    form_kwargs=lambda product: {"workspace_id": product.workspace_id},
    section="goals",
    render_section=_goals_section,
    page=page_url,
    nav="strategy",
    create=lambda user, product, values: services.create_goal(user, product, **values),
    update=services.update_goal,
)
goal_new, goal_edit, goal_delete = GOALS.views()

INITIATIVES = InlineRecords(
    noun="initiative",
    article="an",
    urls="strategy:initiative",
    records=Initiative.objects.select_related("product"),
    form=InitiativeForm,
    form_kwargs=lambda product: {"product_id": product.pk},
    section="goals",
    render_section=_goals_section,
    page=page_url,
    nav="strategy",
    create=lambda user, product, values: services.create_initiative(user, product, **values),
)
initiative_new, initiative_edit, initiative_delete = INITIATIVES.views()


# --- Key results ----------------------------------------------------------------------------------
# Written by hand, not with `InlineRecords`: a key result hangs off a goal, not the product, so its
# lookups, form ids, titles and anchors all name the goal.


def _goal(request: HttpRequest, pk: int) -> Goal:
    return access_of(request).get(
        Goal.objects.select_related("product"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def key_result_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal(request, goal_id)
    product = goal.product
    form = KeyResultForm(
        request.POST or None, instance=KeyResult(goal=goal), auto_id=f"new-kr-{goal.pk}-%s"
    )
    editor = Editor(
        form,
        f"Add a key result to “{goal.title}”",
        reverse("strategy:key-result-new", args=[goal.pk]),
        page_url(product.pk, f"goal-{goal.pk}"),
        "goals",
        product,
        "strategy",
        submit="Add key result",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.add_key_result(request.user, goal, **values),  # type: ignore[arg-type]
        lambda: _goals_section(request, product),
    )


def _key_result(request: HttpRequest, pk: int) -> KeyResult:
    return access_of(request).get(
        KeyResult.objects.select_related("goal__product"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def key_result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kr = _key_result(request, pk)
    product = kr.goal.product
    form = KeyResultForm(request.POST or None, instance=kr, auto_id=f"kr-{pk}-%s")
    editor = Editor(
        form,
        f"Edit key result “{kr.name}”",
        reverse("strategy:key-result-edit", args=[pk]),
        page_url(product.pk, f"goal-{kr.goal_id}"),
        "goals",
        product,
        "strategy",
        delete=reverse("strategy:key-result-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: changes.update(
            kr, values, user=request.user, expected_version=version_of(form)
        ),
        lambda: _goals_section(request, product),
    )


@login_required
@require_POST
def key_result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kr = _key_result(request, pk)
    product = kr.goal.product
    changes.delete(kr, user=request.user)
    return saved(
        request,
        page_url(product.pk, f"goal-{kr.goal_id}"),
        "goals",
        lambda: _goals_section(request, product),
    )


# --- Strategy check -------------------------------------------------------------------------------


@login_required
def check_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """The strategy check's findings, errors first, each with a link to fix it."""
    product = _product(request, product_id)
    findings = services.strategy_check(product)
    errors = sum(1 for finding in findings if finding.level == "error")
    return render(
        request,
        "strategy/check.html",
        {
            "product": product,
            "findings": findings,
            "errors": errors,
            "warnings": len(findings) - errors,
            "section": "check",
        },
    )
