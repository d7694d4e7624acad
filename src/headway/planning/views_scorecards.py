"""The product's scorecards and formulas page: list, add, edit and delete them in the browser.

Forms are the inline editors of `headway.web.inline` (htmx swaps them in place; without JavaScript
they are pages of their own), and every write is the service the API calls
(`backlog.save_scorecard`, `backlog.save_formula`), so both refuse the same input with the same
sentence. Rating features happens on the feature page (`views.scorecard_rate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.core import changes
from headway.planning import backlog
from headway.planning.forms import FORMULA_HELP, FormulaForm, ScorecardForm
from headway.planning.models import PriorityFormula, Scorecard
from headway.products.models import Product
from headway.web.inline import Editor, form_response, save, saved, version_of


def _product(request: HttpRequest, product_id: int, minimum: str = Role.VIEWER) -> Product:
    return access_of(request).get(
        Product.objects.select_related("workspace"), minimum, pk=product_id
    )


def page_url(product_id: int, anchor: str = "") -> str:
    url = reverse("planning:scorecards", args=[product_id])
    return f"{url}#{anchor}" if anchor else url


def page_context(request: HttpRequest, product: Product) -> dict[str, Any]:
    """The product's scorecards (with how many features are rated) and formulas: two queries."""
    return {
        "product": product,
        "can_edit": access_of(request).can(product.workspace_id, Role.PRODUCT_MANAGER),
        "scorecards": Scorecard.objects.filter(product=product).annotate(rated=Count("ratings")),
        "formulas": PriorityFormula.objects.filter(product=product),
        "formula_help": FORMULA_HELP,
    }


@login_required
def scorecards_page(request: HttpRequest, product_id: int) -> HttpResponse:
    """Every scorecard and formula of the product, each editable in place by a product manager."""
    product = _product(request, product_id)
    return render(request, "planning/scorecards.html", page_context(request, product))


def _section(request: HttpRequest, product: Product, name: str) -> Callable[[], HttpResponse]:
    def render_section() -> HttpResponse:
        return render(request, f"planning/scorecards.html#{name}", page_context(request, product))

    return render_section


def _on_form(write: Callable[[], object]) -> None:
    """Run a service write; its errors about one criterion (``criteria.<name>.weight``) belong to
    the criteria table, so they are shown there."""
    try:
        write()
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        fields: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            fields.setdefault(key.split(".")[0], []).extend(messages)
        raise ValidationError(fields) from None


# --- Scorecards -----------------------------------------------------------------------------------


@login_required
def scorecard_new(request: HttpRequest, product_id: int) -> HttpResponse:
    """Add a scorecard: a name and its criteria."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = ScorecardForm(request.POST or None, auto_id="new-scorecard-%s")
    editor = Editor(
        form,
        "Add a scorecard",
        reverse("planning:scorecard-new", args=[product.pk]),
        page_url(product.pk, "scorecards"),
        "scorecards",
        product,
        "backlog",
        submit="Add scorecard",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: _on_form(lambda: backlog.save_scorecard(request.user, product, values)),
        _section(request, product, "scorecards"),
    )


def _scorecard(request: HttpRequest, pk: int) -> Scorecard:
    return access_of(request).get(
        Scorecard.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a scorecard or change its criteria; a stale version is refused, not overwritten."""
    card = _scorecard(request, pk)
    product = card.product
    form = ScorecardForm(request.POST or None, instance=card, auto_id=f"scorecard-{pk}-%s")
    editor = Editor(
        form,
        f"Edit scorecard “{card.name}”",
        reverse("planning:scorecard-edit", args=[pk]),
        page_url(product.pk, f"scorecard-{pk}"),
        "scorecards",
        product,
        "backlog",
        delete=reverse("planning:scorecard-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: _on_form(
            lambda: backlog.save_scorecard(request.user, product, values, card, version_of(form))
        ),
        _section(request, product, "scorecards"),
    )


@login_required
@require_POST
def scorecard_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a scorecard and every feature's ratings on it."""
    card = _scorecard(request, pk)
    product = card.product
    changes.delete(card, user=request.user)
    return saved(
        request,
        page_url(product.pk, "scorecards"),
        "scorecards",
        _section(request, product, "scorecards"),
    )


# --- Formulas -------------------------------------------------------------------------------------


@login_required
def formula_new(request: HttpRequest, product_id: int) -> HttpResponse:
    """Add a formula score; a syntax error or unknown field is shown with its column."""
    product = _product(request, product_id, Role.PRODUCT_MANAGER)
    form = FormulaForm(request.POST or None, auto_id="new-formula-%s")
    editor = Editor(
        form,
        "Add a formula",
        reverse("planning:formula-new", args=[product.pk]),
        page_url(product.pk, "formulas"),
        "formulas",
        product,
        "backlog",
        submit="Add formula",
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: backlog.save_formula(request.user, product, values),
        _section(request, product, "formulas"),
    )


def _formula(request: HttpRequest, pk: int) -> PriorityFormula:
    return access_of(request).get(
        PriorityFormula.objects.select_related("product__workspace"), Role.PRODUCT_MANAGER, pk=pk
    )


@login_required
def formula_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a formula or change its expression; a stale version is refused, not overwritten."""
    saved_formula = _formula(request, pk)
    product = saved_formula.product
    form = FormulaForm(request.POST or None, instance=saved_formula, auto_id=f"formula-{pk}-%s")
    editor = Editor(
        form,
        f"Edit formula “{saved_formula.name}”",
        reverse("planning:formula-edit", args=[pk]),
        page_url(product.pk, f"formula-{pk}"),
        "formulas",
        product,
        "backlog",
        delete=reverse("planning:formula-delete", args=[pk]),
    )
    if request.method != "POST":
        return form_response(request, editor)
    return save(
        request,
        editor,
        lambda values: backlog.save_formula(
            request.user, product, values, saved_formula, version_of(form)
        ),
        _section(request, product, "formulas"),
    )


@login_required
@require_POST
def formula_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a formula score."""
    saved_formula = _formula(request, pk)
    product = saved_formula.product
    changes.delete(saved_formula, user=request.user)
    return saved(
        request,
        page_url(product.pk, "formulas"),
        "formulas",
        _section(request, product, "formulas"),
    )
