"""Imports, exports and webhooks."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.text import slugify
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from headway.accounts.access import access_of
from headway.accounts.models import Role, Workspace
from headway.api.errors import ProblemError, invalid
from headway.api.pagination import Page, paginate
from headway.interchange import exports, services, webhooks
from headway.interchange.errors import MappingInvalid
from headway.interchange.models import ImportJob, Webhook, WebhookDelivery
from headway.interchange.schemas import (
    DeliveryList,
    DeliveryOut,
    ExportFilters,
    ImportCreated,
    ImportList,
    ImportOut,
    WebhookCreated,
    WebhookIn,
    WebhookList,
)
from headway.interchange.uploads import limit_text, upload_too_large
from headway.products.models import Product

router = Router(tags=["interchange"])


def import_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "product": job.product_id,
        "kind": job.kind,
        "status": job.status,
        "progress": services.current_progress(job),
        "file_name": job.file_name,
        "mapping": job.mapping,
        "created": job.created,
        "started": job.started,
        "finished": job.finished,
        "attempts": job.attempts,
        "counts": job.counts,
        "errors": job.errors,
        "error_count": job.error_count,
        "notes": job.notes,
        "created_by": job.created_by.username if job.created_by else None,
    }


def _product(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.all(), role, pk=product_id)


# --- imports -----------------------------------------------------------------------------------


@router.post(
    "/products/{product_id}/imports", response={201: ImportCreated}, summary="Start an import"
)
def create_import(
    request: HttpRequest,
    product_id: int,
    file: File[UploadedFile | None] = None,
    kind: Form[str | None] = None,
    mapping: Form[str | None] = None,
    timezone: Form[str] = "UTC",
) -> Status[dict[str, Any]]:
    """Upload a Jira CSV, GitHub JSON or mapped CSV (multipart), imported in the background."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    if upload_too_large(request):
        raise ProblemError(
            413,
            f"The file is larger than the {limit_text()} an import may be.",
            [{"field": "file", "message": f"larger than {limit_text()}"}],
        )
    if file is None:
        raise invalid("file", "attach the file to import (multipart field 'file')")
    try:
        job = services.start_import(
            product,
            request.user,  # type: ignore[arg-type]
            kind=kind or "",
            chunks=file.chunks(),
            file_name=file.name or "upload",
            mapping=mapping,
            timezone=timezone,
        )
    except MappingInvalid as error:
        raise invalid(error.field, error.message) from None
    return Status(201, {"id": job.pk, "status": job.status, "url": f"/api/v1/imports/{job.pk}"})


def _imports() -> Any:
    return ImportJob.objects.select_related("created_by").defer("file_path")


@router.get("/products/{product_id}/imports", response=ImportList, summary="List imports")
def list_imports(request: HttpRequest, product_id: int, page: Query[Page]) -> dict[str, Any]:
    """The product's imports, newest first."""
    product = _product(request, product_id)
    result = paginate(_imports().filter(product=product), page)
    result["items"] = [import_out(job) for job in result["items"]]
    return result


@router.get("/imports/{import_id}", response=ImportOut, summary="Get an import")
def get_import(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """One import: its status, progress, counts and every bad row `{line, column, message}`."""
    return import_out(access_of(request).get(_imports(), pk=import_id))


# --- exports -----------------------------------------------------------------------------------


def export_response(
    product: Product, what: str, file_format: str, filters: ExportFilters
) -> HttpResponse | StreamingHttpResponse:
    """An attachment of `what` in CSV (streamed) or XLSX; shared by the API and the pages."""
    chosen = exports.Filters(
        q=filters.q,
        status=tuple(filters.status or ()),
        kind=filters.kind,
        source=filters.source,
        state=filters.state,
    )
    header, rows = exports.table(what, product, chosen)
    name = f"{slugify(product.name) or 'product'}-{what}"
    if file_format == "xlsx":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            exports.xlsx_bytes(what, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(
            exports.csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _export(
    request: HttpRequest, product_id: int, what: str, file_format: str, filters: ExportFilters
) -> HttpResponse | StreamingHttpResponse:
    return export_response(_product(request, product_id), what, file_format, filters)


ExportFormat = Literal["csv", "xlsx"]


@router.get("/products/{product_id}/features/export", summary="Export features")
def export_features(
    request: HttpRequest,
    product_id: int,
    filters: Query[ExportFilters],
    format: ExportFormat = "csv",  # noqa: A002 - the public parameter name
) -> Any:
    """The product's features as CSV or XLSX, narrowed by `q`, `status` and `kind`."""
    return _export(request, product_id, "features", format, filters)


@router.get("/products/{product_id}/stories/export", summary="Export stories")
def export_stories(
    request: HttpRequest,
    product_id: int,
    filters: Query[ExportFilters],
    format: ExportFormat = "csv",  # noqa: A002
) -> Any:
    """The product's stories as CSV or XLSX, narrowed by `q` and `status`."""
    return _export(request, product_id, "stories", format, filters)


@router.get("/products/{product_id}/ideas/export", summary="Export ideas")
def export_ideas(
    request: HttpRequest,
    product_id: int,
    filters: Query[ExportFilters],
    format: ExportFormat = "csv",  # noqa: A002
) -> Any:
    """The product's ideas as CSV or XLSX, narrowed by `q` and `status`."""
    return _export(request, product_id, "ideas", format, filters)


@router.get("/products/{product_id}/feedback/export", summary="Export feedback")
def export_feedback(
    request: HttpRequest,
    product_id: int,
    filters: Query[ExportFilters],
    format: ExportFormat = "csv",  # noqa: A002
) -> Any:
    """The product's feedback as CSV or XLSX, narrowed by `q`, `source` and `state`."""
    return _export(request, product_id, "feedback", format, filters)


@router.get("/products/{product_id}/export", summary="Export a whole product")
def export_product(
    request: HttpRequest,
    product_id: int,
    format: Literal["json"] = "json",  # noqa: A002
) -> Any:
    """The product and everything in it as one JSON document (streamed)."""
    product = _product(request, product_id)
    response = StreamingHttpResponse(
        exports.product_document(product), content_type="application/json"
    )
    name = slugify(product.name) or "product"
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


# --- webhooks ----------------------------------------------------------------------------------


def webhook_out(webhook: Webhook, *, with_secret: bool = False) -> dict[str, Any]:
    out = {
        "id": webhook.pk,
        "workspace": webhook.workspace_id,
        "url": webhook.url,
        "events": webhook.events,
        "description": webhook.description,
        "active": webhook.active,
        "secret_hint": webhook.secret_hint,
        "created": webhook.created,
    }
    if with_secret:
        out["secret"] = webhook.secret
    return out


def delivery_out(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "webhook": delivery.webhook_id,
        "event": delivery.event,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "response_code": delivery.response_code,
        "response_body": delivery.response_body,
        "error": delivery.error,
        "duration_ms": delivery.duration_ms,
        "created": delivery.created,
        "last_attempt": delivery.last_attempt,
        "next_attempt": delivery.next_attempt,
        "delivered": delivery.delivered,
        "payload": webhooks.payload_of(delivery),
    }


@router.get("/workspaces/{workspace_id}/webhooks", response=WebhookList, summary="List webhooks")
def list_webhooks(request: HttpRequest, workspace_id: int, page: Query[Page]) -> dict[str, Any]:
    """The workspace's webhooks (admins)."""
    access_of(request).require(workspace_id, Role.ADMIN)
    result = paginate(Webhook.objects.filter(workspace_id=workspace_id), page)
    result["items"] = [webhook_out(webhook) for webhook in result["items"]]
    return result


@router.post(
    "/workspaces/{workspace_id}/webhooks",
    response={201: WebhookCreated},
    summary="Subscribe a webhook",
)
def create_webhook(
    request: HttpRequest, workspace_id: int, payload: WebhookIn
) -> Status[dict[str, Any]]:
    """Subscribe a URL to events (admins); the answer shows the signing secret, once."""
    access_of(request).require(workspace_id, Role.ADMIN)
    try:
        webhook = webhooks.create_webhook(
            Workspace.objects.get(pk=workspace_id),
            request.user,  # type: ignore[arg-type]
            url=payload.url,
            events=list(payload.events),
            secret=payload.secret,
            description=payload.description,
        )
    except MappingInvalid as error:
        raise invalid(error.field, error.message) from None
    return Status(201, webhook_out(webhook, with_secret=True))


def _webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    return access_of(request).get(
        Webhook.objects.select_related("workspace"), Role.ADMIN, pk=webhook_id
    )


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Delete a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    """Stop sending to this URL and forget its delivery log (admins)."""
    _webhook(request, webhook_id).delete()
    return Status(204, None)


@router.get("/webhooks/{webhook_id}/deliveries", response=DeliveryList, summary="List deliveries")
def list_deliveries(request: HttpRequest, webhook_id: int, page: Query[Page]) -> dict[str, Any]:
    """The webhook's delivery log, newest first, with response codes (admins)."""
    webhook = _webhook(request, webhook_id)
    result = paginate(webhook.deliveries.all(), page)
    result["items"] = [delivery_out(delivery) for delivery in result["items"]]
    return result


@router.post(
    "/webhooks/{webhook_id}/test", response={201: DeliveryOut}, summary="Send a test delivery"
)
def test_webhook(request: HttpRequest, webhook_id: int) -> Status[dict[str, Any]]:
    """Send a `webhook.test` event to the URL now (admins); answers with the delivery."""
    delivery = webhooks.send_test(_webhook(request, webhook_id))
    return Status(201, delivery_out(delivery))
