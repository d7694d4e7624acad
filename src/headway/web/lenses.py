"""What each lens of the product page shows. Capability issues extend these two functions."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from headway.discovery.models import Feedback, FeedbackState, Idea
from headway.planning.models import Dependency, Feature, Risk, RiskStatus
from headway.products.models import Product
from headway.releases.models import Release
from headway.strategy.models import Goal


def business(product: Product) -> dict[str, Any]:
    """Goals and their progress, demand, and the most wanted ideas."""
    goals = Goal.objects.filter(product=product).prefetch_related("key_results")
    top_ideas = (
        Idea.objects.filter(product=product)
        .exclude(status__in=["declined", "duplicate", "shipped"])
        .order_by("-vote_count", "-id")[:8]
    )
    return {
        "goals": goals,
        "top_ideas": top_ideas,
        "untriaged": Feedback.objects.filter(product=product, state=FeedbackState.NEW).count(),
        "feedback_total": Feedback.objects.filter(product=product).count(),
        "releases": Release.objects.filter(product=product).order_by("target_date")[:5],
    }


def technical(product: Product) -> dict[str, Any]:
    """Delivery state: features by kind and status, the dependency graph and critical path, the
    risk heat map, the estimate spread (PERT σ) and the tech-debt share of the backlog."""
    from headway.planning import charts, scheduling, services

    features = Feature.objects.filter(product=product)
    by_status = dict(features.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(features.values_list("kind").annotate(n=Count("id")).order_by())
    total = sum(by_kind.values())
    plan = scheduling.product_plan(product)
    titles = {pk: f.title for pk, f in plan.features.items()}
    shown = dict(list(titles.items())[:40])  # the graph stays readable; the list below has all
    edges = [(a, b) for a, b in plan.plan.edges if a in shown and b in shown]
    spread = []
    for feature in plan.features.values():
        estimate = services.estimate_of(feature)
        if estimate is not None:
            spread.append((feature, estimate))
    spread.sort(key=lambda pair: -pair[1]["sigma"])
    return {
        "by_status": by_status,
        "by_kind": by_kind,
        "tech_debt_share": round(100 * by_kind.get("tech_debt", 0) / total) if total else 0,
        "points_total": features.aggregate(s=Sum("points"))["s"] or 0,
        "open_risks": Risk.objects.filter(feature__product=product, status=RiskStatus.OPEN)
        .select_related("feature")
        .order_by("-probability", "-impact")[:8],
        "dependency_count": Dependency.objects.filter(feature__product=product).count(),
        "in_progress": features.filter(status="in_progress").order_by("rank", "id")[:8],
        "dependency_graph": charts.dependency_graph(
            shown, edges, [pk for pk in plan.path.path if pk in shown]
        ),
        "critical_path": [titles[pk] for pk in plan.path.path],
        "critical_weeks": plan.path.length,
        "risk_heat_map": charts.risk_heat_map(services.risk_counts(product)),
        "estimate_spread": spread[:10],
    }
