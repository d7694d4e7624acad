"""Demo customers, ideas with votes (members, proxies and portal visitors), feedback to triage,
a merged duplicate, a promoted idea and portal followers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from headway.core import clock
from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    FeedbackState,
    Follower,
    Idea,
    IdeaStatus,
    Importance,
    Source,
    Vote,
)
from headway.planning.models import Feature

if TYPE_CHECKING:
    from headway.web.demo import Demo

CUSTOMERS = [
    ("Hannah Ortiz", "Northwind Traders", "mid-market", 120_000),
    ("Raj Patel", "Globex", "enterprise", 450_000),
    ("Chen Wei", "Initech", "mid-market", 80_000),
    ("Amara Okafor", "Umbrella Health", "enterprise", 600_000),
    ("Lukas Berg", "Kite Labs", "startup", 12_000),
    ("Sofia Rossi", "Vandelay Imports", "mid-market", 150_000),
    ("Diego Alvarez", "Stark Logistics", "enterprise", 380_000),
    ("Mei Tanaka", "Pied Piper", "startup", 24_000),
]

# title, status, description, public, internal notes
IDEAS = [
    (
        "Slack alerts when a metric moves",
        IdeaStatus.UNDER_REVIEW,
        "Send a Slack message when a watched metric crosses a threshold or moves unusually.",
        True,
        "Talk to the integrations team about the Slack app review.",
    ),
    (
        "Export dashboards to PowerPoint",
        IdeaStatus.NEW,
        "One click to turn a dashboard into slides for the board meeting.",
        True,
        "",
    ),
    (
        "Dark mode for dashboards",
        IdeaStatus.PLANNED,
        "A dark theme for dashboards and the query editor.",
        True,
        "",
    ),
    (
        "Row-level permissions per customer",
        IdeaStatus.PLANNED,
        "Each viewer sees only the rows of their own region or customer.",
        True,
        "Umbrella Health renewal depends on this (Q3).",
    ),
    (
        "Ask questions from our own app",
        IdeaStatus.NEW,
        "Embed the question box in our product so our users ask their own data questions.",
        True,
        "",
    ),
    (
        "Schedule reports to email",
        IdeaStatus.SHIPPED,
        "Send a dashboard as a PDF by email every Monday.",
        True,
        "",
    ),
    (
        "Anomaly detection on revenue",
        IdeaStatus.IN_PROGRESS,
        "Flag days when revenue falls outside its usual range.",
        True,
        "",
    ),
    (
        "Google Sheets connector",
        IdeaStatus.NEW,
        "Use a Google Sheet as a data source, refreshed hourly.",
        True,
        "",
    ),
    (
        "Faster query editor on large tables",
        IdeaStatus.UNDER_REVIEW,
        "The editor times out on tables with more than 50 million rows.",
        True,
        "Probably needs the new query planner; ask Tom.",
    ),
    (
        "Audit log export for compliance",
        IdeaStatus.NEW,
        "Export who saw which dashboard, for SOC 2 audits.",
        False,
        "Private until legal reviews the wording.",
    ),
    ("Mobile app for dashboards", IdeaStatus.DECLINED, "Native iOS and Android apps.", True, ""),
    (
        "Night theme for the dashboards",
        IdeaStatus.NEW,
        "Could dashboards have a dark, night-friendly theme?",
        True,
        "",
    ),
]

# text, source, idea index (or None: still to triage), customer index, importance, days ago
FEEDBACK = [
    (
        "We check revenue every morning; a Slack ping when it drops would save us a login.",
        Source.SALES_CALL,
        0,
        0,
        Importance.IMPORTANT,
        40,
    ),
    (
        "Our board wants slides, not links. Please export to PowerPoint.",
        Source.EMAIL,
        1,
        1,
        Importance.CRITICAL,
        37,
    ),
    (
        "Each regional manager must see only their own region's numbers.",
        Source.SUPPORT_TICKET,
        3,
        3,
        Importance.CRITICAL,
        35,
    ),
    (
        "Could we embed your charts in our customer portal?",
        Source.INTERVIEW,
        4,
        1,
        Importance.NICE,
        33,
    ),
    (
        "Dark mode please, our ops team lives in dark mode.",
        Source.APP_REVIEW,
        2,
        4,
        Importance.NICE,
        30,
    ),
    ("Alerts on anomalies would be great.", Source.SURVEY, 6, 2, Importance.NICE, 28),
    (
        "Without row-level security we cannot roll this out to our franchisees.",
        Source.SALES_CALL,
        3,
        6,
        Importance.CRITICAL,
        26,
    ),
    (
        "The weekly email report is exactly what our execs wanted. Thanks!",
        Source.EMAIL,
        5,
        0,
        Importance.NICE,
        24,
    ),
    (
        "We keep our targets in Google Sheets; we'd love to chart them next to actuals.",
        Source.INTERVIEW,
        7,
        5,
        Importance.IMPORTANT,
        21,
    ),
    (
        "Revenue dipped on Sunday and nobody noticed until Tuesday.",
        Source.SUPPORT_TICKET,
        6,
        6,
        Importance.IMPORTANT,
        19,
    ),
    (
        "Slides for the quarterly review take me a day to assemble from screenshots.",
        Source.SURVEY,
        1,
        5,
        Importance.IMPORTANT,
        17,
    ),
    ("The query editor times out on large tables.", Source.SUPPORT_TICKET, 8, 2, None, 15),
    # Still to triage: no idea yet.
    ("Love the new onboarding tour!", Source.PORTAL, None, 4, None, 9),
    (
        "Can we get a Slack message when the nightly load fails?",
        Source.SUPPORT_TICKET,
        None,
        7,
        None,
        7,
    ),
    (
        "Our auditors asked for a list of who viewed the finance dashboard.",
        Source.EMAIL,
        None,
        3,
        None,
        6,
    ),
    ("Charts look blurry when printed to PDF.", Source.APP_REVIEW, None, None, None, 5),
    (
        "It would help to see last year's line on the same chart.",
        Source.INTERVIEW,
        None,
        1,
        None,
        4,
    ),
    (
        "Please support Google Sheets as a source, we live in spreadsheets.",
        Source.SALES_CALL,
        None,
        5,
        None,
        3,
    ),
    ("A dark theme would be easier on the eyes at night.", Source.PORTAL, None, None, None, 2),
    (
        "Onboarding new analysts takes too long; sample dashboards would help.",
        Source.INTERNAL,
        None,
        None,
        None,
        1,
    ),
]

PORTAL_VOTERS = ["jo@example.com", "kim@example.org", "sam.lee@example.net", "ana@example.com"]


def populate(demo: Demo) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data
    now = clock.now()
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
    ideas = []
    for index, (title, status, description, public, notes) in enumerate(IDEAS):
        idea = Idea.objects.create(
            product=demo.product,
            title=title,
            status=status,
            description=description,
            public=public,
            internal_notes=notes,
            author=demo.users["sam"] if index % 3 else demo.users["maya"],
        )
        Idea.objects.filter(pk=idea.pk).update(created=now - dt.timedelta(days=60 - 4 * index))
        ideas.append(idea)
    voters = [demo.users[name] for name in ("demo", "maya", "sam", "lena", "priya", "victor")]
    votes = []
    for index, idea in enumerate(ideas):
        for user in rng.sample(voters, k=min(len(voters), 1 + (index * 2) % 6)):
            votes.append(Vote(idea=idea, user=user))
        votes.append(
            Vote(idea=idea, customer=customers[index % len(customers)], proxy_by=demo.users["sam"])
        )
        for email in PORTAL_VOTERS[: index % 4]:
            votes.append(Vote(idea=idea, voter_email=email))
    Vote.objects.bulk_create(votes)
    for idea in ideas:
        idea.vote_count = idea.votes.count()
        idea.save(update_fields=["vote_count"])
    for text, source, idea_index, customer_index, importance, days_ago in FEEDBACK:
        feedback = Feedback.objects.create(
            product=demo.product,
            text=text,
            source=source,
            customer=customers[customer_index] if customer_index is not None else None,
            author=demo.users["lena"],
            state=FeedbackState.PROCESSED if idea_index is not None else FeedbackState.NEW,
        )
        Feedback.objects.filter(pk=feedback.pk).update(created=now - dt.timedelta(days=days_ago))
        if idea_index is not None:
            FeedbackLink.objects.create(
                feedback=feedback,
                idea=ideas[idea_index],
                importance=importance or Importance.IMPORTANT,
            )
    Follower.objects.bulk_create(
        [Follower(idea=ideas[2], email=email) for email in PORTAL_VOTERS[:2]]
    )
    # A duplicate merged into the idea it repeats (votes and followers moved, as a merge does),
    # and an idea already promoted: it points at the planning demo's feature, which carries
    # the idea's evidence. Written directly, like the rest of the demo, so the audit history
    # starts empty.
    duplicate, kept = ideas[-1], ideas[2]
    Vote.objects.filter(idea=duplicate).exclude(
        user__in=Vote.objects.filter(idea=kept, user__isnull=False).values("user")
    ).exclude(customer__in=Vote.objects.filter(idea=kept).values("customer")).exclude(
        voter_email__in=Vote.objects.filter(idea=kept).exclude(voter_email="").values("voter_email")
    ).update(idea=kept)
    Vote.objects.filter(idea=duplicate).delete()
    Idea.objects.filter(pk=duplicate.pk).update(
        status=IdeaStatus.DUPLICATE, merged_into=kept, vote_count=0
    )
    Idea.objects.filter(pk=kept.pk).update(vote_count=Vote.objects.filter(idea=kept).count())
    feature = Feature.objects.filter(product=demo.product, title="Row-level security").first()
    if feature is not None:
        promoted = ideas[3]
        Idea.objects.filter(pk=promoted.pk).update(feature=feature)
        FeedbackLink.objects.bulk_create(
            [
                FeedbackLink(
                    feedback_id=link.feedback_id, feature=feature, importance=link.importance
                )
                for link in FeedbackLink.objects.filter(idea=promoted)
            ],
            ignore_conflicts=True,
        )
    demo.objects["ideas"] = ideas
