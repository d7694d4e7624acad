"""Pages for what describes a product: vision and north star, personas, competitors, and the
capability matrix (edited a cell at a time with htmx). The vision, personas and competitors are
sections of the strategy page; their partials live here so each app renders its own records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.products import services
from headway.products.forms import (
    CapabilityForm,
    CompetitorForm,
    LevelForm,
    PersonaForm,
    VisionForm,
)
from headway.products.models import Capability, Competitor, Level, Persona, Product
from headway.web.inline import Editor, InlineRecords, form_response, save, version_of


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


# --- Personas and competitors --------------------------------------------------------------------

PERSONAS = InlineRecords(
    noun="persona",
    urls="products:persona",
    records=Persona.objects.select_related("product__workspace"),
    form=PersonaForm,
    section="personas",
    render_section=_personas_section,
    page=strategy_url,
    nav="strategy",
    create=lambda user, product, values: services.create_persona(user, product, **values),
)
persona_new, persona_edit, persona_delete = PERSONAS.views()

COMPETITORS = InlineRecords(
    noun="competitor",
    urls="products:competitor",
    records=Competitor.objects.select_related("product__workspace"),
    form=CompetitorForm,
    section="competitors",
    render_section=_competitors_section,
    page=strategy_url,
    nav="strategy",
    create=lambda user, product, values: services.create_competitor(user, product, **values),
)
competitor_new, competitor_edit, competitor_delete = COMPETITORS.views()


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


CAPABILITIES = InlineRecords(
    noun="capability",
    urls="products:capability",
    records=Capability.objects.select_related("product__workspace"),
    form=CapabilityForm,
    section="matrix",
    render_section=_matrix_section,
    page=matrix_url,
    nav="capabilities",
    create=lambda user, product, values: services.create_capability(user, product, values["name"]),
    update=services.update_capability,
    edit_verb="Rename",
    list_anchor="",  # the top of the page
)
capability_new, capability_edit, capability_delete = CAPABILITIES.views()


def _capability(request: HttpRequest, pk: int) -> Capability:
    return access_of(request).get(
        Capability.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
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
