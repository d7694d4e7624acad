"""Pages for what describes a product: vision and north star, personas, competitors, and the
capability matrix (edited a cell at a time with htmx). The vision, personas and competitors are
sections of the strategy page; their partials live here so each app renders its own records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import changes
from headway.products import services
from headway.products.forms import (
    CapabilityForm,
    CompetitorForm,
    LevelForm,
    PersonaForm,
    VisionForm,
)
from headway.products.models import Capability, Competitor, Level, Persona, Product
from headway.web.inline import Editor, form_response, save, saved, version_of


def _product(request: HttpRequest, product_id: int, minimum: str = Role.VIEWER) -> Product:
    return access_of(request).get(
        Product.objects.select_related("workspace"), minimum, pk=product_id
    )


def _can_edit(request: HttpRequest, product: Product) -> bool:
    return access_of(request).can(product.workspace_id, Role.PRODUCT_MANAGER)


def strategy_url(product_id: int, anchor: str) -> str:
    # The strategy page shows these sections; it is looked up by name, not imported.
    return reverse("strategy:page", args=[product_id]) + f"#{anchor}"


# --- Sections of the strategy page ----------------------------------------------------------------


def vision_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    return {"product": product, "can_edit": _can_edit(request, product)}


def personas_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    return {
        "product": product,
        "personas": Persona.objects.filter(product=product),
        "can_edit": _can_edit(request, product),
    }


def competitors_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    return {
        "product": product,
        "competitors": Competitor.objects.filter(product=product),
        "can_edit": _can_edit(request, product),
    }


def _vision_section(request: HttpRequest, product: Product) -> HttpResponse:
    product = Product.objects.select_related("workspace").get(pk=product.pk)
    return render(request, "products/_vision.html", vision_context(request, product))


def _personas_section(request: HttpRequest, product: Product) -> HttpResponse:
    return render(request, "products/_personas.html", personas_context(request, product))


def _competitors_section(request: HttpRequest, product: Product) -> HttpResponse:
    return render(request, "products/_competitors.html", competitors_context(request, product))


@login_required
def vision_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    """Edit the vision statement and the north-star metric."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = VisionForm(request.POST or None, instance=product, auto_id="vision-%s")
    editor = Editor(
        form,
        "Edit vision and north star",
        reverse("products:vision-edit", args=[product.pk]),
        strategy_url(product.pk, "vision"),
        "vision",
        product,
        "strategy",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.update_product(
            request.user,  # type: ignore[arg-type]
            product,
            values,
            version_of(form),
        ),
        lambda: _vision_section(request, product),
    )


# --- Personas -------------------------------------------------------------------------------------


@login_required
def persona_new(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = PersonaForm(request.POST or None, auto_id="new-persona-%s")
    editor = Editor(
        form,
        "Add a persona",
        reverse("products:persona-new", args=[product.pk]),
        strategy_url(product.pk, "personas"),
        "personas",
        product,
        "strategy",
        submit="Add persona",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.create_persona(request.user, product, **values),  # type: ignore[arg-type]
        lambda: _personas_section(request, product),
    )


def _persona(request: HttpRequest, pk: int) -> Persona:
    return access_of(request).get(
        Persona.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def persona_edit(request: HttpRequest, pk: int) -> HttpResponse:
    persona = _persona(request, pk)
    product = persona.product
    form = PersonaForm(request.POST or None, instance=persona, auto_id=f"persona-{pk}-%s")
    editor = Editor(
        form,
        f"Edit persona “{persona.name}”",
        reverse("products:persona-edit", args=[pk]),
        strategy_url(product.pk, f"persona-{pk}"),
        "personas",
        product,
        "strategy",
        delete=reverse("products:persona-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: changes.update(
            persona, values, user=request.user, expected_version=version_of(form)
        ),
        lambda: _personas_section(request, product),
    )


@login_required
@require_POST
def persona_delete(request: HttpRequest, pk: int) -> HttpResponse:
    persona = _persona(request, pk)
    product = persona.product
    changes.delete(persona, user=request.user)
    return saved(
        request,
        strategy_url(product.pk, "personas"),
        "personas",
        lambda: _personas_section(request, product),
    )


# --- Competitors ----------------------------------------------------------------------------------


@login_required
def competitor_new(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = CompetitorForm(request.POST or None, auto_id="new-competitor-%s")
    editor = Editor(
        form,
        "Add a competitor",
        reverse("products:competitor-new", args=[product.pk]),
        strategy_url(product.pk, "competitors"),
        "competitors",
        product,
        "strategy",
        submit="Add competitor",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.create_competitor(request.user, product, **values),  # type: ignore[arg-type]
        lambda: _competitors_section(request, product),
    )


def _competitor(request: HttpRequest, pk: int) -> Competitor:
    return access_of(request).get(
        Competitor.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def competitor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _competitor(request, pk)
    product = competitor.product
    form = CompetitorForm(request.POST or None, instance=competitor, auto_id=f"competitor-{pk}-%s")
    editor = Editor(
        form,
        f"Edit competitor “{competitor.name}”",
        reverse("products:competitor-edit", args=[pk]),
        strategy_url(product.pk, f"competitor-{pk}"),
        "competitors",
        product,
        "strategy",
        delete=reverse("products:competitor-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: changes.update(
            competitor, values, user=request.user, expected_version=version_of(form)
        ),
        lambda: _competitors_section(request, product),
    )


@login_required
@require_POST
def competitor_delete(request: HttpRequest, pk: int) -> HttpResponse:
    competitor = _competitor(request, pk)
    product = competitor.product
    changes.delete(competitor, user=request.user)
    return saved(
        request,
        strategy_url(product.pk, "competitors"),
        "competitors",
        lambda: _competitors_section(request, product),
    )


# --- Capability matrix ----------------------------------------------------------------------------


def matrix_url(product_id: int, anchor: str = "") -> str:
    url = reverse("products:capabilities", args=[product_id])
    return f"{url}#{anchor}" if anchor else url


def matrix_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    can_edit = _can_edit(request, product)
    context: dict[str, Any] = {
        "product": product,
        "grid": services.matrix(product),
        "can_edit": can_edit,
        "section": "capabilities",
    }
    if can_edit:
        context["capability_form"] = CapabilityForm(auto_id="new-capability-%s")
    return context


def _matrix_section(request: HttpRequest, product: Product) -> HttpResponse:
    return render(request, "products/capabilities.html#matrix", matrix_context(request, product))


@login_required
def capabilities(request: HttpRequest, product_id: int) -> HttpResponse:
    """The capability matrix: capabilities × (us + competitors), each cell editable in place."""
    product = _product(request, product_id)
    return render(request, "products/capabilities.html", matrix_context(request, product))


@login_required
def capability_new(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = CapabilityForm(request.POST or None, auto_id="new-capability-%s")
    editor = Editor(
        form,
        "Add a capability",
        reverse("products:capability-new", args=[product.pk]),
        matrix_url(product.pk),
        "matrix",
        product,
        "capabilities",
        submit="Add capability",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.create_capability(request.user, product, values["name"]),  # type: ignore[arg-type]
        lambda: _matrix_section(request, product),
    )


def _capability(request: HttpRequest, pk: int) -> Capability:
    return access_of(request).get(
        Capability.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def capability_edit(request: HttpRequest, pk: int) -> HttpResponse:
    capability = _capability(request, pk)
    product = capability.product
    form = CapabilityForm(request.POST or None, instance=capability, auto_id=f"capability-{pk}-%s")
    editor = Editor(
        form,
        f"Rename capability “{capability.name}”",
        reverse("products:capability-edit", args=[pk]),
        matrix_url(product.pk, f"capability-{pk}"),
        "matrix",
        product,
        "capabilities",
        delete=reverse("products:capability-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: services.update_capability(
            request.user,  # type: ignore[arg-type]
            capability,
            values,
            version_of(form),
        ),
        lambda: _matrix_section(request, product),
    )


@login_required
@require_POST
def capability_delete(request: HttpRequest, pk: int) -> HttpResponse:
    capability = _capability(request, pk)
    product = capability.product
    changes.delete(capability, user=request.user)
    return saved(
        request, matrix_url(product.pk), "matrix", lambda: _matrix_section(request, product)
    )


@login_required
def level(request: HttpRequest, pk: int, column: str) -> HttpResponse:
    """One cell of the matrix: GET shows a level picker, POST saves the level.

    With htmx both answer with the table cell (picker, then the saved level); without
    JavaScript the picker is a page of its own and saving returns to the matrix.
    """
    capability = _capability(request, pk)
    product = capability.product
    try:
        competitor = services.column_competitor(product.pk, column)
    except Competitor.DoesNotExist:
        raise Http404("No such column.") from None
    form = LevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_level(request.user, capability, competitor, form.cleaned_data["level"])  # type: ignore[arg-type]
        if not request.headers.get("HX-Request"):
            return redirect(matrix_url(product.pk, f"capability-{pk}"))
        cell = services.cell(capability, competitor, product)
        return render(request, "products/_cell.html", {"cell": cell, "can_edit": True})
    context = {
        "cell": services.cell(capability, competitor, product),
        "levels": Level.choices,
        "form": form,
        "product": product,
        "section": "capabilities",
        "back": matrix_url(product.pk, f"capability-{pk}"),
    }
    if request.headers.get("HX-Request"):
        return render(request, "products/_cell_form.html", context)
    return render(request, "products/level.html", context)
