"""Background tasks of the interchange app: running imports and delivering webhooks.

Both are retried with exponential back-off when they crash (`headway.core.tasks.background`),
and once every attempt has failed the failure is written on the job or the delivery, where
people look, never only in a log.
"""

from __future__ import annotations

from headway.core.tasks import background
from headway.interchange import services, webhooks

#: An import that crashes (not one whose file is refused) is tried three times: now, after
#: 10 s and after 20 s more.
IMPORT_ATTEMPTS = 3
IMPORT_BACKOFF = 10.0


def _import_gave_up(job_id: int, *, error: str) -> None:
    services.give_up(job_id, error)


def _delivery_gave_up(delivery_id: int, *, error: str) -> None:
    webhooks.give_up(delivery_id, error)


@background(attempts=IMPORT_ATTEMPTS, backoff=IMPORT_BACKOFF, on_give_up=_import_gave_up)
def run_import(job_id: int) -> str:
    """Import the file of one job; returns the job's outcome (done or failed)."""
    return str(services.execute_import(job_id).status)


# Six tries over about a quarter of an hour (30 s, 1, 2, 4 and 8 minutes apart), long enough to
# ride out a receiver's restart.
@background(
    attempts=webhooks.ATTEMPTS,
    backoff=webhooks.BACKOFF,
    max_backoff=webhooks.MAX_BACKOFF,
    on_give_up=_delivery_gave_up,
)
def deliver_webhook(delivery_id: int) -> int | None:
    """POST one delivery; raises (and so is retried) unless the receiver answers 2xx."""
    return webhooks.attempt_delivery(delivery_id)
