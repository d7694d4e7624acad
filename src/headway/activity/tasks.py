"""Background tasks of the activity app (`django.tasks`)."""

from __future__ import annotations

from django.tasks import task

from headway.activity import digest


@task()
def send_digest_task(user_id: int) -> int:
    """Send one user's notification digest (enqueued to run when the digest is due)."""
    return digest.send_digest(user_id)
