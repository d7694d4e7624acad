"""Products and what describes them: vision, personas, components, competitors."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.accounts.models import Workspace, unique_slug
from headway.core.models import Versioned


class Product(Versioned):
    """A product the team manages, with its vision and its two product managers."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    vision = models.TextField(blank=True)
    north_star_metric = models.CharField(max_length=200, blank=True)
    portal_enabled = models.BooleanField(default=False)
    business_pm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    technical_pm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Product, self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Persona(Versioned):
    """A kind of user the product serves."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="personas")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    pains = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    """A part of the product (used for lanes, filters and imported Jira components)."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="components")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="unique_component_name")
        ]

    def __str__(self) -> str:
        return self.name


class Competitor(Versioned):
    """A competing product and how it positions itself."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(max_length=120)
    url = models.URLField(blank=True)
    positioning = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    pricing_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Capability(Versioned):
    """A row of the capability matrix: something customers compare products on."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="capabilities")
    name = models.CharField(max_length=160)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="unique_capability_name")
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    """How well a product covers a capability, from absent to best in the market."""

    NONE = "none", "None"
    PARTIAL = "partial", "Partial"
    FULL = "full", "Full"
    LEADER = "leader", "Leader"


class CapabilityLevel(models.Model):
    """A cell of the capability matrix; `competitor` empty means our own product."""

    WORKSPACE_PATH = "capability__product__workspace_id"

    capability = models.ForeignKey(Capability, on_delete=models.CASCADE, related_name="levels")
    competitor = models.ForeignKey(
        Competitor, null=True, blank=True, on_delete=models.CASCADE, related_name="levels"
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NONE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["capability", "competitor"],
                condition=models.Q(competitor__isnull=False),
                name="one_level_per_competitor_cell",
            ),
            models.UniqueConstraint(
                fields=["capability"],
                condition=models.Q(competitor__isnull=True),
                name="one_level_per_own_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.capability_id}/{self.competitor_id or 'us'}: {self.level}"
