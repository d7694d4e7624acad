"""Features (epics), user stories with acceptance criteria, estimates, risks, dependencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from headway.core.models import TimeStamped, Versioned
from headway.products.models import Component, Product
from headway.releases.models import Release
from headway.strategy.models import Initiative


class Team(models.Model):
    """A delivery team and its capacity, for scheduling."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    capacity_per_week = models.FloatField(default=10, help_text="Story points per week.")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class FeatureKind(models.TextChoices):
    CUSTOMER_FEATURE = "customer_feature", "Customer feature"
    ENHANCEMENT = "enhancement", "Enhancement"
    TECHNICAL_ENABLER = "technical_enabler", "Technical enabler"
    TECH_DEBT = "tech_debt", "Tech debt"
    RESEARCH_SPIKE = "research_spike", "Research spike"


class FeatureStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class MoSCoW(models.TextChoices):
    MUST = "must", "Must have"
    SHOULD = "should", "Should have"
    COULD = "could", "Could have"
    WONT = "wont", "Won't have"


class Kano(models.TextChoices):
    MUST_BE = "must_be", "Must-be"
    PERFORMANCE = "performance", "Performance"
    ATTRACTIVE = "attractive", "Attractive"
    INDIFFERENT = "indifferent", "Indifferent"
    REVERSE = "reverse", "Reverse"
    QUESTIONABLE = "questionable", "Questionable"


class NoteKind(models.TextChoices):
    NEW = "new", "New"
    IMPROVED = "improved", "Improved"
    FIXED = "fixed", "Fixed"


class Feature(Versioned):
    """A feature (epic): the unit the backlog, roadmaps and releases are made of."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="features")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(
        max_length=20, choices=FeatureKind.choices, default=FeatureKind.CUSTOMER_FEATURE
    )
    status = models.CharField(
        max_length=20, choices=FeatureStatus.choices, default=FeatureStatus.IDEA
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="features"
    )
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="features"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="features"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    components = models.ManyToManyField(Component, blank=True, related_name="features")
    labels = models.JSONField(default=list, blank=True)

    # Estimates: story points, or a three-point estimate (in points) for PERT.
    points = models.FloatField(null=True, blank=True)
    estimate_optimistic = models.FloatField(null=True, blank=True)
    estimate_likely = models.FloatField(null=True, blank=True)
    estimate_pessimistic = models.FloatField(null=True, blank=True)

    # Prioritization inputs, one group per framework (validated by planning.scoring).
    rice_reach = models.FloatField(null=True, blank=True)
    rice_impact = models.FloatField(null=True, blank=True)
    rice_confidence = models.FloatField(null=True, blank=True)
    rice_effort = models.FloatField(null=True, blank=True)
    ice_impact = models.FloatField(null=True, blank=True)
    ice_confidence = models.FloatField(null=True, blank=True)
    ice_ease = models.FloatField(null=True, blank=True)
    wsjf_business_value = models.PositiveSmallIntegerField(null=True, blank=True)
    wsjf_time_criticality = models.PositiveSmallIntegerField(null=True, blank=True)
    wsjf_risk_reduction = models.PositiveSmallIntegerField(null=True, blank=True)
    wsjf_job_size = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    effort = models.FloatField(null=True, blank=True)
    risk = models.FloatField(null=True, blank=True)
    urgent = models.BooleanField(null=True, blank=True)
    important = models.BooleanField(null=True, blank=True)
    moscow = models.CharField(max_length=10, choices=MoSCoW.choices, blank=True)
    kano = models.CharField(max_length=20, choices=Kano.choices, blank=True)

    # Denormalised scores, written with the inputs so the ranked backlog is one indexed query.
    rice_score = models.FloatField(null=True, blank=True)
    ice_score = models.FloatField(null=True, blank=True)
    wsjf_score = models.FloatField(null=True, blank=True)
    value_effort_score = models.FloatField(null=True, blank=True)

    #: Manual backlog order: fractional-index keys, compared by code point (see ranking.py).
    rank = models.CharField(max_length=64, default="", blank=True)

    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    release_note = models.TextField(blank=True)
    release_note_kind = models.CharField(
        max_length=10, choices=NoteKind.choices, default=NoteKind.NEW
    )

    #: Where an imported feature came from ("jira:HADOOP-1"), to update on re-import.
    source_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        indexes = [
            models.Index(fields=["product", "rank", "id"], name="feature_manual_order"),
            models.Index(fields=["product", "-rice_score", "id"], name="feature_rice_order"),
            models.Index(fields=["product", "-ice_score", "id"], name="feature_ice_order"),
            models.Index(fields=["product", "-wsjf_score", "id"], name="feature_wsjf_order"),
            models.Index(fields=["product", "-value_effort_score", "id"], name="feature_ve_order"),
            models.Index(fields=["product", "status"], name="feature_status"),
            models.Index(fields=["product", "source_key"], name="feature_source_key"),
        ]

    def __str__(self) -> str:
        return self.title


class StoryStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Story(Versioned):
    """A user story: As a ⟨persona⟩, I want ⟨goal⟩, so that ⟨benefit⟩."""

    WORKSPACE_PATH = "feature__product__workspace_id"

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=200)
    as_a = models.CharField(max_length=200, blank=True)
    i_want = models.TextField(blank=True)
    so_that = models.TextField(blank=True)
    description = models.TextField(blank=True)
    points = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=StoryStatus.choices, default=StoryStatus.TODO)
    done_at = models.DateTimeField(null=True, blank=True)
    release = models.ForeignKey(
        Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    position = models.PositiveIntegerField(default=0)
    source_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["done_at"], name="story_done_at")]

    def __str__(self) -> str:
        return self.title


class AcceptanceCriterion(models.Model):
    """Given / When / Then, in order, for one story."""

    WORKSPACE_PATH = "story__feature__product__workspace_id"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="criteria")
    given = models.TextField(blank=True)
    when = models.TextField(blank=True)
    then = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"Given {self.given} when {self.when} then {self.then}"[:80]


class Requirement(TimeStamped):
    """A non-functional requirement of a feature (performance, security, accessibility, …)."""

    WORKSPACE_PATH = "feature__product__workspace_id"

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="requirements")
    category = models.CharField(max_length=40, default="other")
    text = models.TextField()

    class Meta:
        ordering = ["id"]


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    MITIGATED = "mitigated", "Mitigated"
    CLOSED = "closed", "Closed"


class Risk(TimeStamped):
    """A risk of a feature: probability and impact 1–5, mitigation, owner."""

    WORKSPACE_PATH = "feature__product__workspace_id"

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    probability = models.PositiveSmallIntegerField(default=3)
    impact = models.PositiveSmallIntegerField(default=3)
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN)

    class Meta:
        ordering = ["id"]

    @property
    def exposure(self) -> int:
        return self.probability * self.impact


class Dependency(models.Model):
    """`feature` depends on `depends_on` (which therefore blocks it)."""

    WORKSPACE_PATH = "feature__product__workspace_id"

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="dependants")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feature", "depends_on"], name="unique_dependency"),
            models.CheckConstraint(
                condition=~models.Q(feature=models.F("depends_on")), name="no_self_dependency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature_id} depends on {self.depends_on_id}"


class Scorecard(Versioned):
    """A team's weighted scorecard for one product: its own criteria, weights and rating ranges.

    ``criteria`` is a list of ``{"name", "weight", "low", "high"}``; a feature's score is
    Σ wᵢ·sᵢ ÷ Σ wᵢ over its ratings (planning.scoring.weighted_scorecard).
    """

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="scorecards")
    name = models.CharField(max_length=120)
    criteria = models.JSONField(default=list)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ScorecardRating(models.Model):
    """One feature's ratings on one scorecard: ``{criterion name: rating}``.

    ``score`` is their weighted score under the scorecard's criteria as they are now (None when
    the ratings do not complete them), kept by planning.backlog (``rate``, ``rescore``) so that
    the backlog ranks by a scorecard in the database.
    """

    WORKSPACE_PATH = "feature__product__workspace_id"

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="scorecard_ratings")
    ratings = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "feature"], name="one_rating_per_card")
        ]

    def __str__(self) -> str:
        return f"{self.feature_id} on scorecard {self.scorecard_id}"


class PriorityFormula(Versioned):
    """A team's own score: an expression over feature fields (planning.formula), per product."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="formulas")
    name = models.CharField(max_length=120)
    expression = models.TextField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
