"""Demo conversations, watchers, a week of history and unread notifications for `demo`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

from headway.activity import notify, registry, services
from headway.activity.models import AuditEvent, Comment, Notification
from headway.core import clock

if TYPE_CHECKING:
    from headway.web.demo import Demo

# (hours ago, author, kind, item title, body, reply to the comment at this index or None)
CONVERSATION: list[tuple[int, str, str, str, str, int | None]] = [
    (
        50,
        "maya",
        "features",
        "Single sign-on with SAML",
        "Globex and Umbrella both asked about SSO on renewal calls. "
        "@tom can we confirm which identity providers we test against before the 2.4 cut?",
        None,
    ),
    (
        47,
        "tom",
        "features",
        "Single sign-on with SAML",
        "Okta and Azure AD are covered. @priya is checking OneLogin this week.",
        0,
    ),
    (
        26,
        "sam",
        "ideas",
        "Row-level permissions per customer",
        "Umbrella Health raised this again: each regional manager must see only their region. "
        "@maya it is **blocking** a renewal — see the support ticket from Lena.",
        None,
    ),
    (
        20,
        "priya",
        "features",
        "Columnar cache for the query engine",
        "First benchmark: p95 of the big dashboard went from 4.1 s to 0.9 s.\n\n"
        "```\nrevenue_by_region  4100 ms -> 900 ms\n```\n@demo worth a line in the 2.4 notes?",
        None,
    ),
    (
        6,
        "maya",
        "features",
        "Ask questions in plain English",
        "@demo the ambiguous-question risk is the one to watch: can we review the clarifying "
        "question design on Thursday? Looping in @lena for the support angle.",
        None,
    ),
    (
        3,
        "lena",
        "features",
        "Ask questions in plain English",
        "Support would love a 'why this answer' link. Three tickets last month were about it.",
        4,
    ),
]

# (days ago, who, kind, title, field, old, new): moves that brought items to where they stand.
MOVES = [
    (9, "tom", "features", "Sample data sets for new workspaces", "status", "in_progress", "done"),
    (8, "maya", "features", "Guided first dashboard", "status", "in_progress", "done"),
    (6, "tom", "features", "Columnar cache for the query engine", "status", "planned",
     "in_progress"),
    (4, "maya", "ideas", "Dark mode for dashboards", "status", "under_review", "planned"),
    (2, "maya", "features", "Single sign-on with SAML", "status", "planned", "in_progress"),
    (1, "maya", "ideas", "Row-level permissions per customer", "status", "under_review",
     "planned"),
]  # fmt: skip


def _find(demo: Demo, kind_name: str, title: str) -> Any:
    kind = registry.KINDS[kind_name]
    return kind.model._default_manager.get(product=demo.product, title=title)


def _backdate(comment: Comment, at: dt.datetime) -> None:
    Comment.objects.filter(pk=comment.pk).update(created=at)
    AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_id=comment.pk
    ).update(at=at)
    Notification.objects.filter(
        object_id=comment.object_id, content_type_id=comment.content_type_id, created__gt=at
    ).update(created=at)


def populate(demo: Demo) -> None:
    now, users = clock.now(), demo.users
    # The demo user watches the work they care about most.
    for title in ("Ask questions in plain English", "Single sign-on with SAML"):
        notify.watch([users["demo"].pk, users["maya"].pk], _find(demo, "features", title))
    notify.watch([users["sam"].pk], _find(demo, "ideas", "Row-level permissions per customer"))

    # A week of moves, as the audit history would have recorded them.
    for days_ago, who, kind_name, title, field, old, new in MOVES:
        obj = _find(demo, kind_name, title)
        AuditEvent.objects.create(
            workspace=demo.workspace,
            product=demo.product,
            user=users[who],
            action="update",
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            object_repr=str(obj),
            changes={field: [old, new]},
            at=now - dt.timedelta(days=days_ago, hours=3),
        )

    # Conversations with mentions: they notify, through the same code the pages use.
    posted: list[Comment] = []
    for hours_ago, author, kind_name, title, body, reply_to in CONVERSATION:
        kind = registry.KINDS[kind_name]
        obj = _find(demo, kind_name, title)
        parent = posted[reply_to].pk if reply_to is not None else None
        written = services.post_comment(users[author], kind, obj, body, parent)
        _backdate(written.comment, now - dt.timedelta(hours=hours_ago))
        posted.append(written.comment)

    # The SSO move above, told to its watchers as it would have been.
    sso = _find(demo, "features", "Single sign-on with SAML")
    told = notify.notify(
        [users["demo"].pk],
        verb="status",
        actor=users["maya"],
        obj=sso,
        kind=registry.KINDS["features"],
        workspace_id=demo.workspace.pk,
        detail="Planned → In progress",
    )
    Notification.objects.filter(pk__in=[n.pk for n in told]).update(
        created=now - dt.timedelta(days=2, hours=3)
    )
    # Older notifications are read; the last day's are waiting for the demo user.
    Notification.objects.filter(user=users["demo"], created__lt=now - dt.timedelta(days=1)).update(
        read=now
    )
