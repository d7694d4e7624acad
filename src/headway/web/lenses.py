"""What each lens of the product page shows. Capability issues extend these two functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncWeek

from headway.core import clock
from headway.discovery.models import Customer, Feedback, FeedbackLink, FeedbackState, Idea, Vote
from headway.planning.models import Dependency, Feature, Risk, RiskStatus
from headway.products.models import Product
from headway.products.services import competitor_gaps
from headway.releases.models import Release
from headway.strategy.models import Goal
from headway.web.charts import BarChart, bar_chart

#: Weeks of feedback the demand trend shows.
TREND_WEEKS = 12


def demand_trend(product: Product, weeks: int = TREND_WEEKS) -> BarChart:
    """Feedback received per week (Monday to Sunday, UTC) over the last `weeks`, this one last."""
    today = clock.today()
    first = today - dt.timedelta(days=today.weekday(), weeks=weeks - 1)
    since = dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    counts = {
        row["week"].date(): row["n"]
        for row in Feedback.objects.filter(product=product, created__gte=since)
        .annotate(week=TruncWeek("created", tzinfo=dt.UTC))
        .values("week")
        .annotate(n=Count("id"))
        .order_by()
    }
    mondays = [first + dt.timedelta(weeks=n) for n in range(weeks)]
    return bar_chart(
        [counts.get(monday, 0) for monday in mondays],
        [monday.strftime("%d %b") for monday in mondays],
    )


def revenue_weight() -> Subquery:
    """An idea's revenue weight, to annotate ideas with: the annual revenue of the distinct
    customers behind it, those who voted (also by proxy) and those whose feedback is linked."""
    voters = Vote.objects.filter(idea=OuterRef(OuterRef("pk")), customer__isnull=False)
    linked = FeedbackLink.objects.filter(
        idea=OuterRef(OuterRef("pk")), feedback__customer__isnull=False
    )
    revenue = (
        Customer.objects.filter(
            Q(pk__in=voters.values("customer_id"))
            | Q(pk__in=linked.values("feedback__customer_id"))
        )
        .order_by()
        .values("workspace_id")
        .annotate(total=Sum("revenue"))
        .values("total")[:1]
    )
    return Subquery(revenue, output_field=DecimalField(max_digits=16, decimal_places=2))


def business(product: Product) -> dict[str, Any]:
    """Goal progress, demand (trend, top ideas by votes and by revenue), competitor gaps."""
    goals = Goal.objects.filter(product=product).prefetch_related("key_results")
    open_ideas = Idea.objects.filter(product=product).exclude(
        status__in=["declined", "duplicate", "shipped"]
    )
    top_ideas = open_ideas.order_by("-vote_count", "-id")[:8]
    top_by_revenue = (
        open_ideas.annotate(revenue_weight=revenue_weight())
        .filter(revenue_weight__gt=0)
        .order_by("-revenue_weight", "-id")[:8]
    )
    return {
        "goals": goals,
        "top_ideas": top_ideas,
        "top_by_revenue": top_by_revenue,
        "trend": demand_trend(product),
        "trend_weeks": TREND_WEEKS,
        "gaps": competitor_gaps(product),
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
