"""Comments, watchers, notifications and the audit history of every change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from headway.accounts.models import Workspace
from headway.core import clock


class AuditEvent(models.Model):
    """One create, change or delete of a domain record: who, when, which fields changed how."""

    WORKSPACE_PATH = "workspace_id"

    workspace = models.ForeignKey(
        Workspace, null=True, on_delete=models.CASCADE, related_name="audit_events"
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
    body = models.TextField()
    body_html = models.TextField()
    created = models.DateTimeField(default=clock.now)
    edited = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created"])]

    def __str__(self) -> str:
        return self.body[:60]


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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    content_type = models.ForeignKey(
        ContentType, null=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField(null=True)
    target = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=clock.now)
    read = models.DateTimeField(null=True, blank=True)
    emailed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read", "-created"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.verb} {self.target}"


def content_type_of(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)
