"""Outgoing webhooks: which changes are events, the signed JSON document, and its delivery.

Every domain write announces itself on `core.changes.record_changed`; `on_record_changed` picks
out the five events a workspace can subscribe to, stores one delivery per subscribed webhook in
the same transaction as the change, and queues their sending once that transaction commits (a
change that is rolled back sends nothing). The body is fixed when the delivery is stored, so
every retry sends the same bytes under the same signature:

    X-Headway-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the webhook's secret>
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction

from headway.accounts.access import workspace_id_of
from headway.accounts.models import User, Workspace
from headway.core import clock
from headway.core.json import dumps
from headway.core.tasks import backoff_seconds
from headway.interchange import http
from headway.interchange.errors import MappingInvalid
from headway.interchange.models import (
    TEST_EVENT,
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)

SIGNATURE_HEADER = "X-Headway-Signature"
#: Attempts and back-off of a delivery (see `interchange.tasks.deliver_webhook`).
ATTEMPTS = 6
BACKOFF = 30.0
MAX_BACKOFF = 3600.0


class DeliveryFailed(Exception):
    """The receiver did not accept the delivery (no answer, or not a 2xx answer)."""


def sign(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=` and the hex HMAC-SHA256 of `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_url(url: str) -> str:
    """`url` if it is an http(s) URL with a host; MappingInvalid("url", …) otherwise."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise MappingInvalid("url", "must start with http:// or https://")
    if parts.username or parts.password:
        raise MappingInvalid("url", "must not hold a user name or password; use the secret")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise MappingInvalid("url", "is not a valid web address") from None
    if len(url) > 500:
        raise MappingInvalid("url", "is longer than 500 characters")
    return url


def check_events(events: Sequence[str]) -> list[str]:
    """The events, each known and none twice; MappingInvalid("events", …) otherwise."""
    unknown = [event for event in events if event not in WebhookEvent.values]
    if unknown:
        raise MappingInvalid(
            "events", f"unknown: {', '.join(unknown)}; known: {', '.join(WebhookEvent.values)}"
        )
    if not events:
        raise MappingInvalid("events", "choose at least one event")
    return list(dict.fromkeys(events))


def create_webhook(
    workspace: Workspace,
    user: User | None,
    *,
    url: str,
    events: Sequence[str],
    secret: str | None = None,
    description: str = "",
) -> Webhook:
    """Subscribe `url` to `events` in `workspace` (the caller checked the admin role)."""
    values: dict[str, Any] = {
        "workspace": workspace,
        "url": check_url(url),
        "events": check_events(events),
        "description": description.strip()[:200],
        "created_by": user,
    }
    if secret:
        if not 16 <= len(secret) <= 200:
            raise MappingInvalid("secret", "must be 16 to 200 characters long")
        values["secret"] = secret
    # Not through `changes.create`: the audit history would keep the secret in clear text.
    webhook = Webhook(**values)
    webhook.full_clean()
    webhook.save()
    return webhook


# --- events ------------------------------------------------------------------------------------


def _product(instance: Any) -> dict[str, Any]:
    product = instance.product
    return {"id": product.pk, "name": product.name}


def _events(
    sender: type[models.Model], instance: Any, action: str, diff: dict[str, list[Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """The webhook events a change amounts to, with their data."""
    label = sender._meta.label
    status = diff.get("status")
    moved = {"from": status[0], "to": status[1]} if status and action == "update" else {}
    if label == "discovery.Idea":
        data = {
            "id": instance.pk,
            "title": instance.title,
            "status": instance.status,
            "product": _product(instance),
        }
        if action == "create":
            return [(WebhookEvent.IDEA_CREATED, data)]
        if moved:
            return [(WebhookEvent.IDEA_STATUS_CHANGED, data | moved)]
    elif label == "planning.Feature" and moved:
        data = {
            "id": instance.pk,
            "title": instance.title,
            "kind": instance.kind,
            "status": instance.status,
            "product": _product(instance),
        }
        return [(WebhookEvent.FEATURE_STATUS_CHANGED, data | moved)]
    elif label == "releases.Release" and instance.status == "released":
        if (action == "create") or moved:
            released = instance.released_at
            return [
                (
                    WebhookEvent.RELEASE_RELEASED,
                    {
                        "id": instance.pk,
                        "name": instance.name,
                        "released_at": released.isoformat() if released else None,
                        "target_date": (
                            instance.target_date.isoformat() if instance.target_date else None
                        ),
                        "product": _product(instance),
                    },
                )
            ]
    elif label == "discovery.Feedback" and action == "create":
        customer = instance.customer
        return [
            (
                WebhookEvent.FEEDBACK_CREATED,
                {
                    "id": instance.pk,
                    "text": instance.text,
                    "source": instance.source,
                    "customer": (
                        {"name": customer.name, "company": customer.company} if customer else None
                    ),
                    "product": _product(instance),
                },
            )
        ]
    return []


def document(event: str, workspace: Workspace, data: dict[str, Any]) -> str:
    """The JSON body of a delivery: `{event, at, workspace, data}`."""
    return dumps(
        {
            "event": event,
            "at": clock.now().isoformat(),
            "workspace": {"id": workspace.pk, "name": workspace.name},
            "data": data,
        }
    )


def on_record_changed(
    sender: type[models.Model],
    *,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]],
    **_: Any,
) -> None:
    """Store a delivery for each webhook subscribed to the event, and send it on commit."""
    events = _events(sender, instance, action, changes)
    if not events:
        return
    workspace_id = workspace_id_of(instance)
    if workspace_id is None:
        return
    hooks = list(Webhook.objects.filter(workspace_id=workspace_id, active=True))
    if not hooks:
        return
    workspace = Workspace.objects.get(pk=workspace_id)
    deliveries = [
        WebhookDelivery(webhook=hook, event=event, body=document(event, workspace, data))
        for event, data in events
        for hook in hooks
        if event in hook.events
    ]
    if not deliveries:
        return
    created = WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(delivery_ids: list[int]) -> None:
    from headway.interchange.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.enqueue(delivery_id)


def send_test(webhook: Webhook) -> WebhookDelivery:
    """Queue a `webhook.test` delivery, to check that the receiver gets and verifies it."""
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event=TEST_EVENT,
        body=document(
            TEST_EVENT,
            webhook.workspace,
            {"webhook": webhook.pk, "message": "A test delivery from Headway."},
        ),
    )
    _enqueue([delivery.pk])
    delivery.refresh_from_db()
    return delivery


# --- delivery ----------------------------------------------------------------------------------


def attempt_delivery(delivery_id: int) -> int | None:
    """POST a delivery once and record the outcome; raises DeliveryFailed unless the receiver
    answered 2xx (the task then retries later)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
        return None  # deleted with its webhook, or already settled
    webhook = delivery.webhook
    body = delivery.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Headway-Webhooks/1",
        "X-Headway-Event": delivery.event,
        "X-Headway-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(webhook.secret, body),
    }
    now = clock.now()
    attempts = delivery.attempts + 1
    record: dict[str, Any] = {"attempts": attempts, "last_attempt": now}
    failure: str | None = None
    if not webhook.active:
        # Nothing to retry: it stays off until an admin switches it on.
        record.update(
            status=DeliveryStatus.FAILED, error="the webhook is switched off", next_attempt=None
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**record)
        return None
    try:
        answer = http.post(webhook.url, body, headers)
    except http.Unreachable as error:
        failure = f"could not reach the receiver: {error}"
        record.update(error=failure, response_code=None, response_body="", duration_ms=None)
    else:
        record.update(
            response_code=answer.status,
            response_body=answer.body,
            duration_ms=answer.duration_ms,
            error="",
        )
        if not 200 <= answer.status < 300:
            failure = f"the receiver answered {answer.status}"
            record["error"] = failure
    if failure is None:
        record.update(status=DeliveryStatus.DELIVERED, delivered=now, next_attempt=None)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**record)
        return int(record["response_code"])
    if attempts < ATTEMPTS:
        wait = backoff_seconds(attempts, BACKOFF, MAX_BACKOFF)
        record.update(status=DeliveryStatus.RETRYING, next_attempt=now + timedelta(seconds=wait))
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**record)
    raise DeliveryFailed(failure)


def give_up(delivery_id: int, error: str) -> None:
    """Mark a delivery failed for good once every attempt has failed."""
    WebhookDelivery.objects.filter(pk=delivery_id).exclude(status=DeliveryStatus.DELIVERED).update(
        status=DeliveryStatus.FAILED,
        next_attempt=None,
        error=f"Gave up after {ATTEMPTS} attempts: {error.removeprefix('DeliveryFailed: ')}",
    )


def payload_of(delivery: WebhookDelivery) -> dict[str, Any]:
    """The delivery's document, parsed (for the API and the log page)."""
    parsed: dict[str, Any] = json.loads(delivery.body)
    return parsed
