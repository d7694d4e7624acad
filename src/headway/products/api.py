"""Products: name, vision, north-star metric, portal switch and the two PMs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role, Workspace
from headway.api.errors import ProblemError
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.api.patching import patch_values
from headway.core import changes
from headway.products import services
from headway.products.models import Capability, Competitor, Persona, Product
from headway.products.schemas import (
    CapabilityIn,
    CapabilityOut,
    CapabilityPatch,
    CellOut,
    CompetitorIn,
    CompetitorList,
    CompetitorOut,
    CompetitorPatch,
    LevelIn,
    MatrixOut,
    PersonaIn,
    PersonaList,
    PersonaOut,
    PersonaPatch,
    ProductIn,
    ProductList,
    ProductOut,
    ProductPatch,
)

router = Router(tags=["products"])


def products(request: HttpRequest) -> Any:
    return Product.objects.select_related("business_pm", "technical_pm")


def product_out(product: Product) -> dict[str, Any]:
    return {
        "id": product.pk,
        "workspace": product.workspace_id,
        "name": product.name,
        "slug": product.slug,
        "vision": product.vision,
        "north_star_metric": product.north_star_metric,
        "portal_enabled": product.portal_enabled,
        "business_pm": product.business_pm.username if product.business_pm else None,
        "technical_pm": product.technical_pm.username if product.technical_pm else None,
        "version": product.version,
        "created": product.created,
        "updated": product.updated,
    }


@router.get("/products", response=ProductList, summary="List products")
def list_products(
    request: HttpRequest, page: Query[Page], workspace: int | None = None
) -> dict[str, Any]:
    """The products of your workspaces (optionally of one workspace)."""
    queryset = access_of(request).visible(products(request))
    if workspace is not None:
        queryset = queryset.filter(workspace_id=workspace)
    result = paginate(queryset, page)
    result["items"] = [product_out(p) for p in result["items"]]
    return result


@router.post("/products", response={201: ProductOut}, summary="Create a product")
def create_product(
    request: HttpRequest, payload: ProductIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Create a product in a workspace where you are a product manager or above."""
    access = access_of(request)
    access.require(payload.workspace, Role.PRODUCT_MANAGER)
    workspace = Workspace.objects.get(pk=payload.workspace)
    values = payload.dict(exclude={"workspace"})
    product = services.create_product(request.user, workspace, **values)  # type: ignore[arg-type]
    with_etag(response, product)
    return Status(201, product_out(product))


@router.get("/products/{product_id}", response=ProductOut, summary="Get a product")
def get_product(request: HttpRequest, product_id: int, response: HttpResponse) -> dict[str, Any]:
    """One product, with its ETag."""
    product = access_of(request).get(products(request), pk=product_id)
    with_etag(response, product)
    return product_out(product)


@router.patch("/products/{product_id}", response=ProductOut, summary="Change a product")
def patch_product(
    request: HttpRequest, product_id: int, payload: ProductPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields; send `If-Match` with the ETag you saw to refuse a stale write."""
    access = access_of(request)
    product = access.get(products(request), Role.PRODUCT_MANAGER, pk=product_id)
    version = expected_version(request, product)
    values = payload.dict(exclude_unset=True)
    for field in ("name", "vision", "north_star_metric", "portal_enabled"):
        if field in values and values[field] is None:
            values.pop(field)
    product = services.update_product(request.user, product, values, version)  # type: ignore[arg-type]
    product = products(request).get(pk=product.pk)
    with_etag(response, product)
    return product_out(product)


@router.delete("/products/{product_id}", response={204: None}, summary="Delete a product")
def delete_product(request: HttpRequest, product_id: int) -> Status[None]:
    """Delete a product and everything in it (admins and owners)."""
    access = access_of(request)
    product = access.get(products(request), Role.ADMIN, pk=product_id)
    changes.delete(product, user=request.user, expected_version=expected_version(request, product))
    return Status(204, None)


def product_of(request: HttpRequest, product_id: int, minimum: str = Role.VIEWER) -> Product:
    """A product of the user's workspaces, checked for `minimum` role (404 / 403 otherwise)."""
    return access_of(request).get(Product.objects.all(), minimum, pk=product_id)


# --- Personas -------------------------------------------------------------------------------------

PERSONA_FIELDS = ("name", "description", "goals", "pains")


def persona_out(persona: Persona) -> dict[str, Any]:
    return {
        "id": persona.pk,
        "product": persona.product_id,
        **{name: getattr(persona, name) for name in PERSONA_FIELDS},
        "version": persona.version,
        "created": persona.created,
        "updated": persona.updated,
    }


@router.get("/products/{product_id}/personas", response=PersonaList, summary="List personas")
def list_personas(
    request: HttpRequest, product_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """The product's personas by name; `q` matches their name."""
    product = product_of(request, product_id)
    queryset = Persona.objects.filter(product=product)
    if q:
        queryset = queryset.filter(name__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [persona_out(p) for p in result["items"]]
    return result


@router.post("/products/{product_id}/personas", response={201: PersonaOut}, summary="Add a persona")
def create_persona(
    request: HttpRequest, product_id: int, payload: PersonaIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add a persona (product managers and above)."""
    product = product_of(request, product_id, Role.PRODUCT_MANAGER)
    persona = services.create_persona(request.user, product, **payload.dict())  # type: ignore[arg-type]
    with_etag(response, persona)
    return Status(201, persona_out(persona))


def _persona(request: HttpRequest, persona_id: int, minimum: str = Role.VIEWER) -> Persona:
    return access_of(request).get(Persona.objects.all(), minimum, pk=persona_id)


@router.get("/personas/{persona_id}", response=PersonaOut, summary="Get a persona")
def get_persona(request: HttpRequest, persona_id: int, response: HttpResponse) -> dict[str, Any]:
    """One persona, with its ETag."""
    persona = _persona(request, persona_id)
    with_etag(response, persona)
    return persona_out(persona)


@router.patch("/personas/{persona_id}", response=PersonaOut, summary="Change a persona")
def patch_persona(
    request: HttpRequest, persona_id: int, payload: PersonaPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields; `If-Match` refuses a stale write."""
    persona = _persona(request, persona_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, persona)
    persona = changes.update(
        persona, patch_values(payload), user=request.user, expected_version=version
    )
    with_etag(response, persona)
    return persona_out(persona)


@router.delete("/personas/{persona_id}", response={204: None}, summary="Delete a persona")
def delete_persona(request: HttpRequest, persona_id: int) -> Status[None]:
    """Delete a persona (product managers and above)."""
    persona = _persona(request, persona_id, Role.PRODUCT_MANAGER)
    changes.delete(persona, user=request.user, expected_version=expected_version(request, persona))
    return Status(204, None)


# --- Competitors ----------------------------------------------------------------------------------

COMPETITOR_FIELDS = ("name", "url", "positioning", "strengths", "weaknesses", "pricing_notes")


def competitor_out(competitor: Competitor) -> dict[str, Any]:
    return {
        "id": competitor.pk,
        "product": competitor.product_id,
        **{name: getattr(competitor, name) for name in COMPETITOR_FIELDS},
        "version": competitor.version,
        "created": competitor.created,
        "updated": competitor.updated,
    }


@router.get(
    "/products/{product_id}/competitors", response=CompetitorList, summary="List competitors"
)
def list_competitors(
    request: HttpRequest, product_id: int, page: Query[Page], q: str = ""
) -> dict[str, Any]:
    """The product's competitors by name; `q` matches their name."""
    product = product_of(request, product_id)
    queryset = Competitor.objects.filter(product=product)
    if q:
        queryset = queryset.filter(name__icontains=q)
    result = paginate(queryset, page)
    result["items"] = [competitor_out(c) for c in result["items"]]
    return result


@router.post(
    "/products/{product_id}/competitors", response={201: CompetitorOut}, summary="Add a competitor"
)
def create_competitor(
    request: HttpRequest, product_id: int, payload: CompetitorIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add a competitor; it becomes a column of the capability matrix."""
    product = product_of(request, product_id, Role.PRODUCT_MANAGER)
    competitor = services.create_competitor(request.user, product, **payload.dict())  # type: ignore[arg-type]
    with_etag(response, competitor)
    return Status(201, competitor_out(competitor))


def _competitor(request: HttpRequest, competitor_id: int, minimum: str = Role.VIEWER) -> Competitor:
    return access_of(request).get(Competitor.objects.all(), minimum, pk=competitor_id)


@router.get("/competitors/{competitor_id}", response=CompetitorOut, summary="Get a competitor")
def get_competitor(
    request: HttpRequest, competitor_id: int, response: HttpResponse
) -> dict[str, Any]:
    """One competitor, with its ETag."""
    competitor = _competitor(request, competitor_id)
    with_etag(response, competitor)
    return competitor_out(competitor)


@router.patch("/competitors/{competitor_id}", response=CompetitorOut, summary="Change a competitor")
def patch_competitor(
    request: HttpRequest, competitor_id: int, payload: CompetitorPatch, response: HttpResponse
) -> dict[str, Any]:
    """Change some fields; `If-Match` refuses a stale write."""
    competitor = _competitor(request, competitor_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, competitor)
    competitor = changes.update(
        competitor, patch_values(payload), user=request.user, expected_version=version
    )
    with_etag(response, competitor)
    return competitor_out(competitor)


@router.delete("/competitors/{competitor_id}", response={204: None}, summary="Delete a competitor")
def delete_competitor(request: HttpRequest, competitor_id: int) -> Status[None]:
    """Delete a competitor and its column of the capability matrix."""
    competitor = _competitor(request, competitor_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, competitor)
    changes.delete(competitor, user=request.user, expected_version=version)
    return Status(204, None)


# --- Capability matrix ----------------------------------------------------------------------------


def column_out(column: services.Column) -> dict[str, Any]:
    competitor = column.competitor.pk if column.competitor else None
    return {"key": column.key, "competitor": competitor, "name": column.name}


def cell_out(cell: services.Cell) -> dict[str, Any]:
    competitor = cell.column.competitor
    return {
        "capability": cell.capability.pk,
        "competitor": competitor.pk if competitor else None,
        "level": cell.level,
    }


def row_out(row: services.Row) -> dict[str, Any]:
    capability = row.capability
    return {
        "id": capability.pk,
        "product": capability.product_id,
        "name": capability.name,
        "position": capability.position,
        "levels": [cell_out(cell) for cell in row.cells],
        "version": capability.version,
        "created": capability.created,
        "updated": capability.updated,
    }


def capability_out(capability: Capability) -> dict[str, Any]:
    product = Product.objects.get(pk=capability.product_id)
    return row_out(services.matrix(product, Capability.objects.filter(pk=capability.pk)).rows[0])


@router.get(
    "/products/{product_id}/capabilities", response=MatrixOut, summary="Get the capability matrix"
)
def get_matrix(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """The capability matrix: columns (us, then competitors) and one row per capability."""
    product = product_of(request, product_id)
    result = paginate(Capability.objects.filter(product=product), page)
    grid = services.matrix(product, result["items"])
    return {
        "columns": [column_out(c) for c in grid.columns],
        "items": [row_out(row) for row in grid.rows],
        "count": result["count"],
    }


@router.post(
    "/products/{product_id}/capabilities",
    response={201: CapabilityOut},
    summary="Add a capability",
)
def create_capability(
    request: HttpRequest, product_id: int, payload: CapabilityIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Add a row to the capability matrix (every cell starts at `none`)."""
    product = product_of(request, product_id, Role.PRODUCT_MANAGER)
    capability = services.create_capability(request.user, product, **payload.dict())  # type: ignore[arg-type]
    with_etag(response, capability)
    return Status(201, capability_out(capability))


def _capability(request: HttpRequest, capability_id: int, minimum: str = Role.VIEWER) -> Capability:
    return access_of(request).get(Capability.objects.all(), minimum, pk=capability_id)


@router.get("/capabilities/{capability_id}", response=CapabilityOut, summary="Get a capability")
def get_capability(
    request: HttpRequest, capability_id: int, response: HttpResponse
) -> dict[str, Any]:
    """One row of the matrix, with its ETag."""
    capability = _capability(request, capability_id)
    with_etag(response, capability)
    return capability_out(capability)


@router.patch(
    "/capabilities/{capability_id}", response=CapabilityOut, summary="Rename or move a capability"
)
def patch_capability(
    request: HttpRequest, capability_id: int, payload: CapabilityPatch, response: HttpResponse
) -> dict[str, Any]:
    """Rename or move a row; `If-Match` refuses a stale write."""
    capability = _capability(request, capability_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, capability)
    capability = services.update_capability(
        request.user,  # type: ignore[arg-type]
        capability,
        patch_values(payload),
        version,
    )
    with_etag(response, capability)
    return capability_out(capability)


@router.delete("/capabilities/{capability_id}", response={204: None}, summary="Delete a capability")
def delete_capability(request: HttpRequest, capability_id: int) -> Status[None]:
    """Delete a row of the matrix and its cells."""
    capability = _capability(request, capability_id, Role.PRODUCT_MANAGER)
    version = expected_version(request, capability)
    changes.delete(capability, user=request.user, expected_version=version)
    return Status(204, None)


@router.put(
    "/capabilities/{capability_id}/levels/{column}",
    response=CellOut,
    summary="Set a cell of the capability matrix",
)
def put_level(
    request: HttpRequest, capability_id: int, column: str, payload: LevelIn
) -> dict[str, Any]:
    """Set how well `column` (`us` or a competitor id) covers the capability."""
    capability = _capability(request, capability_id, Role.PRODUCT_MANAGER)
    try:
        competitor = services.column_competitor(capability.product_id, column)
    except Competitor.DoesNotExist:
        raise ProblemError(
            404, f"No column {column!r}: use 'us' or the id of one of this product's competitors."
        ) from None
    services.set_level(request.user, capability, competitor, payload.level)  # type: ignore[arg-type]
    product = Product.objects.get(pk=capability.product_id)
    return cell_out(services.cell(capability, competitor, product))
