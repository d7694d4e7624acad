"""Comments, watchers, notifications and the audit history of every change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from headway.accounts.models import Workspace
from headway.core import clock
from headway.products.models import Product


class AuditEvent(models.Model):
    """One create, change or delete of a domain record: who, when, which fields changed how."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(
        Workspace, null=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    #: The product the record belongs to (None for workspace-level records), for the feed.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=clock.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object"),
            models.Index(fields=["workspace", "-at"], name="audit_workspace"),
            models.Index(fields=["product", "-at"], name="audit_product"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class Comment(models.Model):
    """A Markdown comment on an idea, feature, story, release or roadmap."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="comments")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    created = models.DateTimeField(default=clock.now)
    edited = models.DateTimeField(null=True, blank=True)
    #: Set when a comment that has replies is deleted: the thread stays, the words go.
    deleted = models.DateTimeField(null=True, blank=True)

    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def audit_repr(self) -> str:
        """The audit log and the activity feed name a comment by what it is about."""
        return str(self.target) if self.target is not None else "a deleted item"

    @property
    def audit_parent(self) -> Any:
        """The item commented on: its product is the comment's product in the feed."""
        return self.target


class Watch(models.Model):
    """A user watching an item, to be notified of what happens to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    created = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="one_watch_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.content_type_id}:{self.object_id}"


class Notification(models.Model):
    """Something a user should know about, shown in the app and sent by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    #: Where it happened: a member who leaves a workspace stops seeing its notifications.
    workspace = models.ForeignKey(
        Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    content_type = models.ForeignKey(
        ContentType, null=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField(null=True)
    target = models.CharField(max_length=200, blank=True)
    #: A line of context: the start of the comment, or "Planned → In progress".
    detail = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=clock.now)
    read = models.DateTimeField(null=True, blank=True)
    emailed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read", "-created"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.verb} {self.target}"


class DigestInterval(models.IntegerChoices):
    """How long notification emails wait to be batched into one digest."""

    IMMEDIATELY = 0, "Immediately"
    FIVE_MINUTES = 5, "Within 5 minutes"
    FIFTEEN_MINUTES = 15, "Within 15 minutes"
    HOURLY = 60, "Hourly"
    DAILY = 1440, "Daily"


class NotificationSettings(models.Model):
    """A user's choices about notification email, and the digest waiting to be sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email = models.BooleanField(default=True, help_text="Send notifications by email.")
    digest_minutes = models.PositiveIntegerField(
        choices=DigestInterval.choices, default=DigestInterval.FIFTEEN_MINUTES
    )
    #: When the pending digest goes out; None when none is scheduled.
    digest_due = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"


def content_type_of(model: type[models.Model]) -> ContentType:
    """The (cached) content type of `model`."""
    return ContentType.objects.get_for_model(model)
