"""Abstract model bases shared by every domain app."""

from __future__ import annotations

from django.db import models

from headway.core import clock


class TimeStamped(models.Model):
    """A record that knows when it was created and last changed."""

    created = models.DateTimeField(default=clock.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Versioned(TimeStamped):
    """An editable record with a version number: its ETag, bumped on every change.

    Writes go through `headway.core.changes.update`, which bumps the version in the same UPDATE
    that checks it, so two concurrent editors cannot silently overwrite each other.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'
