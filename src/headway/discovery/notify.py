"""Tell portal followers when an idea's status changes (by email, as a background task).

The email is queued after the transaction commits, so a rolled-back change never announces
itself, and sending (slow, fallible) never holds up the request that changed the status.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse

from headway.discovery.models import Follower, Idea, IdeaStatus


def status_changed(idea: Idea, old_status: str, followers: list[int] | None = None) -> None:
    """Queue the emails for a status change of a public idea to its followers (or to the given
    follower ids: a merge moves them to another idea before the email goes out)."""
    if not idea.public or idea.status == old_status:
        return
    if followers is None:
        followers = list(Follower.objects.filter(idea=idea).values_list("pk", flat=True))
    if not followers:
        return
    idea_id, new_status, ids = idea.pk, idea.status, followers
    transaction.on_commit(lambda: email_followers.enqueue(idea_id, new_status, ids))


@task()
def email_followers(idea_id: int, new_status: str, follower_ids: list[int]) -> int:
    """Email each of the followers about the idea's new status; returns how many were sent."""
    idea = Idea.objects.select_related("product", "merged_into").filter(pk=idea_id).first()
    if idea is None:
        return 0
    label = IdeaStatus(new_status).label.lower()
    slug = idea.product.slug
    sent = 0
    for follower in Follower.objects.filter(pk__in=follower_ids).order_by("id"):
        lines = [
            f"Hello{' ' + follower.name if follower.name else ''},",
            "",
            f"The idea “{idea.title}” on the {idea.product.name} ideas portal is now {label}.",
        ]
        shown = idea
        if new_status == IdeaStatus.DUPLICATE and idea.merged_into is not None:
            shown = idea.merged_into
            lines.append(f"It was merged into “{shown.title}”, which you now follow instead.")
        if follower.base_url:
            page = reverse("discovery:portal_idea", args=[slug, shown.pk])
            stop = reverse("discovery:portal_unfollow", args=[slug, follower.token])
            lines += ["", f"See it: {follower.base_url}{page}", f"Stop: {follower.base_url}{stop}"]
        EmailMessage(
            subject=f"“{idea.title}” is now {label}",
            body="\n".join(lines) + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[follower.email],
        ).send()
        sent += 1
    return sent
