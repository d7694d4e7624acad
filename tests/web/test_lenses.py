from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from headway.core import clock
from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea, Vote
from headway.products.models import Capability, CapabilityLevel, Competitor
from headway.strategy.models import Goal, KeyResult
from headway.web import lenses
from tests.conftest import World, make_user
from tests.queries import count_queries


def customer(world: World, name: str, revenue: int) -> Customer:
    return Customer.objects.create(workspace=world.workspace, name=name, revenue=Decimal(revenue))


def test_revenue_weight_counts_each_customer_once(world: World) -> None:
    big, small = customer(world, "Big", 500_000), customer(world, "Small", 20_000)
    idea = Idea.objects.create(product=world.product, title="Alerts")
    Vote.objects.create(idea=idea, customer=big, proxy_by=world.contributor)
    for text in ("Please", "Again"):  # the same customer twice more, through feedback
        feedback = Feedback.objects.create(product=world.product, text=text, customer=big)
        FeedbackLink.objects.create(feedback=feedback, idea=idea)
    feedback = Feedback.objects.create(product=world.product, text="Me too", customer=small)
    FeedbackLink.objects.create(feedback=feedback, idea=idea)
    Vote.objects.create(idea=idea, user=world.pm)  # a teammate's vote weighs no revenue
    [ranked] = lenses.business(world.product)["top_by_revenue"]
    assert ranked.revenue_weight == Decimal("520000")


def test_ideas_rank_by_revenue_weight_and_unbacked_ones_are_left_out(world: World) -> None:
    big, small = customer(world, "Big", 500_000), customer(world, "Small", 20_000)
    popular = Idea.objects.create(product=world.product, title="Popular", vote_count=9)
    valuable = Idea.objects.create(product=world.product, title="Valuable", vote_count=1)
    Idea.objects.create(product=world.product, title="Unbacked")
    Vote.objects.create(idea=popular, customer=small)
    Vote.objects.create(idea=valuable, customer=big)
    context = lenses.business(world.product)
    assert [i.title for i in context["top_by_revenue"]] == ["Valuable", "Popular"]
    assert [i.title for i in context["top_ideas"]][:2] == ["Popular", "Valuable"]


def test_demand_trend_counts_feedback_per_week(world: World) -> None:
    now = clock.now()
    for days_ago in (0, 0, 7, 7, 7, 200):
        feedback = Feedback.objects.create(product=world.product, text="x")
        Feedback.objects.filter(pk=feedback.pk).update(created=now - dt.timedelta(days=days_ago))
    trend = lenses.demand_trend(world.product)
    values = [bar.value for bar in trend.bars]
    assert len(values) == lenses.TREND_WEEKS
    assert values[-2:] == [3, 2]
    assert trend.total == 5  # 200 days ago is outside the window


def test_competitor_gaps_list_where_a_competitor_is_ahead(world: World) -> None:
    lookwise = Competitor.objects.create(product=world.product, name="Lookwise")
    behind = Capability.objects.create(product=world.product, name="Row-level security")
    level = Capability.objects.create(product=world.product, name="Reports", position=1)
    CapabilityLevel.objects.create(capability=behind, competitor=lookwise, level="leader")
    CapabilityLevel.objects.create(capability=level, competitor=lookwise, level="full")
    CapabilityLevel.objects.create(capability=level, competitor=None, level="full")
    [gap] = lenses.business(world.product)["gaps"]
    assert gap.capability == behind
    assert (gap.ours_label, gap.ahead) == ("None", [("Lookwise", "Leader")])


def test_the_business_lens_shows_progress_demand_and_gaps(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="Grow adoption")
    KeyResult.objects.create(goal=goal, name="Askers", baseline=0, target=10, current=4)
    Feedback.objects.create(product=world.product, text="Please add alerts")
    client = Client()
    client.force_login(world.viewer)
    text = client.get(f"/products/{world.product.pk}/?lens=business").text
    assert "Grow adoption" in text and "40.0 %" in text
    assert "1 untriaged" in text
    assert "<svg" in text and "Feedback per week" in text
    assert "Competitor gaps" in text


def add_business_rows(world: World, n: int) -> None:
    competitor = Competitor.objects.create(product=world.product, name=f"C{n}")
    for i in range(n):
        goal = Goal.objects.create(product=world.product, title=f"G{n}-{i}")
        KeyResult.objects.create(goal=goal, name="k", baseline=0, target=10, current=3)
        buyer = customer(world, f"Buyer {n}-{i}", 1000 * (i + 1))
        idea = Idea.objects.create(product=world.product, title=f"Idea {n}-{i}", vote_count=i)
        Vote.objects.create(idea=idea, customer=buyer)
        Vote.objects.create(idea=idea, user=make_user(f"voter-{n}-{i}"))
        feedback = Feedback.objects.create(product=world.product, text="x", customer=buyer)
        FeedbackLink.objects.create(feedback=feedback, idea=idea)
        capability = Capability.objects.create(product=world.product, name=f"Cap {n}-{i}")
        CapabilityLevel.objects.create(capability=capability, competitor=competitor, level="full")


def test_the_business_lens_queries_do_not_grow_with_rows(world: World) -> None:
    client = Client()
    client.force_login(world.pm)
    url = f"/products/{world.product.pk}/?lens=business"
    add_business_rows(world, 3)
    few = count_queries(lambda: client.get(url))
    add_business_rows(world, 27)
    assert count_queries(lambda: client.get(url)) == few
