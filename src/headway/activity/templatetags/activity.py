"""Template tags behind the includes other pages use: `activity/_comments.html`,
`activity/_history.html` and `activity/_watch.html`, each given `object`.

    {% include "activity/_comments.html" with object=feature %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404

from headway.accounts.access import access_of, workspace_id_of
from headway.accounts.models import Role
from headway.activity import audit, feed, notify, registry, sentences, services
from headway.activity.registry import Kind
from headway.core import clock

register = template.Library()


def _kind(obj: Any) -> Kind:
    kind = registry.kind_of(obj)
    if kind is None:
        raise Http404(f"{type(obj).__name__} is not a kind of item Headway tracks.")
    return kind


@register.simple_tag(takes_context=True)
def comment_panel(context: template.Context, obj: Any) -> dict[str, Any]:
    """The thread of `obj`, with what the signed-in user may do to each comment."""
    request = context["request"]
    kind = _kind(obj)
    access = access_of(request)
    workspace_id = workspace_id_of(obj)
    user, now = request.user, clock.now()
    is_admin = workspace_id is not None and access.can(workspace_id, Role.ADMIN)
    can_write = workspace_id is not None and access.can(workspace_id, Role.CONTRIBUTOR)
    threads = services.thread(obj)
    for comment, replies in threads:
        for one in (comment, *replies):
            one.editable = can_write and services.can_edit(user, one, now)  # type: ignore[attr-defined]
            one.deletable = one.deleted is None and (  # type: ignore[attr-defined]
                is_admin or (can_write and one.author_id == user.pk)
            )
    return {
        "kind": kind,
        "threads": threads,
        "count": sum(1 + len(replies) for _, replies in threads),
        "can_comment": can_write,
        "workspace_id": workspace_id,
        "dom_id": f"comments-{kind.name}-{obj.pk}",
        "edit_minutes": int(services.EDIT_WINDOW.total_seconds() // 60),
        "max_body": services.MAX_BODY,
    }


@register.simple_tag(takes_context=True)
def watch_panel(context: template.Context, obj: Any) -> dict[str, Any]:
    """Whether the signed-in user watches `obj`, and how many do."""
    kind = _kind(obj)
    state = notify.watch_state(context["request"].user.pk, obj)
    return {**state, "kind": kind, "dom_id": f"watch-{kind.name}-{obj.pk}"}


@register.simple_tag
def history_panel(obj: Any, limit: int = 20) -> dict[str, Any]:
    """The latest `limit` audit events of `obj`, each as a sentence and its field changes."""
    kind = _kind(obj)
    events = list(audit.history(obj).select_related("content_type")[: limit + 1])
    return {"kind": kind, "rows": rows_of(events[:limit]), "more": len(events) > limit}


@register.simple_tag
def history_page(obj: Any, events: list[Any]) -> dict[str, Any]:
    """Rows for events the view already fetched (the standalone history page)."""
    return {"kind": _kind(obj), "rows": rows_of(events), "more": False}


def rows_of(events: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        change = feed.change_of(event)
        rows.append(
            {
                "event": event,
                "sentence": sentences.describe(change),
                "differences": sentences.differences(change) if event.action == "update" else [],
            }
        )
    return rows
