"""Customer evidence: customers, feedback, ideas and votes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from headway.accounts.models import Workspace
from headway.core import clock
from headway.core.models import TimeStamped, Versioned
from headway.planning.models import Feature
from headway.products.models import Product


def new_token() -> str:
    """An unguessable token for links sent by email."""
    return secrets.token_urlsafe(32)


class Customer(TimeStamped):
    """A customer (person at a company) whose feedback and votes we weigh."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    company = models.CharField(max_length=200, blank=True)
    segment = models.CharField(max_length=80, blank=True)
    revenue = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Annual revenue."
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["workspace", "email"]),
            models.Index(fields=["workspace", "name"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class IdeaStatus(models.TextChoices):
    NEW = "new", "New"
    UNDER_REVIEW = "under_review", "Under review"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    DECLINED = "declined", "Declined"
    DUPLICATE = "duplicate", "Duplicate"


class Idea(Versioned):
    """A request or proposal, backed by votes and feedback, that may become a feature."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    public = models.BooleanField(default=True, help_text="Shown on the public portal.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    internal_notes = models.TextField(blank=True, help_text="For the team; never on the portal.")
    submitter_name = models.CharField(max_length=200, blank=True)
    submitter_email = models.EmailField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    vote_count = models.PositiveIntegerField(default=0)
    status_changed = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            # The two list orders, whole, so a page is read off the index without sorting.
            models.Index(fields=["product", "-created", "-id"], name="idea_recent_order"),
            models.Index(
                fields=["product", "-vote_count", "-created", "-id"], name="idea_votes_order"
            ),
            models.Index(fields=["product", "status"], name="idea_status"),
            # The similar-ideas index checks each product's latest change on every use.
            models.Index(fields=["product", "updated"], name="idea_changed"),
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """A vote for an idea: by a user, or by a contributor on a named customer's behalf (proxy)."""

    WORKSPACE_PATH = "idea__product__workspace_id"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="votes",
    )
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    voter_email = models.EmailField(blank=True, help_text="A portal visitor's vote.")
    proxy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"],
                condition=models.Q(user__isnull=False),
                name="one_vote_per_user",
            ),
            models.UniqueConstraint(
                fields=["idea", "customer"],
                condition=models.Q(customer__isnull=False),
                name="one_vote_per_customer",
            ),
            models.UniqueConstraint(
                fields=["idea", "voter_email"],
                condition=~models.Q(voter_email=""),
                name="one_vote_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return f"vote for {self.idea_id}"


class Source(models.TextChoices):
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    SALES_CALL = "sales_call", "Sales call"
    SUPPORT_TICKET = "support_ticket", "Support ticket"
    INTERVIEW = "interview", "Interview"
    SURVEY = "survey", "Survey"
    APP_REVIEW = "app_review", "App review"
    INTERNAL = "internal", "Internal"


class Importance(models.TextChoices):
    NICE = "nice", "Nice to have"
    IMPORTANT = "important", "Important"
    CRITICAL = "critical", "Critical"


class FeedbackState(models.TextChoices):
    NEW = "new", "New"
    PROCESSED = "processed", "Processed"
    ARCHIVED = "archived", "Archived"


class Feedback(Versioned):
    """A piece of customer evidence, as the customer said it."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="feedback")
    text = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.INTERNAL)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        max_length=12, choices=FeedbackState.choices, default=FeedbackState.NEW
    )
    message_id = models.CharField(max_length=300, blank=True, help_text="Ingested email's id.")

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["product", "-created", "-id"], name="feedback_recent"),
            models.Index(fields=["product", "state", "-created"], name="feedback_state"),
            models.Index(fields=["product", "message_id"], name="feedback_message_id"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FeedbackLink(models.Model):
    """Evidence: a feedback item supports an idea or a feature, with an importance."""

    WORKSPACE_PATH = "feedback__product__workspace_id"

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="links")
    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_links"
    )
    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_links"
    )
    importance = models.CharField(
        max_length=10, choices=Importance.choices, default=Importance.IMPORTANT
    )
    created = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(idea__isnull=False) | models.Q(feature__isnull=False),
                name="link_has_target",
            ),
            models.UniqueConstraint(
                fields=["feedback", "idea"],
                condition=models.Q(idea__isnull=False),
                name="one_link_per_idea",
            ),
            models.UniqueConstraint(
                fields=["feedback", "feature"],
                condition=models.Q(feature__isnull=False),
                name="one_link_per_feature",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.feedback_id} → {self.idea_id or self.feature_id}"


class Follower(models.Model):
    """A portal visitor (by email) who wants to hear when an idea's status changes."""

    WORKSPACE_PATH = "idea__product__workspace_id"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="followers")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    #: Scheme and host the visitor followed from, to build absolute links in the emails.
    base_url = models.URLField(max_length=300, blank=True)
    #: Lets the emails' unfollow link work without an account.
    token = models.CharField(max_length=43, unique=True, default=new_token)
    created = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "email"], name="one_follow_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} follows {self.idea_id}"
