"""Import jobs and what they matched on, and outgoing webhooks with their delivery log."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from headway.accounts.models import Workspace
from headway.core import clock
from headway.products.models import Product


class ImportKind(models.TextChoices):
    JIRA_CSV = "jira_csv", "Jira CSV"
    GITHUB_JSON = "github_json", "GitHub issues JSON"
    CSV = "csv", "CSV with a column mapping"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """An uploaded file being imported into a product, all or nothing."""

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.FloatField(default=0, help_text="0–100 %.")
    file_name = models.CharField(max_length=255, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(default=clock.now)
    finished = models.DateTimeField(null=True, blank=True)
    #: Options of the reading: {"timezone": "Europe/Berlin"} for times written without a zone.
    options = models.JSONField(default=dict, blank=True)
    #: Remarks that are not errors, such as a sub-task whose parent is not in the file.
    notes = models.JSONField(default=list, blank=True)
    #: How many problems the file had in all (`errors` lists the first thousand).
    error_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    started = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["product", "-created", "-id"], name="import_recent")]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    @property
    def finished_running(self) -> bool:
        """Whether the job has reached its outcome (done or failed)."""
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ImportedRecord(models.Model):
    """Where an imported idea or feedback item came from, so a re-import updates it.

    Features and stories carry their `source_key` themselves; ideas and feedback have no such
    field, so the importer keeps the key here.
    """

    WORKSPACE_PATH = "product__workspace_id"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    source_key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "content_type", "source_key"], name="one_record_per_source_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_key} → {self.content_type_id}:{self.object_id}"


class WebhookEvent(models.TextChoices):
    IDEA_CREATED = "idea.created", "An idea is created"
    IDEA_STATUS_CHANGED = "idea.status_changed", "An idea changes status"
    FEATURE_STATUS_CHANGED = "feature.status_changed", "A feature changes status"
    RELEASE_RELEASED = "release.released", "A release is released"
    FEEDBACK_CREATED = "feedback.created", "Feedback is added"


#: The event of a delivery sent with the "send test" button.
TEST_EVENT = "webhook.test"


def new_webhook_secret() -> str:
    """A random signing secret (256 bits)."""
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A URL of the workspace's choosing that is told, by a signed POST, when events happen."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event names, e.g. idea.created.")
    #: The HMAC-SHA256 key; the receiver holds the same secret to check the signature.
    secret = models.CharField(max_length=200, default=new_webhook_secret)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["workspace", "active"], name="webhook_workspace")]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        """The secret's first characters, to tell secrets apart without showing them."""
        return self.secret[:10] + "…"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    RETRYING = "retrying", "Retrying"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with the outcome of its last attempt.

    The body is stored as the exact bytes that are signed and sent, so every retry sends the
    same document with the same signature.
    """

    WORKSPACE_PATH = "webhook__workspace_id"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text="The start of the last answer.")
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=clock.now)
    last_attempt = models.DateTimeField(null=True, blank=True)
    next_attempt = models.DateTimeField(null=True, blank=True)
    delivered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["webhook", "-created", "-id"], name="delivery_recent")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
