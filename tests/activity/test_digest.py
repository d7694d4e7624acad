"""Notification email: batched into one digest per interval, as each person chose."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from headway.activity import digest, notify, registry
from headway.activity.models import Notification, NotificationSettings
from headway.core import clock
from tests.conftest import World


def tell(world: World, items: dict[str, Any], user: Any, verb: str = "commented") -> None:
    """A notification, as the app writes them (the digest is scheduled on commit)."""
    notify.notify(
        [user.pk],
        verb=verb,
        actor=world.pm,
        obj=items["features"],
        kind=registry.KINDS["features"],
        workspace_id=world.workspace.pk,
        detail="Looks good",
    )


@pytest.fixture
def later() -> dt.datetime:
    return clock.now() + dt.timedelta(minutes=16)


def test_notifications_within_the_interval_go_in_one_email(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
        tell(world, items, world.viewer, "mentioned")
        tell(world, items, world.viewer, "replied")
    assert mail.outbox == []  # nothing before the interval ends
    assert digest.send_due_digests(clock.now()) == 0
    assert digest.send_due_digests(later) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.viewer.email]
    assert message.subject == "3 updates in Headway"
    assert "pavel mentioned you on feature 'Single sign-on'" in message.body
    assert "http://127.0.0.1:8000/features/" in message.body  # the item page, once it exists
    assert not Notification.objects.filter(emailed__isnull=True).exists()


def test_a_single_notification_is_its_own_subject(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer, "mentioned")
    digest.send_due_digests(later)
    assert mail.outbox[0].subject == "pavel mentioned you on feature 'Single sign-on'"


def test_the_next_notification_after_a_digest_starts_a_new_one(
    world: World,
    items: dict[str, Any],
    later: dt.datetime,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    digest.send_due_digests(later)
    monkeypatch.setattr(clock, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    assert digest.send_due_digests(later) == 0  # the new digest is due 15 minutes later
    assert digest.send_due_digests(later + dt.timedelta(minutes=15)) == 1
    assert len(mail.outbox) == 2


def test_immediately_sends_at_once(
    world: World, items: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    NotificationSettings.objects.create(user=world.viewer, digest_minutes=0)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_the_transaction_commits(
    world: World, items: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    NotificationSettings.objects.create(user=world.viewer, digest_minutes=0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tell(world, items, world.viewer)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_email_off_sends_nothing(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationSettings.objects.create(user=world.viewer, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    assert digest.send_due_digests(later) == 0
    assert mail.outbox == []


def test_what_was_read_in_the_app_is_not_emailed(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
        tell(world, items, world.viewer, "mentioned")
    Notification.objects.filter(verb="commented").update(read=clock.now())
    digest.send_due_digests(later)
    assert mail.outbox[0].subject.startswith("pavel mentioned you")


def test_all_read_means_no_email(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    Notification.objects.update(read=clock.now())
    assert digest.send_due_digests(later) == 0
    assert mail.outbox == []


def test_people_without_an_address_get_no_email(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    world.viewer.email = ""
    world.viewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    assert digest.send_due_digests(later) == 0
    assert not NotificationSettings.objects.filter(digest_due__isnull=False).exists()


def test_each_person_gets_their_own_digest(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
        tell(world, items, world.owner)
    assert digest.send_due_digests(later) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.viewer.email, world.owner.email])


def test_a_deferring_task_backend_gets_one_task_per_digest(
    world: World,
    items: dict[str, Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    before = clock.now()
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
        tell(world, items, world.viewer)
    results = default_task_backend.results  # type: ignore[attr-defined]
    assert len(results) == 1
    assert results[0].args == [world.viewer.pk]
    assert results[0].task.run_after >= before + dt.timedelta(minutes=15)


def test_the_task_sends_the_digest(
    world: World, items: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from headway.activity.tasks import send_digest_task

    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    NotificationSettings.objects.update(digest_due=clock.now() - dt.timedelta(seconds=1))
    send_digest_task.call(world.viewer.pk)
    assert len(mail.outbox) == 1


def test_the_command_sends_what_is_due(
    world: World, items: dict[str, Any], capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)
    NotificationSettings.objects.update(digest_due=clock.now() - dt.timedelta(seconds=1))
    call_command("digests")
    assert "Sent 1 digest." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_a_comment_through_the_api_ends_in_an_email(
    world: World, items: dict[str, Any], later: dt.datetime, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.api(world.contributor).post(
            f"/features/{items['features'].pk}/comments",
            {"body": f"@{world.viewer.username} please review"},
        )
    digest.send_due_digests(later)
    by_address = {m.to[0]: m.subject for m in mail.outbox}
    assert by_address[world.viewer.email] == "carla mentioned you on feature 'Single sign-on'"
    assert by_address[world.pm.email] == "carla commented on feature 'Single sign-on'"  # watches it


def test_a_mail_server_failure_keeps_the_digest_due(
    world: World,
    items: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
) -> None:
    NotificationSettings.objects.create(user=world.viewer, digest_minutes=0)

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        tell(world, items, world.viewer)  # does not raise: the comment is saved all the same
    assert Notification.objects.filter(emailed__isnull=True).count() == 1
    assert NotificationSettings.objects.get(user=world.viewer).digest_due is not None
    monkeypatch.undo()
    assert digest.send_due_digests(clock.now()) == 1
    assert len(mail.outbox) == 1
