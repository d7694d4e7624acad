"""Releases: a version with a target date, its scope, and readiness per function."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.accounts.models import Function
from headway.core.models import Versioned
from headway.products.models import Product


class ReleaseStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    RELEASED = "released", "Released"
    CANCELLED = "cancelled", "Cancelled"


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
    function = models.CharField(max_length=20, choices=Function.choices)
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
