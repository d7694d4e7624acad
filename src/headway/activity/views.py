"""Pages: an item's comments and history, notifications, the product feed, the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role, User, Workspace
from headway.accounts.services import members as workspace_members
from headway.activity import audit, digest, feed, notify, registry, sentences, services
from headway.activity.forms import AuditFilterForm, SettingsForm
from headway.activity.models import Comment
from headway.activity.registry import Kind
from headway.products.models import Product

PAGE = 50
FEED_PAGE = 100


def _kind(name: str) -> Kind:
    kind = registry.get(name)
    if kind is None:
        raise Http404("No such kind of item.")
    return kind


def _item(request: HttpRequest, kind: Kind, object_id: int, role: str = Role.VIEWER) -> Any:
    return access_of(request).get(kind.model._default_manager.all(), role, pk=object_id)


def _offset(request: HttpRequest) -> int:
    try:
        return max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        return 0


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Back to the page the form was on (`next`), when that is one of ours."""
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    return redirect(target or fallback)


def _item_page(request: HttpRequest, kind: Kind, obj: Any, tab: str) -> dict[str, Any]:
    own_page = registry.item_url(kind, obj.pk)
    product_id = audit.product_id_of(obj)
    return {
        "object": obj,
        "kind": kind,
        "tab": tab,
        "item_page": "" if own_page.startswith("/comments/") else own_page,
        "product": Product.objects.filter(pk=product_id).first() if product_id else None,
    }


# --- Comments -------------------------------------------------------------------------------------


@login_required
def comments(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """An item's comments (GET), or a new comment on it (POST)."""
    item_kind = _kind(kind)
    if not item_kind.commentable:
        raise Http404("This kind of item takes no comments.")
    if request.method == "POST":
        return _post_comment(request, item_kind, object_id)
    obj = _item(request, item_kind, object_id)
    return render(request, "activity/item.html", _item_page(request, item_kind, obj, "comments"))


def _post_comment(request: HttpRequest, kind: Kind, object_id: int) -> HttpResponse:
    obj = _item(request, kind, object_id, Role.CONTRIBUTOR)
    body = request.POST.get("body", "")
    parent = request.POST.get("parent") or None
    context: dict[str, Any] = {"object": obj}
    try:
        written = services.post_comment(
            request.user,  # type: ignore[arg-type]
            kind,
            obj,
            body,
            int(parent) if parent and parent.isdigit() else None,
        )
    except ValidationError as error:
        problem = "; ".join(m for ms in error.message_dict.values() for m in ms)
        if request.headers.get("HX-Request"):
            context.update(comment_error=problem, draft=body)
            return render(request, "activity/_comments.html", context)
        context.update(_item_page(request, kind, obj, "comments"))
        context.update(comment_error=problem, draft=body)
        return render(request, "activity/item.html", context, status=422)
    notice = unknown_notice(written.unknown_mentions)
    if request.headers.get("HX-Request"):
        context.update(comment_notice=notice, posted=written.comment.pk)
        return render(request, "activity/_comments.html", context)
    if notice:
        messages.warning(request, notice)
    return _back(request, reverse("activity:comments", args=[kind.name, obj.pk]))


def unknown_notice(names: list[str]) -> str:
    """What the page says about `@names` that matched no member."""
    if not names:
        return ""
    listed = sentences.listing([f"@{name}" for name in names])
    verb = "is not a member" if len(names) == 1 else "are not members"
    return f"{listed} {verb} of this workspace, so nobody was notified about that mention."


def _comment(request: HttpRequest, pk: int) -> tuple[Comment, Kind, Any]:
    comment = access_of(request).get(
        Comment.objects.select_related("author", "parent"), Role.CONTRIBUTOR, pk=pk
    )
    model = comment.content_type.model_class()
    kind = registry.kind_of(model) if model else None
    obj = comment.target
    if kind is None or obj is None:
        raise Http404("The item this comment was on no longer exists.")
    return comment, kind, obj


@login_required
@require_POST
def edit_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Save an edited comment (its author, within the edit window)."""
    comment, kind, obj = _comment(request, pk)
    fallback = reverse("activity:comments", args=[kind.name, obj.pk])
    try:
        written = services.edit_comment(
            request.user,  # type: ignore[arg-type]
            kind,
            comment,
            request.POST.get("body", ""),
        )
    except services.Conflict as error:
        messages.error(request, str(error))
        return _panel_or_back(request, obj, fallback, error=str(error))
    except ValidationError as error:
        problem = "; ".join(m for ms in error.message_dict.values() for m in ms)
        messages.error(request, problem)
        return _panel_or_back(request, obj, fallback, error=problem)
    notice = unknown_notice(written.unknown_mentions)
    if notice:
        messages.warning(request, notice)
    return _panel_or_back(request, obj, fallback, notice=notice)


@login_required
@require_POST
def delete_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a comment (its author or an admin)."""
    comment, kind, obj = _comment(request, pk)
    services.delete_comment(access_of(request), request.user, comment)  # type: ignore[arg-type]
    return _panel_or_back(request, obj, reverse("activity:comments", args=[kind.name, obj.pk]))


def _panel_or_back(
    request: HttpRequest, obj: Any, fallback: str, error: str = "", notice: str = ""
) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # The page's messages were meant for a full page; htmx shows the panel's own line.
        list(messages.get_messages(request))
        context = {"object": obj, "comment_error": error, "comment_notice": notice}
        return render(request, "activity/_comments.html", context)
    return _back(request, fallback)


# --- Watching -------------------------------------------------------------------------------------


@login_required
@require_POST
def watch(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Watch or stop watching an item (`action` = watch | unwatch)."""
    item_kind = _kind(kind)
    obj = _item(request, item_kind, object_id)
    if request.POST.get("action") == "unwatch":
        notify.unwatch(request.user.pk, obj)  # type: ignore[arg-type]
    else:
        notify.watch([request.user.pk], obj)
    if request.headers.get("HX-Request"):
        return render(request, "activity/_watch.html", {"object": obj})
    return _back(request, reverse("activity:comments", args=[item_kind.name, obj.pk]))


# --- History --------------------------------------------------------------------------------------


@login_required
@require_GET
def history(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """An item's audit history, newest first, page by page."""
    item_kind = _kind(kind)
    obj = _item(request, item_kind, object_id)
    offset = _offset(request)
    events = list(audit.history(obj)[offset : offset + PAGE + 1])
    context = _item_page(request, item_kind, obj, "history")
    context.update(
        history_events=events[:PAGE],
        older=offset + PAGE if len(events) > PAGE else None,
        newer=max(0, offset - PAGE) if offset else None,
        full_history=True,
    )
    return render(request, "activity/item.html", context)


# --- Mentions -------------------------------------------------------------------------------------


@login_required
@require_GET
def members_autocomplete(request: HttpRequest) -> HttpResponse:
    """Members whose name starts with `q`, as buttons that complete an @mention (a fragment)."""
    query = request.GET.get("q", "").replace("\x00", "").strip().lstrip("@")
    try:
        workspace_id = int(request.GET.get("workspace", ""))
    except ValueError:
        raise Http404("Name a workspace.") from None
    access_of(request).require(workspace_id, Role.VIEWER)
    found: list[Any] = []
    if query:
        found = list(
            workspace_members(workspace_id)
            .filter(
                models.Q(user__username__istartswith=query)
                | models.Q(user__first_name__istartswith=query),
                user__is_active=True,
            )
            .order_by("user__username")[:8]
        )
    return render(
        request,
        "activity/_mention_options.html",
        {"members": found, "query": query, "target": request.GET.get("for", "")},
    )


# --- Notifications --------------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications; POST marks some (`ids`) or all (`all`) read."""
    access = access_of(request)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        services.mark_read(access, ids, every=bool(request.POST.get("all")))
        if not request.headers.get("HX-Request"):
            return _back(request, reverse("activity:notifications"))
    unread_only = request.GET.get("unread") == "1"
    offset = _offset(request)
    queryset = services.inbox(access).select_related("actor", "content_type")
    if unread_only:
        queryset = queryset.filter(read__isnull=True)
    rows = list(queryset[offset : offset + PAGE + 1])
    items = [(n, digest.describe(n)) for n in rows[:PAGE]]
    context = {
        "items": items,
        "unread_only": unread_only,
        "unread_count": services.inbox(access).filter(read__isnull=True).count(),
        "older": offset + PAGE if len(rows) > PAGE else None,
        "newer": max(0, offset - PAGE) if offset else None,
    }
    template = "activity/notifications.html"
    if request.headers.get("HX-Request"):
        template += "#inbox"
    return render(request, template, context)


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to what it is about."""
    notification = get_object_or_404(services.inbox(access_of(request)), pk=pk)
    services.mark_read(access_of(request), [notification.pk])
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("activity:notifications")
    return redirect(target or reverse("activity:notifications"))


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Email on or off, and how long notifications wait to be batched into a digest."""
    prefs = digest.settings_of(request.user)  # type: ignore[arg-type]
    form = SettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Notification settings saved.")
        return redirect("activity:notification-settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "activity/settings.html", {"form": form}, status=status)


# --- The product's activity feed ------------------------------------------------------------------


@login_required
@require_GET
def product_activity(request: HttpRequest, product_id: int) -> HttpResponse:
    """What changed in the product recently, in sentences, grouped by day."""
    access = access_of(request)
    product = access.get(Product.objects.select_related("workspace"), pk=product_id)
    offset = _offset(request)
    events = list(feed.product_events(product.pk)[offset : offset + FEED_PAGE + 1])
    days = sentences.by_day(feed.feed_event(event) for event in events[:FEED_PAGE])
    context = {
        "product": product,
        "days": days,
        "older": offset + FEED_PAGE if len(events) > FEED_PAGE else None,
        "newer": max(0, offset - FEED_PAGE) if offset else None,
        "is_admin": access.can(product.workspace_id, Role.ADMIN),
    }
    return render(request, "activity/product_activity.html", context)


# --- The workspace audit log ----------------------------------------------------------------------


def audit_row(event: Any) -> dict[str, Any]:
    change = feed.change_of(event)
    return {
        "event": event,
        "label": change.label,
        "sentence": sentences.describe(change),
        "differences": sentences.differences(change, limit=60),
    }


@login_required
@require_GET
def workspace_audit(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Every recorded change in the workspace, for admins, filtered by user, type and dates."""
    access = access_of(request)
    access.require(workspace_id, Role.ADMIN)
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    users = User.objects.filter(memberships__workspace_id=workspace_id).order_by("username")
    form = AuditFilterForm(request.GET, users=users)
    offset = _offset(request)
    rows: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        events = audit.workspace_log(
            workspace_id,
            username=data.get("user") or None,
            model=data.get("type") or None,
            since=data.get("since"),
            until=data.get("until"),
        )
        rows = list(events[offset : offset + PAGE + 1])
    query = request.GET.copy()
    query.pop("offset", None)
    context = {
        "workspace": workspace,
        "form": form,
        "events": [audit_row(event) for event in rows[:PAGE]],
        "older": offset + PAGE if len(rows) > PAGE else None,
        "newer": max(0, offset - PAGE) if offset else None,
        "query": query.urlencode(),
    }
    return render(request, "activity/audit.html", context, status=200 if form.is_valid() else 422)
