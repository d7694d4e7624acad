"""Demo customers, ideas with votes, and feedback linked to them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    FeedbackState,
    Idea,
    IdeaStatus,
    Importance,
    Source,
    Vote,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo

CUSTOMERS = [
    ("Hannah Ortiz", "Northwind Traders", "mid-market", 120_000),
    ("Raj Patel", "Globex", "enterprise", 450_000),
    ("Chen Wei", "Initech", "mid-market", 80_000),
    ("Amara Okafor", "Umbrella Health", "enterprise", 600_000),
    ("Lukas Berg", "Kite Labs", "startup", 12_000),
]

IDEAS = [
    ("Slack alerts when a metric moves", IdeaStatus.UNDER_REVIEW),
    ("Export dashboards to PowerPoint", IdeaStatus.NEW),
    ("Dark mode for dashboards", IdeaStatus.PLANNED),
    ("Row-level permissions per customer", IdeaStatus.PLANNED),
    ("Ask questions from our own app", IdeaStatus.NEW),
    ("Schedule reports to email", IdeaStatus.SHIPPED),
]

FEEDBACK = [
    (
        "We check revenue every morning; a Slack ping when it drops would save us a login.",
        Source.SALES_CALL,
        0,
        0,
        Importance.IMPORTANT,
    ),
    (
        "Our board wants slides, not links. Please export to PowerPoint.",
        Source.EMAIL,
        1,
        1,
        Importance.CRITICAL,
    ),
    (
        "Each regional manager must see only their own region's numbers.",
        Source.SUPPORT_TICKET,
        3,
        3,
        Importance.CRITICAL,
    ),
    ("Could we embed your charts in our customer portal?", Source.INTERVIEW, 4, 1, Importance.NICE),
    (
        "Dark mode please, our ops team lives in dark mode.",
        Source.APP_REVIEW,
        2,
        4,
        Importance.NICE,
    ),
    ("Alerts on anomalies would be great.", Source.SURVEY, 0, 2, Importance.NICE),
    ("The query editor times out on large tables.", Source.SUPPORT_TICKET, None, 2, None),
    ("Love the new onboarding tour!", Source.PORTAL, None, 4, None),
]


def populate(demo: Demo) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data
    customers = [
        Customer.objects.create(
            workspace=demo.workspace,
            name=name,
            company=company,
            segment=segment,
            revenue=Decimal(revenue),
            email=f"{name.split()[0].lower()}@{company.split()[0].lower()}.example",
        )
        for name, company, segment, revenue in CUSTOMERS
    ]
    ideas = [
        Idea.objects.create(
            product=demo.product, title=title, status=status, author=demo.users["sam"]
        )
        for title, status in IDEAS
    ]
    voters = [demo.users[name] for name in ("demo", "maya", "sam", "lena", "priya", "victor")]
    votes = []
    for index, idea in enumerate(ideas):
        for user in rng.sample(voters, k=min(len(voters), 1 + (index * 2) % 6)):
            votes.append(Vote(idea=idea, user=user))
        votes.append(
            Vote(idea=idea, customer=customers[index % len(customers)], proxy_by=demo.users["sam"])
        )
    Vote.objects.bulk_create(votes)
    for idea in ideas:
        idea.vote_count = idea.votes.count()
        idea.save(update_fields=["vote_count"])
    for days_ago, (text, source, idea_index, customer_index, importance) in enumerate(FEEDBACK):
        feedback = Feedback.objects.create(
            product=demo.product,
            text=text,
            source=source,
            customer=customers[customer_index],
            author=demo.users["lena"],
            state=FeedbackState.PROCESSED if idea_index is not None else FeedbackState.NEW,
        )
        Feedback.objects.filter(pk=feedback.pk).update(
            created=feedback.created - dt.timedelta(days=3 * days_ago)
        )
        if idea_index is not None and importance is not None:
            FeedbackLink.objects.create(
                feedback=feedback, idea=ideas[idea_index], importance=importance
            )
    demo.objects["ideas"] = ideas
