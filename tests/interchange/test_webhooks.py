"""Webhooks: subscriptions, signed deliveries received by a real local HTTP server, retries."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from headway.core import changes
from headway.discovery.models import Feedback, Idea
from headway.interchange import webhooks
from headway.interchange.models import Webhook, WebhookDelivery
from headway.planning.models import Feature
from headway.releases.models import Release
from tests.conftest import Api, World

SECRET = "a-shared-secret-of-enough-length"


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that records what it gets and answers `statuses`."""

    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(item["body"]) for item in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(
                {"path": self.path, "headers": dict(self.headers), "body": body.decode()}
            )
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"thanks" if status < 300 else b"try later")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/headway"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def verified(item: dict[str, Any], secret: str = SECRET) -> bool:
    """What a receiver does: recompute the HMAC of the raw body and compare in constant time."""
    expected = (
        "sha256=" + hmac.new(secret.encode(), item["body"].encode(), hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, item["headers"]["X-Headway-Signature"])


def hook(world: World, receiver: Receiver, *events: str) -> Webhook:
    return Webhook.objects.create(
        workspace=world.workspace,
        url=receiver.url,
        events=list(events) or ["idea.created"],
        secret=SECRET,
    )


Committing = Callable[..., Any]


# --- events are delivered, signed ---------------------------------------------------------------


def test_a_new_idea_is_delivered_signed_to_its_subscriber(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "idea.created")
    with django_capture_on_commit_callbacks(execute=True):
        idea = changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    assert len(receiver.received) == 1
    item = receiver.received[0]
    assert item["path"] == "/hooks/headway"
    assert item["headers"]["Content-Type"] == "application/json"
    assert item["headers"]["X-Headway-Event"] == "idea.created"
    assert verified(item)
    body = json.loads(item["body"])
    assert set(body) == {"event", "at", "workspace", "data"}
    assert body["event"] == "idea.created"
    assert body["workspace"] == {"id": world.workspace.pk, "name": "Acme"}
    assert body["data"]["id"] == idea.pk
    assert body["data"]["title"] == "Dark mode"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)


def test_a_tampered_body_fails_verification(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "idea.created")
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    item = dict(receiver.received[0])
    item["body"] = item["body"].replace("Dark mode", "Light mode")
    assert not verified(item)
    assert not verified(receiver.received[0], secret="another-secret-entirely")


def test_status_changes_of_ideas_and_features_are_events(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "idea.status_changed", "feature.status_changed")
    idea = Idea.objects.create(product=world.product, title="Dark mode")
    feature = Feature.objects.create(product=world.product, title="Themes")
    with django_capture_on_commit_callbacks(execute=True):
        changes.update(idea, {"status": "planned"}, user=world.pm)
        changes.update(feature, {"status": "in_progress"}, user=world.pm)
        changes.update(feature, {"title": "Themes and colours"}, user=world.pm)  # no event
    events = [
        (body["event"], body["data"]["from"], body["data"]["to"]) for body in receiver.bodies()
    ]
    assert events == [
        ("idea.status_changed", "new", "planned"),
        ("feature.status_changed", "idea", "in_progress"),
    ]


def test_a_released_release_and_new_feedback_are_events(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "release.released", "feedback.created")
    release = Release.objects.create(product=world.product, name="2.4")
    with django_capture_on_commit_callbacks(execute=True):
        changes.update(release, {"status": "released"}, user=world.pm)
        changes.create(Feedback, user=world.pm, product=world.product, text="Love it")
    assert [body["event"] for body in receiver.bodies()] == ["release.released", "feedback.created"]
    assert receiver.bodies()[0]["data"]["name"] == "2.4"
    assert receiver.bodies()[1]["data"]["text"] == "Love it"


def test_events_nobody_subscribed_to_send_nothing(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "feedback.created")
    Webhook.objects.create(
        workspace=world.other_workspace, url=receiver.url, events=["idea.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_rolled_back_change_sends_nothing(world: World, receiver: Receiver) -> None:
    from django.db import transaction

    hook(world, receiver, "idea.created")
    with pytest.raises(RuntimeError), transaction.atomic():
        changes.create(Idea, user=world.pm, product=world.product, title="Never")
        raise RuntimeError("changed my mind")
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


# --- failures are retried, logged, and finally given up on -------------------------------------


def test_a_refusing_receiver_is_retried_then_the_delivery_fails(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    hook(world, receiver, "idea.created")
    receiver.statuses = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.received) == webhooks.ATTEMPTS
    assert delivery.status == "failed"
    assert delivery.attempts == webhooks.ATTEMPTS
    assert delivery.response_code == 500
    assert delivery.response_body == "try later"
    assert "Gave up after 6 attempts: the receiver answered 500" in delivery.error


def test_an_unreachable_receiver_is_logged_as_such(
    world: World, django_capture_on_commit_callbacks: Committing
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Webhook.objects.create(
        workspace=world.workspace, url=f"http://127.0.0.1:{port}/", events=["idea.created"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.response_code is None
    assert "could not reach the receiver" in delivery.error


def test_with_the_database_queue_a_failed_delivery_waits_with_back_off(
    world: World,
    receiver: Receiver,
    database_tasks: None,
    django_capture_on_commit_callbacks: Committing,
) -> None:
    hook(world, receiver, "idea.created")
    receiver.statuses = [503, 503]
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    assert receiver.received == []  # queued, not sent in the request
    waits = []
    for _ in range(3):
        call_command("worker", "--batch", verbosity=0)
        delivery = WebhookDelivery.objects.get()
        if delivery.status == "delivered":
            break
        assert delivery.status == "retrying"
        ready = DBTaskResult.objects.get(status="READY")
        assert delivery.next_attempt is not None
        assert abs((ready.run_after - delivery.next_attempt).total_seconds()) < 1
        waits.append(round((ready.run_after - delivery.last_attempt).total_seconds()))
        DBTaskResult.objects.filter(pk=ready.pk).update(run_after=delivery.last_attempt)
    assert waits == [30, 60]
    assert delivery.status == "delivered"
    assert delivery.attempts == 3
    assert len(receiver.received) == 3
    assert {item["body"] for item in receiver.received} == {receiver.received[0]["body"]}
    assert all(verified(item) for item in receiver.received)


# --- the API -------------------------------------------------------------------------------------


def test_admin_subscribes_a_webhook_and_sees_the_secret_once(owner_api: Api, world: World) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks",
        {"url": "https://hooks.example.com/in", "events": ["idea.created", "feedback.created"]},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    listed = owner_api.get(f"/workspaces/{world.workspace.pk}/webhooks").json()
    assert listed["count"] == 1
    assert "secret" not in listed["items"][0]
    assert listed["items"][0]["secret_hint"] == created["secret"][:10] + "…"


@pytest.mark.parametrize("url", ["ftp://example.com/hook", "javascript:alert(1)", "example.com"])
def test_only_http_and_https_urls_are_accepted(owner_api: Api, world: World, url: str) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks", {"url": url, "events": ["idea.created"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


def test_a_url_with_a_password_is_refused(owner_api: Api, world: World) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks",
        {"url": "https://user:pw@example.com/hook", "events": ["idea.created"]},
    )
    assert response.json()["errors"][0]["field"] == "url"


def test_a_webhook_needs_an_event(owner_api: Api, world: World) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks",
        {"url": "https://example.com/hook", "events": []},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events"


def test_an_unknown_event_is_refused(owner_api: Api, world: World) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks",
        {"url": "https://example.com/hook", "events": ["idea.deleted"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("events")


def test_a_short_secret_is_refused(owner_api: Api, world: World) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/webhooks",
        {"url": "https://example.com/hook", "events": ["idea.created"], "secret": "short"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "secret"


def test_product_managers_and_viewers_cannot_manage_webhooks(
    pm_api: Api, viewer_api: Api, world: World, receiver: Receiver
) -> None:
    webhook = hook(world, receiver)
    for api in (pm_api, viewer_api):
        assert api.get(f"/workspaces/{world.workspace.pk}/webhooks").status_code == 403
        assert api.get(f"/webhooks/{webhook.pk}/deliveries").status_code == 403
        assert api.post(f"/webhooks/{webhook.pk}/test").status_code == 403
        assert api.delete(f"/webhooks/{webhook.pk}").status_code == 403
    assert receiver.received == []


def test_outsider_sees_no_webhooks(outsider_api: Api, world: World, receiver: Receiver) -> None:
    webhook = hook(world, receiver)
    assert outsider_api.get(f"/workspaces/{world.workspace.pk}/webhooks").status_code == 404
    assert outsider_api.get(f"/webhooks/{webhook.pk}/deliveries").status_code == 404
    assert outsider_api.post(f"/webhooks/{webhook.pk}/test").status_code == 404
    assert outsider_api.delete(f"/webhooks/{webhook.pk}").status_code == 404
    assert Webhook.objects.filter(pk=webhook.pk).exists()


def test_send_test_delivers_a_signed_test_event(
    owner_api: Api, world: World, receiver: Receiver
) -> None:
    webhook = hook(world, receiver)
    response = owner_api.post(f"/webhooks/{webhook.pk}/test")
    assert response.status_code == 201, response.content
    delivery = response.json()
    assert delivery["event"] == "webhook.test"
    assert delivery["status"] == "delivered"
    assert delivery["response_code"] == 200
    assert verified(receiver.received[0])
    log = owner_api.get(f"/webhooks/{webhook.pk}/deliveries").json()
    assert log["count"] == 1
    assert log["items"][0]["payload"]["event"] == "webhook.test"


def test_deleting_a_webhook_stops_its_deliveries(
    owner_api: Api, world: World, receiver: Receiver, django_capture_on_commit_callbacks: Committing
) -> None:
    webhook = hook(world, receiver)
    assert owner_api.delete(f"/webhooks/{webhook.pk}").status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        changes.create(Idea, user=world.pm, product=world.product, title="Dark mode")
    assert receiver.received == []


def test_delivery_log_queries_do_not_grow(owner_api: Api, world: World, receiver: Receiver) -> None:
    webhook = hook(world, receiver)
    counts = []
    for rows in (3, 30):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=webhook, event="idea.created", body='{"event": "idea.created"}')
            for _ in range(rows - webhook.deliveries.count())
        )
        owner_api.get(f"/webhooks/{webhook.pk}/deliveries")
        with CaptureQueriesContext(connection) as queries:
            log = owner_api.get(f"/webhooks/{webhook.pk}/deliveries?limit=50").json()
        assert log["count"] == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
