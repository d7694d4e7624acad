"""Notification email, batched: what arrives within a user's digest interval goes in one email.

The first notification of a quiet period schedules the digest at now + interval (stored on the
user's `NotificationSettings.digest_due`); later ones find it scheduled and just wait for it.
With a task backend that can defer (the database backend, production), a task is enqueued to
run at that time; with the immediate backend (development, tests) `headway digests` — run it from
cron — sends every digest that is due. "Immediately" sends at once either way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import default_task_backend

from headway.accounts.models import User
from headway.activity import registry, sentences
from headway.activity.models import DigestInterval, Notification, NotificationSettings
from headway.core import clock

logger = logging.getLogger("headway.activity")


def settings_of(user: User) -> NotificationSettings:
    """The user's notification settings (the defaults until they change them)."""
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def schedule(user_ids: Iterable[int], now: dt.datetime | None = None) -> None:
    """Make sure a digest is on its way to each user who wants email and has an address."""
    now = now or clock.now()
    ids = list(dict.fromkeys(user_ids))
    wanting = set(
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    if not wanting:
        return
    have = set(
        NotificationSettings.objects.filter(user_id__in=wanting).values_list("user_id", flat=True)
    )
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user_id=uid) for uid in wanting - have], ignore_conflicts=True
    )
    waiting = NotificationSettings.objects.filter(
        user_id__in=wanting, email=True, digest_due__isnull=True
    ).values_list("pk", "user_id", "digest_minutes")
    for pk, user_id, minutes in waiting:
        due = now + dt.timedelta(minutes=minutes)
        # Conditional, so two writers racing to schedule the same digest schedule it once.
        claimed = NotificationSettings.objects.filter(pk=pk, digest_due__isnull=True).update(
            digest_due=due
        )
        if not claimed:
            continue
        if minutes == DigestInterval.IMMEDIATELY:
            send_digest(user_id, now)
        elif default_task_backend.supports_defer:
            from headway.activity.tasks import send_digest_task

            send_digest_task.using(run_after=due).enqueue(user_id)


def send_due_digests(now: dt.datetime | None = None) -> int:
    """Send every digest whose time has come; the number of emails sent."""
    now = now or clock.now()
    due = NotificationSettings.objects.filter(digest_due__lte=now).values_list("user_id", flat=True)
    return sum(1 for user_id in list(due) if send_digest(user_id, now))


def send_digest(user_id: int, now: dt.datetime | None = None) -> int:
    """Email the user what they have not read nor been emailed yet; the number of items sent."""
    now = now or clock.now()
    with transaction.atomic():
        prefs = (
            NotificationSettings.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id)
            .first()
        )
        if prefs is None:
            return 0
        if prefs.digest_due is not None and prefs.digest_due > now:
            return 0  # a later notification moved nothing; this run is early (or a duplicate)
        prefs.digest_due = None
        prefs.save(update_fields=["digest_due"])
        pending = list(
            Notification.objects.filter(user_id=user_id, emailed__isnull=True, created__lte=now)
            .filter(workspace__memberships__user_id=user_id)
            .select_related("actor", "content_type")
            .order_by("created", "id")
        )
        if not pending:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed=now)
        unread = [n for n in pending if n.read is None]
        user = prefs.user
        if not unread or not prefs.email or not user.email or not user.is_active:
            return 0
        message = compose(user, unread)
        message.send()
    return len(unread)


def describe(notification: Notification) -> str:
    """The notification's sentence ("Maya mentioned you on feature 'SSO'")."""
    kind = None
    if notification.content_type is not None:
        model = notification.content_type.model_class()
        kind = registry.kind_of(model) if model is not None else None
    actor = notification.actor.username if notification.actor else None
    return sentences.notification(
        notification.verb, actor, kind.label if kind else "", notification.target
    )


def compose(user: User, items: list[Notification]) -> EmailMessage:
    """One email for the user's unread notifications: a subject that says it, a plain list."""
    base = settings.BASE_URL.rstrip("/")
    lines = []
    for item in items:
        lines.append(f"- {describe(item)}")
        if item.detail:
            lines.append(f"  {item.detail}")
        if item.url:
            lines.append(f"  {base}{item.url}")
    subject = describe(items[0]) if len(items) == 1 else f"{len(items)} updates in Headway"
    body = "\n".join(
        [
            f"Hello {user.first_name or user.username},",
            "",
            *lines,
            "",
            f"All your notifications: {base}/notifications/",
            f"Choose how often these come, or turn them off: {base}/notifications/settings/",
        ]
    )
    return EmailMessage(subject=subject[:200], body=body, to=[user.email])
