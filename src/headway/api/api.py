"""The one NinjaAPI: `/api/v1`, OpenAPI at `/api/v1/openapi.json`, docs at `/api/v1/docs`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer

from headway.accounts.api import router as accounts_router
from headway.activity.api import router as activity_router
from headway.api import errors
from headway.api.auth import AUTH
from headway.core.json import dumps
from headway.discovery.api import router as discovery_router
from headway.interchange.api import router as interchange_router
from headway.planning.api import router as planning_router
from headway.products.api import router as products_router
from headway.releases.api import router as releases_router
from headway.roadmaps.api import router as roadmaps_router
from headway.strategy.api import router as strategy_router


class Renderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return dumps(data)


api = NinjaAPI(
    title="Headway API",
    version="1",
    description=(
        "Product strategy, evidence, backlog, roadmaps, releases and forecasts. "
        "Authenticate with `POST /api/v1/auth/token`, then send `Authorization: Bearer TOKEN`. "
        "Errors are application/problem+json (RFC 9457)."
    ),
    auth=AUTH,
    renderer=Renderer(),
    urls_namespace="api",
)
errors.install(api)

for router in (
    accounts_router,
    products_router,
    strategy_router,
    discovery_router,
    planning_router,
    roadmaps_router,
    releases_router,
    interchange_router,
    activity_router,
):
    api.add_router("", router)
