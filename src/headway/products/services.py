"""Product operations shared by the API, the pages and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet, prefetch_related_objects

from headway.accounts.models import Membership, User, Workspace
from headway.core import changes
from headway.products.models import (
    Capability,
    CapabilityLevel,
    Competitor,
    Level,
    Persona,
    Product,
)

PM_FIELDS = ("business_pm", "technical_pm")


def resolve_member(workspace_id: int, field: str, username: str | None) -> User | None:
    """The workspace member called `username` (None for no one), or a ValidationError on `field`."""
    if username in (None, ""):
        return None
    member = (
        Membership.objects.filter(workspace_id=workspace_id, user__username=username)
        .select_related("user")
        .first()
    )
    if member is None:
        raise ValidationError({field: [f"{username!r} is not a member of this workspace."]})
    return member.user


def resolve_pms(workspace_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Turn PM usernames into users, refusing anyone who is not a member of the workspace."""
    resolved = dict(values)
    for field in PM_FIELDS:
        if field in values:
            resolved[field] = resolve_member(workspace_id, field, values[field])
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


# --- Personas and competitors ---------------------------------------------------------------------


def create_persona(user: User, product: Product, **values: Any) -> Persona:
    """Add a persona to `product` (the caller has checked the role)."""
    return changes.create(Persona, user=user, product=product, **values)


def create_competitor(user: User, product: Product, **values: Any) -> Competitor:
    """Add a competitor to `product`; it becomes a column of the capability matrix."""
    return changes.create(Competitor, user=user, product=product, **values)


# --- Capability matrix ----------------------------------------------------------------------------

#: The column of the matrix that stands for our own product (its cells have no competitor).
OWN_COLUMN = "us"


def _check_unique_name(product_id: int, name: str, exclude: int | None = None) -> None:
    taken = Capability.objects.filter(product_id=product_id, name__iexact=name.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": [f"This product already has a capability called {name!r}."]})


def place(siblings: QuerySet[Any], position: int | None) -> int:
    """The position for a new or moved row among `siblings`: last when `position` is None,
    else `position`, after moving the rows at or below it one place down (in the caller's
    transaction). Positions are ordering only, so the shift is not itself audited."""
    if position is None:
        last = siblings.aggregate(m=Max("position"))["m"]
        return 0 if last is None else last + 1
    siblings.filter(position__gte=position).update(position=F("position") + 1)
    return position


def create_capability(
    user: User, product: Product, name: str, position: int | None = None
) -> Capability:
    """Add a row to the capability matrix, at the end unless `position` says where."""
    with transaction.atomic():
        _check_unique_name(product.pk, name)
        position = place(Capability.objects.filter(product=product), position)
        return changes.create(
            Capability, user=user, product=product, name=name.strip(), position=position
        )


def update_capability(
    user: User, capability: Capability, values: dict[str, Any], expected_version: int | None
) -> Capability:
    """Rename or move a capability, refusing a name another row of the matrix has."""
    with transaction.atomic():
        if "name" in values:
            values = {**values, "name": values["name"].strip()}
            _check_unique_name(capability.product_id, values["name"], exclude=capability.pk)
        if values.get("position") is not None and values["position"] != capability.position:
            siblings = Capability.objects.filter(product_id=capability.product_id)
            values["position"] = place(siblings.exclude(pk=capability.pk), values["position"])
        return changes.update(capability, values, user=user, expected_version=expected_version)


def column_competitor(product_id: int, column: str) -> Competitor | None:
    """The competitor of a matrix column: `us` is our own product (None), else a competitor id.

    Raises Competitor.DoesNotExist when the column names no competitor of this product.
    """
    if column == OWN_COLUMN:
        return None
    if not column.isdigit():
        raise Competitor.DoesNotExist(f"No column {column!r}.")
    return Competitor.objects.get(product_id=product_id, pk=int(column))


def set_level(
    user: User, capability: Capability, competitor: Competitor | None, level: str
) -> CapabilityLevel:
    """Set one cell of the matrix (creating it on first use), recorded in the audit history."""
    if level not in Level.values:
        raise ValidationError({"level": [f"Use one of: {', '.join(Level.values)}."]})
    if competitor is not None and competitor.product_id != capability.product_id:
        raise ValidationError({"competitor": ["This competitor belongs to another product."]})
    with transaction.atomic():
        cell = (
            CapabilityLevel.objects.select_for_update()
            .filter(capability=capability, competitor=competitor)
            .first()
        )
        if cell is None:
            return changes.create(
                CapabilityLevel,
                user=user,
                capability=capability,
                competitor=competitor,
                level=level,
            )
        return changes.update(cell, {"level": level}, user=user)


@dataclass(frozen=True)
class Column:
    """A column of the capability matrix: our product (competitor None) or a competitor."""

    key: str
    name: str
    competitor: Competitor | None


@dataclass(frozen=True)
class Cell:
    capability: Capability
    column: Column
    level: str

    @property
    def label(self) -> str:
        return Level(self.level).label


@dataclass(frozen=True)
class Row:
    capability: Capability
    cells: list[Cell]


@dataclass(frozen=True)
class Matrix:
    columns: list[Column]
    rows: list[Row]


def columns(product: Product) -> list[Column]:
    """Our product first, then its competitors by name (one query)."""
    return [Column(OWN_COLUMN, product.name, None)] + [
        Column(str(c.pk), c.name, c) for c in Competitor.objects.filter(product=product)
    ]


def matrix(
    product: Product, capabilities: QuerySet[Capability] | list[Capability] | None = None
) -> Matrix:
    """The capability matrix: every capability × (us + competitors); a missing cell is `none`.

    Three queries whatever its size: the competitors, the capabilities and their levels (pass
    `capabilities` to show one page of rows).
    """
    cols = columns(product)
    if capabilities is None:
        capabilities = Capability.objects.filter(product=product)
    capabilities = list(capabilities)
    prefetch_related_objects(capabilities, "levels")
    rows = []
    for capability in capabilities:
        levels = {cell.competitor_id: cell.level for cell in capability.levels.all()}
        cells = [
            Cell(
                capability,
                column,
                levels.get(column.competitor.pk if column.competitor else None, Level.NONE),
            )
            for column in cols
        ]
        rows.append(Row(capability, cells))
    return Matrix(cols, rows)


def cell(capability: Capability, competitor: Competitor | None, product: Product) -> Cell:
    """One cell of the matrix, as shown after it changed."""
    found = (
        CapabilityLevel.objects.filter(capability=capability, competitor=competitor)
        .values_list("level", flat=True)
        .first()
    )
    column = (
        Column(OWN_COLUMN, product.name, None)
        if competitor is None
        else Column(str(competitor.pk), competitor.name, competitor)
    )
    return Cell(capability, column, found or Level.NONE)


#: Levels at which a competitor is strong, and at which we are weak, for the gap list.
STRONG = {Level.FULL, Level.LEADER}
WEAK = {Level.NONE, Level.PARTIAL}


@dataclass(frozen=True)
class Gap:
    capability: Capability
    ours: str
    ahead: list[tuple[str, str]]  # (competitor name, level label)

    @property
    def ours_label(self) -> str:
        return Level(self.ours).label


def competitor_gaps(product: Product) -> list[Gap]:
    """Capabilities where a competitor is full or leader and we are none or partial."""
    gaps = []
    for row in matrix(product).rows:
        ours = row.cells[0].level
        if ours not in WEAK:
            continue
        ahead = [(c.column.name, c.label) for c in row.cells[1:] if c.level in STRONG]
        if ahead:
            gaps.append(Gap(row.capability, ours, ahead))
    return gaps
