"""Roadmaps: timeline, now/next/later and layered technology roadmaps, snapshots, share links."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models

from headway.core import clock
from headway.core.models import Versioned
from headway.planning.models import Feature
from headway.products.models import Product
from headway.strategy.models import Initiative


class RoadmapKind(models.TextChoices):
    TIMELINE = "timeline", "Timeline"
    NOW_NEXT_LATER = "now_next_later", "Now / next / later"
    TECHNOLOGY = "technology", "Technology roadmap"


class LaneBy(models.TextChoices):
    GOAL = "goal", "Goal"
    INITIATIVE = "initiative", "Initiative"
    COMPONENT = "component", "Component"
    TEAM = "team", "Team"
    KIND = "kind", "Kind"
    LAYER = "layer", "Layer"


class Layer(models.TextChoices):
    """The layers of a technology roadmap, top (market) to bottom (resources)."""

    MARKET = "market", "Market & customer"
    CAPABILITY = "capability", "Product capability"
    PLATFORM = "platform", "Platform & architecture"
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    TECH_DEBT = "tech_debt", "Tech debt, security & compliance"
    RESOURCES = "resources", "Resources & skills"


class Roadmap(Versioned):
    """A view of the plan: which items, laid out how."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="roadmaps")
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=20, choices=RoadmapKind.choices, default=RoadmapKind.TIMELINE
    )
    lane_by = models.CharField(max_length=20, choices=LaneBy.choices, default=LaneBy.INITIATIVE)
    description = models.TextField(blank=True)
    public = models.BooleanField(default=False, help_text="Shown on the public portal.")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    FEATURE = "feature", "Feature"
    INITIATIVE = "initiative", "Initiative"
    MILESTONE = "milestone", "Milestone"
    END_OF_LIFE = "end_of_life", "End of life"
    DEPRECATION = "deprecation", "Deprecation"
    TECHNOLOGY = "technology", "Technology item"


class Bucket(models.TextChoices):
    NOW = "now", "Now"
    NEXT = "next", "Next"
    LATER = "later", "Later"


class RoadmapItem(models.Model):
    """An item placed on a roadmap: a feature, an initiative, or a roadmap-only marker."""

    WORKSPACE_PATH = "roadmap__product__workspace_id"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.FEATURE)
    feature = models.ForeignKey(
        Feature, null=True, blank=True, on_delete=models.CASCADE, related_name="roadmap_items"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="roadmap_items"
    )
    title = models.CharField(max_length=200, blank=True)
    layer = models.CharField(max_length=20, choices=Layer.choices, blank=True)
    bucket = models.CharField(max_length=10, choices=Bucket.choices, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or f"{self.kind} {self.pk}"


class Snapshot(models.Model):
    """A roadmap as it stood at a moment, to compare with later."""

    WORKSPACE_PATH = "roadmap__product__workspace_id"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="snapshots")
    name = models.CharField(max_length=120)
    created = models.DateTimeField(default=clock.now)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name


class ShareLink(models.Model):
    """An unguessable read-only link to a roadmap. Only the token's hash is stored."""

    WORKSPACE_PATH = "roadmap__product__workspace_id"

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="share_links")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=clock.now)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"share link {self.pk} of {self.roadmap_id}"

    @classmethod
    def issue(cls, roadmap: Roadmap, expires: object = None) -> tuple[ShareLink, str]:
        """A new link for `roadmap`: the record and its raw token (256 bits)."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            roadmap=roadmap, digest=hashlib.sha256(token.encode()).hexdigest(), expires=expires
        )
        return link, token
