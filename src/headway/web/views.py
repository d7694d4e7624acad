"""Home, the product page with its two lenses, and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from headway.accounts.access import access_of
from headway.products.models import Product
from headway.web import lenses
from headway.web.context import LENSES


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The products of the user's workspaces, grouped by workspace."""
    products = (
        access_of(request)
        .visible(Product.objects.select_related("workspace"))
        .annotate(
            feature_count=Count("features", distinct=True),
            open_ideas=Count(
                "ideas", filter=Q(ideas__status__in=["new", "under_review"]), distinct=True
            ),
        )
        .order_by("workspace__name", "name")
    )
    return render(request, "web/home.html", {"products": products})


@login_required
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product through the business or the technical lens."""
    product = access_of(request).get(
        Product.objects.select_related("workspace", "business_pm", "technical_pm"), pk=product_id
    )
    lens = request.GET.get("lens") or request.session.get("lens", "business")
    if lens not in LENSES:
        lens = "business"
    request.session["lens"] = lens
    context: dict[str, Any] = {
        "product": product,
        "lens": lens,
        "role": access_of(request).role_in(product.workspace_id),
    }
    context.update(lenses.business(product) if lens == "business" else lenses.technical(product))
    template = "web/product.html"
    if request.headers.get("HX-Request"):
        template = "web/product.html#lens"
    return render(request, template, context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
