"""The members page: who is in a workspace, their role and function; admins change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from headway.accounts import services
from headway.accounts.access import access_of
from headway.accounts.models import Function, Role, Workspace


@login_required
def members(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """Members by name, optionally of one function."""
    access = access_of(request)
    access.require(workspace_id, Role.VIEWER)
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    function = request.GET.get("function", "")
    if function not in Function.values:
        function = ""
    context = {
        "workspace": workspace,
        "members": services.members(workspace_id, function=function or None),
        "function": function,
        "functions": Function.choices,
        "roles": Role.choices,
        "is_admin": access.can(workspace_id, Role.ADMIN),
        "is_owner": access.role_in(workspace_id) == Role.OWNER,
    }
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def change_member(request: HttpRequest, workspace_id: int, username: str) -> HttpResponse:
    """Save a member's role and function (admins; owners for owners)."""
    access = access_of(request)
    access.require(workspace_id, Role.VIEWER)
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    role = request.POST.get("role") or None
    function = request.POST.get("function")
    if role is not None and role not in Role.values:
        role = None
    if function is not None and function not in ("", *Function.values):
        function = None
    try:
        services.change_member(access, workspace, username, role=role, function=function)
    except (PermissionDenied, services.LastOwner) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Saved {username}.")
    return redirect("accounts:members", workspace_id=workspace_id)
