"""Import jobs and their outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=clock.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"
