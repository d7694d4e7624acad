"""Products: name, vision, north-star metric, portal switch and the two PMs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from headway.accounts.access import access_of
from headway.accounts.models import Role, Workspace
from headway.api.etag import expected_version, with_etag
from headway.api.pagination import Page, paginate
from headway.core import changes
from headway.products import services
from headway.products.models import Product
from headway.products.schemas import ProductIn, ProductList, ProductOut, ProductPatch

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
