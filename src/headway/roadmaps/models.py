"""Roadmaps: timeline, now/next/later and layered technology roadmaps, snapshots, share links,
and the technology radar."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

from headway.core import clock
from headway.core.models import Versioned
from headway.planning.models import Feature
from headway.products.models import Product
from headway.releases.models import Release
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


#: The feature statuses a new timeline or now/next/later roadmap shows by itself.
DEFAULT_STATUSES = "planned,in_progress"


class Roadmap(Versioned):
    """A view of the plan: which items, laid out how.

    Its items are the explicit `RoadmapItem`s plus, for every kind but technology, the product's
    features whose status is in `statuses` (narrowed to `initiative` and `release` when set).
    """

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="roadmaps")
    name = models.CharField(max_length=120)
    kind = models.CharField(
        max_length=20, choices=RoadmapKind.choices, default=RoadmapKind.TIMELINE
    )
    lane_by = models.CharField(max_length=20, choices=LaneBy.choices, default=LaneBy.INITIATIVE)
    description = models.TextField(blank=True)
    public = models.BooleanField(default=False, help_text="Shown on the public portal.")
    # Comma-separated rather than a JSON list: plain text reads well in the audit history.
    statuses = models.CharField(
        max_length=120,
        default=DEFAULT_STATUSES,
        blank=True,
        help_text="Feature statuses shown without being added as items, comma-separated.",
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filtered_roadmaps",
        help_text="Only features of this initiative appear by themselves.",
    )
    release = models.ForeignKey(
        Release,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filtered_roadmaps",
        help_text="Only features of this release appear by themselves.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def status_list(self) -> list[str]:
        """The statuses whose features appear by themselves, as a list."""
        return [status for status in self.statuses.split(",") if status]


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


class RoadmapItem(Versioned):
    """An item placed on a roadmap: a feature, an initiative, or a roadmap-only marker.

    A feature or initiative item takes its dates from what it points at; a marker (milestone,
    end of life, deprecation, technology item) carries its own title and dates.
    """

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
    note = models.TextField(blank=True, help_text="Internal; never shown on shared pages.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title or f"{self.kind} {self.pk}"

    @property
    def key(self) -> str:
        """The item's id on the drawn roadmap: features by feature, other items by item."""
        if self.feature_id is not None:
            return f"feature-{self.feature_id}"
        return f"item-{self.pk}"


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"share link {self.pk} of {self.roadmap_id}"

    @staticmethod
    def digest_of(token: str) -> str:
        """The stored form of a token: its SHA-256, so a database leak reveals no link."""
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls, roadmap: Roadmap, expires: object = None, created_by: object = None
    ) -> tuple[ShareLink, str]:
        """A new link for `roadmap`: the record and its raw token (256 bits)."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            roadmap=roadmap, digest=cls.digest_of(token), expires=expires, created_by=created_by
        )
        return link, token

    def is_live(self) -> bool:
        """Whether the link still opens its roadmap: not revoked and not expired."""
        if self.revoked is not None:
            return False
        return self.expires is None or self.expires > clock.now()


class Quadrant(models.TextChoices):
    TECHNIQUES = "techniques", "Techniques"
    PLATFORMS = "platforms", "Platforms"
    TOOLS = "tools", "Tools"
    LANGUAGES_FRAMEWORKS = "languages_frameworks", "Languages & frameworks"


class Ring(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    TRIAL = "trial", "Trial"
    ASSESS = "assess", "Assess"
    HOLD = "hold", "Hold"


class RadarBlip(Versioned):
    """A technology on the product's radar: its quadrant, its ring and why it is there."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="radar_blips")
    name = models.CharField(max_length=120)
    quadrant = models.CharField(max_length=24, choices=Quadrant.choices)
    ring = models.CharField(max_length=10, choices=Ring.choices)
    rationale = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roadmap_items = models.ManyToManyField(RoadmapItem, blank=True, related_name="radar_blips")

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="unique_blip_name")]

    def __str__(self) -> str:
        return self.name


class BlipMove(models.Model):
    """A blip entering a ring: written when a blip is created and whenever its ring changes."""

    WORKSPACE_PATH = "blip__product__workspace_id"

    blip = models.ForeignKey(RadarBlip, on_delete=models.CASCADE, related_name="moves")
    from_ring = models.CharField(max_length=10, choices=Ring.choices, blank=True)
    to_ring = models.CharField(max_length=10, choices=Ring.choices)
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.blip_id}: {self.from_ring or 'new'} → {self.to_ring}"
