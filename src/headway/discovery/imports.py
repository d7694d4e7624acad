"""The CSV upload page: upload a file, map its columns to feedback fields, import it whole.

The file waits between the two steps in the default storage under a random name that only its
uploader's session knows; it is removed once imported, and stale ones are swept on each upload.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.discovery import csvimport, services
from headway.discovery.forms import UploadForm
from headway.discovery.models import Source
from headway.interchange.errors import ImportFailed
from headway.products.models import Product

FOLDER = "discovery-imports"
#: Uploads left at the mapping step longer than this are deleted.
STALE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _path(request: HttpRequest, token: str) -> str | None:
    """The stored file of this upload, if the token is well formed and this session's."""
    if not _TOKEN.fullmatch(token) or token not in request.session.get("feedback_uploads", []):
        return None
    return f"{FOLDER}/{token}.csv"


def _sweep() -> None:
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            age = time.time() - default_storage.get_modified_time(path).timestamp()
        except (FileNotFoundError, OSError):
            continue
        if age > STALE_SECONDS:
            default_storage.delete(path)


def _mapping_page(
    request: HttpRequest,
    product: Product,
    token: str,
    columns: tuple[str, ...],
    mapping: dict[str, str],
    default_source: str,
    failure: ImportFailed | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "product": product,
        "section": "feedback",
        "step": "map",
        "token": token,
        "columns": columns,
        "fields": [(f, mapping.get(f.name, "")) for f in csvimport.FIELDS],
        "default_source": default_source,
        "source_choices": Source.choices,
        "failure": failure,
    }
    return render(request, "discovery/import.html", context, status=422 if failure else 200)


@login_required
def upload(request: HttpRequest, product_id: int) -> HttpResponse:
    """Step 1: the file (GET shows the form); step 2: the mapping; then the import."""
    product = access_of(request).get(
        Product.objects.select_related("workspace"), Role.CONTRIBUTOR, pk=product_id
    )
    if request.method != "POST":
        context = {
            "product": product,
            "section": "feedback",
            "step": "upload",
            "form": UploadForm(),
        }
        return render(request, "discovery/import.html", context)

    if "token" not in request.POST:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            context = {"product": product, "section": "feedback", "step": "upload", "form": form}
            return render(request, "discovery/import.html", context, status=422)
        upload = form.cleaned_data["file"]
        try:
            columns = csvimport.header(upload)
        except ImportFailed as failure:
            context = {
                "product": product,
                "section": "feedback",
                "step": "upload",
                "form": UploadForm(),
                "failure": failure,
            }
            return render(request, "discovery/import.html", context, status=422)
        _sweep()
        token = secrets.token_urlsafe(24)
        upload.seek(0)
        default_storage.save(f"{FOLDER}/{token}.csv", ContentFile(upload.read()))
        request.session["feedback_uploads"] = [
            *request.session.get("feedback_uploads", [])[-9:],
            token,
        ]
        return _mapping_page(
            request, product, token, columns, csvimport.guess_mapping(columns), Source.INTERNAL
        )

    token = str(request.POST.get("token", ""))
    path = _path(request, token)
    if path is None or not default_storage.exists(path):
        messages.error(request, "That upload has expired; please upload the file again.")
        return redirect("discovery:feedback_import", product.pk)
    mapping = {
        field: str(request.POST.get(f"map_{field}", "")).strip()
        for field in csvimport.FIELD_NAMES
        if request.POST.get(f"map_{field}")
    }
    default_source = str(request.POST.get("default_source", Source.INTERNAL))
    if default_source not in Source.values:
        default_source = Source.INTERNAL
    with default_storage.open(path, "rb") as stream:
        columns = csvimport.header(stream)
        stream.seek(0)
        try:
            rows = csvimport.read(stream, mapping, default_source)
        except ImportFailed as failure:
            return _mapping_page(request, product, token, columns, mapping, default_source, failure)
    count = services.import_feedback(request.user, product, rows)
    default_storage.delete(path)
    messages.success(request, f"Imported {count} feedback item{'s' if count != 1 else ''}.")
    return redirect("discovery:feedback", product.pk)
