"""The one place that decides what a user may see and change.

Every lookup of workspace data goes through `Access`: a queryset is narrowed to the user's
workspaces by construction, so another workspace's object is a 404 without anyone remembering a
filter, and a role below the one an action needs is a 403.

Scoped models name the path from themselves to their workspace id in `WORKSPACE_PATH`
(for example ``"product__workspace_id"``); `accounts` itself imports no domain app.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import Http404, HttpRequest

from headway.accounts.models import ROLE_RANK, Membership, Role

M = TypeVar("M", bound=models.Model)


def workspace_path(model: type[models.Model]) -> str:
    """The lookup path from `model` to its workspace id."""
    path = getattr(model, "WORKSPACE_PATH", None)
    if path is None:
        raise TypeError(f"{model.__name__} has no WORKSPACE_PATH; it cannot be scoped.")
    return str(path)


class Access:
    """A user's memberships, loaded once per request, and the checks built on them."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def roles(self) -> dict[int, str]:
        """workspace id → role, for every workspace the user belongs to."""
        if not getattr(self.user, "is_authenticated", False):
            return {}
        return dict(
            Membership.objects.filter(user_id=self.user.pk).values_list("workspace_id", "role")
        )

    def role_in(self, workspace_id: int) -> str | None:
        return self.roles.get(workspace_id)

    def can(self, workspace_id: int, minimum: str) -> bool:
        role = self.roles.get(workspace_id)
        return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]

    def require(self, workspace_id: int, minimum: str) -> None:
        """404 when the user is not a member, 403 when the role is too low."""
        role = self.roles.get(workspace_id)
        if role is None:
            raise Http404("Not found.")
        if ROLE_RANK[Role(role)] < ROLE_RANK[Role(minimum)]:
            raise PermissionDenied(
                f"This needs the {Role(minimum).label.lower()} role or higher; "
                f"you are {Role(role).label.lower()}."
            )

    def visible(self, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        """`queryset` narrowed to the user's workspaces."""
        path = workspace_path(queryset.model)
        return queryset.filter(**{f"{path}__in": list(self.roles)})

    def get(self, queryset: models.QuerySet[M], minimum: str = Role.VIEWER, **lookup: Any) -> M:
        """The one object matching `lookup` in the user's workspaces, checked for `minimum` role."""
        path = workspace_path(queryset.model)
        annotated = self.visible(queryset).annotate(_workspace_id=F(path))
        try:
            obj = annotated.get(**lookup)
        except (queryset.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
            raise Http404("Not found.") from None
        self.require(obj._workspace_id, minimum)  # type: ignore[attr-defined]
        return obj


def workspace_id_of(instance: models.Model) -> int | None:
    """Follow `WORKSPACE_PATH` on an instance (e.g. story → feature → product → workspace_id)."""
    value: Any = instance
    for part in workspace_path(type(instance)).split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return int(value)


def access_of(request: HttpRequest) -> Access:
    """The request's `Access` (set by `AccessMiddleware`)."""
    return request.access  # type: ignore[attr-defined, no-any-return]
