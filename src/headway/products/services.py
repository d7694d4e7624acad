"""Product operations shared by the API, the pages and the CLI."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from headway.accounts.models import Membership, User, Workspace
from headway.core import changes
from headway.products.models import Product

PM_FIELDS = ("business_pm", "technical_pm")


def resolve_pms(workspace_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Turn PM usernames into users, refusing anyone who is not a member of the workspace."""
    resolved = dict(values)
    for field in PM_FIELDS:
        if field not in values:
            continue
        username = values[field]
        if username in (None, ""):
            resolved[field] = None
            continue
        member = (
            Membership.objects.filter(workspace_id=workspace_id, user__username=username)
            .select_related("user")
            .first()
        )
        if member is None:
            raise ValidationError({field: [f"{username!r} is not a member of this workspace."]})
        resolved[field] = member.user
    return resolved


def create_product(user: User, workspace: Workspace, **values: Any) -> Product:
    """Create a product in `workspace` (the caller has checked the role)."""
    values = resolve_pms(workspace.pk, values)
    return changes.create(Product, user=user, workspace=workspace, **values)


def update_product(
    user: User, product: Product, values: dict[str, Any], expected_version: int | None
) -> Product:
    values = resolve_pms(product.workspace_id, values)
    return changes.update(product, values, user=user, expected_version=expected_version)
