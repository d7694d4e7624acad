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

from headway.accounts.access import access_of
from headway.accounts.models import Role
from headway.planning import backlog
from headway.planning.forms import FORMULA_HELP, FormulaForm, ScorecardForm
from headway.planning.models import PriorityFormula, Scorecard
from headway.products.models import Product
from headway.web.inline import InlineRecords


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


def _section(name: str) -> Callable[[HttpRequest, Product], HttpResponse]:
    def render_section(request: HttpRequest, product: Product) -> HttpResponse:
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


# --- Scorecards and formulas ---------------------------------------------------------------------
# A stale version is refused, not overwritten. Deleting a scorecard deletes every feature's ratings
# on it. A formula's syntax error or unknown field is shown with its column.

SCORECARDS = InlineRecords(
    noun="scorecard",
    urls="planning:scorecard",
    records=Scorecard.objects.select_related("product__workspace"),
    form=ScorecardForm,
    section="scorecards",
    render_section=_section("scorecards"),
    page=page_url,
    nav="backlog",
    create=lambda user, product, values: _on_form(
        lambda: backlog.save_scorecard(user, product, values)
    ),
    update=lambda user, card, values, version: _on_form(
        lambda: backlog.save_scorecard(user, card.product, values, card, version)
    ),
)
scorecard_new, scorecard_edit, scorecard_delete = SCORECARDS.views()

FORMULAS = InlineRecords(
    noun="formula",
    urls="planning:formula",
    records=PriorityFormula.objects.select_related("product__workspace"),
    form=FormulaForm,
    section="formulas",
    render_section=_section("formulas"),
    page=page_url,
    nav="backlog",
    create=lambda user, product, values: backlog.save_formula(user, product, values),
    update=lambda user, formula, values, version: backlog.save_formula(
        user, formula.product, values, formula, version
    ),
)
formula_new, formula_edit, formula_delete = FORMULAS.views()
