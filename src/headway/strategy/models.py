"""Goals with key results, and the initiatives (themes) that serve them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimeStamped, Versioned
from headway.products.models import Product


class Goal(Versioned):
    """An objective of the product, measured by its key results."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class KeyResult(TimeStamped):
    """A measurable result of a goal: progress from baseline towards target."""

    WORKSPACE_PATH = "goal__product__workspace_id"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    current = models.FloatField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target, 0–100 %; works for metrics that must fall."""
        if self.baseline is None or self.target is None or self.current is None:
            return None
        if self.target == self.baseline:
            return None
        share = (self.current - self.baseline) / (self.target - self.baseline)
        return round(100 * min(1.0, max(0.0, share)), 1)


class Initiative(Versioned):
    """A theme of work under a goal; features belong to initiatives."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="initiatives")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capacity_points = models.PositiveIntegerField(
        null=True, blank=True, help_text="Points the team means to spend on it."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
