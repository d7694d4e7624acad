"""What each lens of the product page shows. Capability issues extend these two functions."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncWeek

from headway.core import clock
from headway.discovery.models import Feedback, FeedbackState, Idea
from headway.planning.models import Dependency, Feature, Risk, RiskStatus
from headway.products.models import Product
from headway.products.services import competitor_gaps
from headway.releases.models import Release
from headway.strategy.models import Goal
from headway.web.charts import BarChart, bar_chart

#: Weeks of feedback the demand trend shows.
TREND_WEEKS = 12
#: Ideas in each of the business lens's top lists.
TOP_IDEAS = 8
#: Features in the technical lens's estimate spread, widest first.
SPREAD_SHOWN = 10


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


def ideas_by_revenue(ideas: QuerySet[Idea], limit: int) -> list[Idea]:
    """The ``limit`` ideas with the most revenue behind them (none without any), each with its
    ``revenue_weight`` set, from ``discovery.services.demand_of``."""
    from headway.discovery.services import demand_of

    demand = demand_of(ideas.values("pk"))
    ranked = heapq.nlargest(limit, ((d.revenue, pk) for pk, d in demand.items() if d.revenue > 0))
    found = Idea.objects.in_bulk([pk for _, pk in ranked])
    top = []
    for revenue, pk in ranked:
        idea = found[pk]
        idea.revenue_weight = revenue  # type: ignore[attr-defined]
        top.append(idea)
    return top


def business(product: Product) -> dict[str, Any]:
    """Goal progress, demand (trend, top ideas by votes and by revenue), competitor gaps."""
    goals = Goal.objects.filter(product=product).prefetch_related("key_results")
    open_ideas = Idea.objects.filter(product=product).exclude(
        status__in=["declined", "duplicate", "shipped"]
    )
    top_ideas = open_ideas.order_by("-vote_count", "-id")[:TOP_IDEAS]
    top_by_revenue = ideas_by_revenue(open_ideas, TOP_IDEAS)
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
    edges = [(a, b) for a, b in plan.edges if a in shown and b in shown]
    # The widest spreads: σ = (pessimistic − optimistic) ÷ 6, explained only for those shown.
    widest = heapq.nlargest(
        SPREAD_SHOWN,
        (
            f
            for f in plan.features.values()
            if f.estimate_optimistic is not None
            and f.estimate_likely is not None
            and f.estimate_pessimistic is not None
        ),
        key=lambda f: f.estimate_pessimistic - f.estimate_optimistic,  # type: ignore[operator]
    )
    spread = [(f, services.estimate_of(f)) for f in widest]
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
        "estimate_spread": spread,
    }
