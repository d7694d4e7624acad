"""Workspace and membership operations, shared by the API, the pages and the CLI."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from headway.accounts.access import Access
from headway.accounts.models import ROLE_RANK, Membership, Role, User, Workspace


def create_workspace(user: User, name: str) -> Workspace:
    """A new workspace owned by `user`."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the workspace a name."]})
    with transaction.atomic():
        workspace = Workspace.objects.create(name=name)
        Membership.objects.create(user=user, workspace=workspace, role=Role.OWNER)
    return workspace


class AlreadyMember(Exception):
    pass


def add_member(
    access: Access, workspace: Workspace, username: str, role: str, function: str = ""
) -> Membership:
    """Add `username` to `workspace`; admins add members, and only owners make owners."""
    access.require(workspace.pk, Role.ADMIN)
    if role == Role.OWNER and access.role_in(workspace.pk) != Role.OWNER:
        raise PermissionDenied("Only an owner can make someone an owner.")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": [f"No user is called {username!r}."]})
    with transaction.atomic():
        if Membership.objects.filter(user=user, workspace=workspace).exists():
            raise AlreadyMember(f"{username} is already a member of {workspace.name}.")
        return Membership.objects.create(
            user=user, workspace=workspace, role=role, function=function
        )


def members(
    workspace_id: int, *, function: str | None = None, q: str | None = None
) -> QuerySet[Membership]:
    """A workspace's memberships with their users, by username; optionally one function's."""
    queryset = Membership.objects.filter(workspace_id=workspace_id).select_related("user")
    if function:
        queryset = queryset.filter(function=function)
    q = (q or "").replace("\x00", "")
    if q:
        queryset = queryset.filter(
            Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
        )
    return queryset.order_by("user__username")


class LastOwner(Exception):
    """Refused: the workspace would be left without an owner (HTTP 409)."""


def change_member(
    access: Access,
    workspace: Workspace,
    username: str,
    *,
    role: str | None = None,
    function: str | None = None,
) -> Membership:
    """Change a member's role or function (admins); only owners touch owners.

    Owners may not demote the last owner: a workspace always keeps one.
    """
    access.require(workspace.pk, Role.ADMIN)
    with transaction.atomic():
        # A NUL cannot be in a username, and PostgreSQL refuses to compare with one.
        membership = (
            None
            if "\x00" in username
            else Membership.objects.select_for_update()
            .select_related("user")
            .filter(workspace=workspace, user__username=username)
            .first()
        )
        if membership is None:
            raise ValidationError(
                {"username": [f"{username!r} is not a member of this workspace."]}
            )
        acting_owner = access.role_in(workspace.pk) == Role.OWNER
        if (membership.role == Role.OWNER or role == Role.OWNER) and not acting_owner:
            raise PermissionDenied("Only an owner can change an owner or make someone an owner.")
        if membership.role == Role.OWNER and role not in (None, Role.OWNER):
            owners = Membership.objects.filter(workspace=workspace, role=Role.OWNER).count()
            if owners <= 1:
                raise LastOwner(
                    "This is the workspace's only owner; make someone else owner first."
                )
        fields = []
        if role is not None and role != membership.role:
            membership.role = role
            fields.append("role")
        if function is not None and function != membership.function:
            membership.function = function
            fields.append("function")
        if fields:
            membership.save(update_fields=fields)
    return membership


def outranks(access: Access, workspace_id: int, role: str) -> bool:
    """True when the acting user's role is at least `role` in the workspace."""
    current = access.role_in(workspace_id)
    return current is not None and ROLE_RANK[Role(current)] >= ROLE_RANK[Role(role)]
