"""Tokens, workspaces and members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Query, Router, Status

from headway.accounts import services
from headway.accounts.access import access_of
from headway.accounts.models import ApiToken, Function, Membership, Role, Workspace
from headway.accounts.schemas import (
    MemberIn,
    MemberList,
    MemberOut,
    MemberPatch,
    TokenIn,
    TokenOut,
    WorkspaceIn,
    WorkspaceList,
    WorkspaceOut,
)
from headway.api.errors import ProblemError
from headway.api.pagination import Page, paginate
from headway.core import ratelimit

router = Router(tags=["accounts"])


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="Get an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    """Exchange a username and password for a bearer token (shown once; stored hashed)."""
    limit = settings.LOGIN_RATE_LIMIT
    for scope, ident in (
        ("login-user", payload.username.lower()),
        ("login-addr", ratelimit.client_address(request)),
    ):
        window = ratelimit.peek(scope, ident, limit, 300)
        if not window.allowed:
            raise ProblemError(
                429,
                "Too many failed sign-ins; wait and try again.",
                headers={"Retry-After": str(window.reset)},
            )
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        ratelimit.hit("login-user", payload.username.lower(), limit, 300)
        ratelimit.hit("login-addr", ratelimit.client_address(request), limit, 300)
        raise ProblemError(
            401, "Wrong username or password.", headers={"WWW-Authenticate": "Bearer"}
        )
    _, raw = ApiToken.issue(user, name="API")
    return Status(201, {"token": raw})


def _workspace_out(workspace: Workspace, role: str | None) -> dict[str, Any]:
    return {
        "id": workspace.pk,
        "name": workspace.name,
        "slug": workspace.slug,
        "role": role,
        "created": workspace.created,
    }


@router.get("/workspaces", response=WorkspaceList, summary="List workspaces")
def list_workspaces(request: HttpRequest, page: Query[Page]) -> dict[str, Any]:
    """The workspaces you are a member of, with your role in each."""
    access = access_of(request)
    result = paginate(Workspace.objects.filter(pk__in=list(access.roles)), page)
    result["items"] = [_workspace_out(w, access.role_in(w.pk)) for w in result["items"]]
    return result


@router.post("/workspaces", response={201: WorkspaceOut}, summary="Create a workspace")
def create_workspace(request: HttpRequest, payload: WorkspaceIn) -> Status[dict[str, Any]]:
    """Create a workspace; you become its owner."""
    workspace = services.create_workspace(request.user, payload.name)  # type: ignore[arg-type]
    return Status(201, _workspace_out(workspace, Role.OWNER))


def _member_out(m: Membership) -> dict[str, Any]:
    return {
        "username": m.user.username,
        "role": m.role,
        "function": m.function,
        "created": m.created,
    }


@router.get("/workspaces/{workspace_id}/members", response=MemberList, summary="List members")
def list_members(
    request: HttpRequest,
    workspace_id: int,
    page: Query[Page],
    function: Function | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """The members of a workspace and their roles (`function` filters by team, `q` by name)."""
    access_of(request).require(workspace_id, Role.VIEWER)
    queryset = services.members(workspace_id, function=function, q=q)
    result = paginate(queryset.order_by("user__username"), page)
    result["items"] = [_member_out(m) for m in result["items"]]
    return result


@router.post(
    "/workspaces/{workspace_id}/members", response={201: MemberOut}, summary="Add a member"
)
def add_member(
    request: HttpRequest, workspace_id: int, payload: MemberIn
) -> Status[dict[str, Any]]:
    """Add an existing user to the workspace with a role (admins and owners)."""
    access = access_of(request)
    access.require(workspace_id, Role.VIEWER)
    workspace = Workspace.objects.get(pk=workspace_id)
    try:
        membership = services.add_member(
            access, workspace, payload.username, payload.role, payload.function or ""
        )
    except services.AlreadyMember as error:
        raise ProblemError(409, str(error)) from None
    return Status(201, _member_out(membership))


@router.patch(
    "/workspaces/{workspace_id}/members/{username}",
    response=MemberOut,
    summary="Change a member",
)
def change_member(
    request: HttpRequest, workspace_id: int, username: str, payload: MemberPatch
) -> dict[str, Any]:
    """Change a member's role or function (admins; only owners change or make owners)."""
    access = access_of(request)
    access.require(workspace_id, Role.VIEWER)
    workspace = Workspace.objects.get(pk=workspace_id)
    try:
        membership = services.change_member(
            access, workspace, username, role=payload.role, function=payload.function
        )
    except services.LastOwner as error:
        raise ProblemError(409, str(error)) from None
    return _member_out(membership)
