"""Releases: a version with a target date, its scope, and readiness per function.

Also the Django side of forecasting: an imported throughput history (`ThroughputWeek`) and
what-if scenarios (`Scenario`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.accounts.models import Function, Workspace
from headway.core.models import Versioned
from headway.products.models import Product


class ReleaseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    RELEASED = "released", "Released"
    CANCELLED = "cancelled", "Cancelled"


#: Status -> the statuses a release may move to. A released release stays released: its notes
#: are public and its date is history.
TRANSITIONS: dict[str, set[str]] = {
    ReleaseStatus.PLANNED: {ReleaseStatus.IN_PROGRESS, ReleaseStatus.CANCELLED},
    ReleaseStatus.IN_PROGRESS: {
        ReleaseStatus.PLANNED,
        ReleaseStatus.RELEASED,
        ReleaseStatus.CANCELLED,
    },
    ReleaseStatus.RELEASED: set(),
    ReleaseStatus.CANCELLED: {ReleaseStatus.PLANNED},
}


class ReadinessFunction(models.TextChoices):
    """The functions that make a release a complete customer experience."""

    ENGINEERING = "engineering", "Engineering"
    QA = "qa", "QA"
    DOCS = "docs", "Docs"
    MARKETING = "marketing", "Marketing"
    SALES_ENABLEMENT = "sales_enablement", "Sales enablement"
    SUPPORT = "support", "Support"


#: Readiness function -> the member function (Membership.function) whose contributors may tick
#: it. Docs has no matching member function, so only product managers and above tick it.
MEMBER_FUNCTION: dict[str, str] = {
    ReadinessFunction.ENGINEERING: Function.ENGINEERING,
    ReadinessFunction.QA: Function.QA,
    ReadinessFunction.MARKETING: Function.MARKETING,
    ReadinessFunction.SALES_ENABLEMENT: Function.SALES,
    ReadinessFunction.SUPPORT: Function.SUPPORT,
}

#: The template a workspace starts with.
DEFAULT_TEMPLATE: tuple[tuple[str, str], ...] = (
    (ReadinessFunction.ENGINEERING, "Code complete and merged"),
    (ReadinessFunction.ENGINEERING, "Deployed to staging"),
    (ReadinessFunction.QA, "Regression suite passed"),
    (ReadinessFunction.QA, "Release candidate signed off"),
    (ReadinessFunction.DOCS, "User documentation updated"),
    (ReadinessFunction.DOCS, "Release notes reviewed"),
    (ReadinessFunction.MARKETING, "Announcement drafted"),
    (ReadinessFunction.SALES_ENABLEMENT, "Sales team briefed"),
    (ReadinessFunction.SUPPORT, "Support team trained"),
    (ReadinessFunction.SUPPORT, "Known issues documented"),
)


class Release(Versioned):
    """A version of the product that ships a set of features and stories on a date."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="releases")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.PLANNED
    )
    released_at = models.DateTimeField(null=True, blank=True)
    capacity_points = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [models.Index(fields=["product", "target_date"])]

    def __str__(self) -> str:
        return self.name


class ReadinessItem(models.Model):
    """One item of a release's readiness checklist, owned by a function."""

    WORKSPACE_PATH = "release__product__workspace_id"

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="readiness")
    function = models.CharField(max_length=20, choices=ReadinessFunction.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["function", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ReadinessTemplateItem(models.Model):
    """One line of a workspace's readiness template, copied into every new release."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="readiness_template"
    )
    function = models.CharField(max_length=20, choices=ReadinessFunction.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["function", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ThroughputUnit(models.TextChoices):
    STORIES = "stories", "Stories"
    FEATURES = "features", "Features"


class ThroughputWeek(models.Model):
    """An imported weekly count of finished items; when present it replaces the done times."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="throughput")
    unit = models.CharField(
        max_length=10, choices=ThroughputUnit.choices, default=ThroughputUnit.STORIES
    )
    week_start = models.DateField(help_text="The Monday of the week.")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "unit", "week_start"], name="one_count_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.week_start}: {self.count}"


class Scenario(Versioned):
    """A what-if copy of the plan: changes to scope, capacity, dates and pace, not yet applied.

    `changes` holds {"features": [{"feature", "release"}], "releases": [{"release",
    "target_date"?, "capacity_points"?}], "teams": [{"team", "capacity_per_week"}],
    "throughput_multiplier": 1.0}; the live plan is untouched until the scenario is applied.
    """

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True, default=None)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name
