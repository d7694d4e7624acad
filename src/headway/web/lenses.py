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
    """Delivery state: features by kind and status, open risks, dependencies."""
    features = Feature.objects.filter(product=product)
    by_status = dict(features.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(features.values_list("kind").annotate(n=Count("id")).order_by())
    total = sum(by_kind.values())
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
    }
