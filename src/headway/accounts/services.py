"""Workspace and membership operations, shared by the API, the pages and the CLI."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

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


def outranks(access: Access, workspace_id: int, role: str) -> bool:
    """True when the acting user's role is at least `role` in the workspace."""
    current = access.role_in(workspace_id)
    return current is not None and ROLE_RANK[Role(current)] >= ROLE_RANK[Role(role)]
