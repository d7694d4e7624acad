"""Pages: the product's Import / export tab, an import's progress, webhooks and their log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role, Workspace
from headway.interchange import services, webhooks
from headway.interchange.csvmap import TARGET_FIELDS
from headway.interchange.errors import MappingInvalid
from headway.interchange.forms import ImportForm, WebhookForm
from headway.interchange.models import ImportJob, Webhook
from headway.interchange.uploads import limit_text, upload_too_large
from headway.products.models import Product

RECENT_IMPORTS = 20
LOG_SIZE = 50


def _product(request: HttpRequest, product_id: int, role: str = Role.VIEWER) -> Product:
    return access_of(request).get(Product.objects.select_related("workspace"), role, pk=product_id)


@login_required
def product_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """Upload an import, follow past ones, export, and find the workspace's webhooks."""
    product = _product(request, product_id)
    access = access_of(request)
    can_import = access.can(product.workspace_id, Role.PRODUCT_MANAGER)
    saved = {target: services.saved_mapping(product, target) for target in TARGET_FIELDS}
    form = ImportForm(saved=saved)
    status = 200
    if request.method == "POST":
        product = _product(request, product_id, Role.PRODUCT_MANAGER)
        form = ImportForm(request.POST, request.FILES, saved=saved)
        if upload_too_large(request):
            form.add_error(None, f"The file is larger than the {limit_text()} an import may be.")
            status = 413
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.start_import(
                    product,
                    request.user,  # type: ignore[arg-type]
                    kind=form.cleaned_data["kind"],
                    chunks=upload.chunks(),
                    file_name=upload.name or "upload",
                    mapping=form.mapping(),
                    timezone=form.cleaned_data["timezone"] or "UTC",
                )
            except MappingInvalid as error:
                form.add_error(None, f"{error.field}: {error.message}")
            else:
                return redirect("interchange:import", job.pk)
        if status == 200:
            status = 422
    imports = ImportJob.objects.filter(product=product).select_related("created_by")[
        :RECENT_IMPORTS
    ]
    context: dict[str, Any] = {
        "product": product,
        "form": form,
        "can_import": can_import,
        "imports": imports,
        "is_admin": access.can(product.workspace_id, Role.ADMIN),
        "exports": ["features", "stories", "ideas", "feedback"],
    }
    return render(request, "interchange/product.html", context, status=status)


@login_required
def import_page(request: HttpRequest, import_id: int) -> HttpResponse:
    """One import: a progress bar that polls while it runs, then its counts or its errors."""
    job = access_of(request).get(
        ImportJob.objects.select_related("product__workspace", "created_by"), pk=import_id
    )
    context = {"job": job, "product": job.product, "progress": services.current_progress(job)}
    template = "interchange/import.html"
    if request.headers.get("HX-Request"):
        template += "#job"
    return render(request, template, context)


# --- webhooks ----------------------------------------------------------------------------------


@login_required
def webhooks_page(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The workspace's webhooks and a form to subscribe another (admins)."""
    access_of(request).require(workspace_id, Role.ADMIN)
    workspace = Workspace.objects.get(pk=workspace_id)
    form = WebhookForm()
    created: Webhook | None = None
    status = 200
    if request.method == "POST":
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                created = webhooks.create_webhook(
                    workspace,
                    request.user,  # type: ignore[arg-type]
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    description=form.cleaned_data["description"],
                )
            except MappingInvalid as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = 422
            else:
                form = WebhookForm()
        else:
            status = 422
    hooks = Webhook.objects.filter(workspace=workspace)
    return render(
        request,
        "interchange/webhooks.html",
        {"workspace": workspace, "webhooks": hooks, "form": form, "created": created},
        status=status,
    )


def _webhook(request: HttpRequest, webhook_id: int) -> Webhook:
    return access_of(request).get(
        Webhook.objects.select_related("workspace"), Role.ADMIN, pk=webhook_id
    )


@login_required
def webhook_page(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """The delivery log of one webhook, newest first, with response codes."""
    webhook = _webhook(request, webhook_id)
    deliveries = webhook.deliveries.all()[:LOG_SIZE]
    template = "interchange/webhook.html"
    if request.headers.get("HX-Request"):
        template += "#log"
    return render(request, template, {"webhook": webhook, "deliveries": deliveries})


@login_required
@require_POST
def webhook_test(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Send a test delivery now, then show the log with its outcome."""
    webhook = _webhook(request, webhook_id)
    webhooks.send_test(webhook)
    if request.headers.get("HX-Request"):
        return webhook_page(request, webhook_id)
    messages.success(request, "Test delivery sent.")
    return redirect("interchange:webhook", webhook.pk)


@login_required
@require_POST
def webhook_delete(request: HttpRequest, webhook_id: int) -> HttpResponse:
    """Delete the webhook and its log."""
    webhook = _webhook(request, webhook_id)
    workspace_id = webhook.workspace_id
    webhook.delete()
    messages.success(request, "Webhook deleted.")
    return redirect("interchange:webhooks", workspace_id)
