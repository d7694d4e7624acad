"""URL map: the API, the pages of each app, the portal, admin and accounts."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path

from headway.api.api import api
from headway.api.errors import problem


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown API paths answer in problem+json too, never with an HTML page."""
    return problem(404, f"No API endpoint at {request.path}. See /api/v1/docs.")


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_not_found),
    path("admin/", admin.site.urls),
    path("", include("headway.web.urls")),
    path("", include("headway.products.urls")),
    path("", include("headway.strategy.urls")),
    path("", include("headway.discovery.urls")),
    path("", include("headway.planning.urls")),
    path("", include("headway.roadmaps.urls")),
    path("", include("headway.releases.urls")),
    path("", include("headway.interchange.urls")),
    path("", include("headway.activity.urls")),
    path("", include("headway.accounts.urls")),
]

handler404 = "headway.web.views.not_found"
handler500 = "headway.web.views.server_error"
