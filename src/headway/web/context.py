"""Template context for the navigation: the user's workspaces, products and lens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from headway.accounts.access import access_of

LENSES = ("business", "technical")


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def products() -> list[Any]:
        from headway.products.models import Product

        return list(
            access_of(request)
            .visible(Product.objects.select_related("workspace"))
            .only("id", "name", "workspace__name")
        )

    def unread() -> int:
        from headway.activity.services import inbox

        return inbox(access_of(request)).filter(read__isnull=True).count()

    lens = request.session.get("lens", "business") if hasattr(request, "session") else "business"
    return {
        "nav_products": products,
        "nav_unread": unread,
        "lens": lens if lens in LENSES else "business",
    }
