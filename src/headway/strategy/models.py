"""Goals with key results, and the initiatives (themes) that serve them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from headway.core.models import Versioned
from headway.products.models import Product
from headway.strategy import progress as metrics


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

    @property
    def progress(self) -> float | None:
        """The mean progress of the measurable key results (prefetch `key_results` for lists)."""
        return metrics.goal_progress(kr.progress for kr in self.key_results.all())


class KeyResult(Versioned):
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

    def clean(self) -> None:
        if self.baseline is not None and self.target is not None and self.target == self.baseline:
            raise ValidationError(
                {
                    "target": "The target must differ from the baseline; otherwise there is "
                    "no way to measure progress towards it."
                }
            )

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target, 0–100 %; works for metrics that must fall."""
        return metrics.progress(self.baseline, self.target, self.current)

    @property
    def falling(self) -> bool:
        """True for a metric that must fall (its target is below its baseline)."""
        return self.baseline is not None and self.target is not None and self.target < self.baseline


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

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.goal_id is not None and self.product_id is not None:
            # A goal that does not exist at all is reported by the field's own validation.
            owner = list(Goal.objects.filter(pk=self.goal_id).values_list("product_id", flat=True))
            if owner and owner[0] != self.product_id:
                errors["goal"] = "This goal belongs to another product; pick one of this product's."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date is before the start date."
        if errors:
            raise ValidationError(errors)
