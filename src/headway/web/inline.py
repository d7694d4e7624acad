"""Inline editing that also works without JavaScript.

A page shows records with "Edit" links. Without JavaScript a link opens a page holding the form,
and saving redirects back. With htmx the link swaps the record for the form in place, and saving
answers with the re-rendered section of the page, retargeted over the section (so one answer
serves a change that moves a record from one place in the section to another). An invalid form
comes back with its errors in both cases.

`InlineRecords` declares a kind of record edited this way on a product page, and gives its three
views (add, edit, delete); `Editor`, `save` and `saved` are the pieces for a view written by hand.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from headway.accounts.access import access_of
from headway.accounts.models import Role, User
from headway.core import changes
from headway.core.changes import StaleVersion
from headway.products.models import Product

STALE = "Someone else changed this since you opened it. Reload the page and make your change again."


class InlineForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form for inline editing: it edits a copy, and remembers the version it showed.

    Django's model forms write the cleaned values into their instance while validating; working on
    a copy leaves the real record untouched, so the write path (`core.changes.update`) still sees
    what changed, and writes it in one transaction with the audit history.
    """

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        kwargs["instance"] = copy.copy(instance)
        super().__init__(*args, **kwargs)
        if instance is not None and instance.pk is not None and hasattr(instance, "version"):
            self.fields["version"].initial = instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"

    def values(self) -> dict[str, Any]:
        """The cleaned values of the model's fields (not the version)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


@dataclass
class Editor:
    """One form on a page: what it edits, where it posts, and what it re-renders when saved."""

    form: forms.BaseForm
    title: str
    action: str
    back: str  # where "Cancel" and a saved non-htmx form go
    section: str  # the element id re-rendered after saving, e.g. "goals"
    product: Any = None  # for the page's navigation
    nav_section: str = ""
    delete: str = ""  # the delete URL, if the record may be deleted
    submit: str = "Save"


def form_response(request: HttpRequest, editor: Editor) -> HttpResponse:
    """The form: a fragment for htmx, a whole page otherwise."""
    context = {"editor": editor, "form": editor.form, "product": editor.product}
    if request.headers.get("HX-Request"):
        return render(request, "web/_inline_form.html", context)
    context["section"] = editor.nav_section
    return render(request, "web/form_page.html", context)


def save(
    request: HttpRequest,
    editor: Editor,
    write: Callable[[dict[str, Any]], Any],
    section: Callable[[], HttpResponse],
) -> HttpResponse:
    """Validate the posted form and `write` its cleaned data; answer with the section or redirect.

    Errors raised by the write (model validation, a stale version) land on the form.
    """
    form = editor.form
    if form.is_valid():
        values = form.values() if isinstance(form, InlineForm) else form.cleaned_data
        try:
            write(values)
        except StaleVersion:
            form.add_error(None, STALE)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return saved(request, editor.back, editor.section, section)
    return form_response(request, editor)


def saved(
    request: HttpRequest, back: str, target: str, section: Callable[[], HttpResponse]
) -> HttpResponse:
    """After a write: the re-rendered section over `#target` for htmx, else a redirect to `back`."""
    if request.headers.get("HX-Request"):
        response = section()
        retarget(response, f"#{target}")
        reswap(response, "outerHTML")
        return response
    return redirect(back)


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def version_of(form: forms.BaseForm) -> int | None:
    """The version the form was loaded at (hidden field `version`), to refuse a stale save."""
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


View = Callable[..., HttpResponse]


def _update(user: User, record: Any, values: dict[str, Any], version: int | None) -> object:
    return changes.update(record, values, user=user, expected_version=version)


@dataclass(frozen=True)
class InlineRecords:
    """A kind of record of a product, added, edited and deleted in place on one of its pages.

    `views()` gives the three views, for product managers (a viewer gets 403, an outsider 404):
    `new(request, product_id)` and `edit(request, pk)` show the form and save it, and
    `delete(request, pk)` takes a POST. A new record's form edits ``Model(product=product)``, so
    the model's own validation knows the product. Each write answers with the re-rendered section
    (htmx) or a redirect to the page: at the record for an edit, at `list_anchor` otherwise.
    """

    noun: str  # "persona": "Add a persona", "Edit persona “…”", ids "new-persona-…", "persona-7-…"
    urls: str  # "products:persona": the views are named persona-new, persona-edit, persona-delete
    records: QuerySet[Any]  # the kind's records, with their product (select_related)
    form: type[InlineForm]
    section: str  # the id of the page's element showing the records, re-rendered after a write
    render_section: Callable[[HttpRequest, Product], HttpResponse]
    page: Callable[[int, str], str]  # the URL of the page showing the section, at an anchor
    nav: str  # the section of the navigation the form page highlights
    create: Callable[[User, Product, dict[str, Any]], object]  # (user, product, values)
    # (user, record, values, the version the form showed); `core.changes.update` unless given
    update: Callable[[User, Any, dict[str, Any], int | None], object] = _update
    form_kwargs: Callable[[Product], dict[str, Any]] = lambda product: {}
    article: str = "a"  # "Add an initiative"
    edit_verb: str = "Edit"  # "Rename capability “…”"
    list_anchor: str | None = None  # where "new" and "delete" go back to; the section if None

    def views(self) -> tuple[View, View, View]:
        """The `new`, `edit` and `delete` views, each behind login (and `delete` POST only)."""
        return (
            login_required(self._new),
            login_required(self._edit),
            login_required(require_POST(self._delete)),
        )

    def _new(self, request: HttpRequest, product_id: int) -> HttpResponse:
        product = access_of(request).get(
            Product.objects.select_related("workspace"), Role.PRODUCT_MANAGER, pk=product_id
        )
        form = self.form(
            request.POST or None,
            instance=self.records.model(product=product),
            auto_id=f"new-{self.noun}-%s",
            **self.form_kwargs(product),
        )
        editor = Editor(
            form,
            f"Add {self.article} {self.noun}",
            reverse(f"{self.urls}-new", args=[product.pk]),
            self._back(product),
            self.section,
            product,
            self.nav,
            submit=f"Add {self.noun}",
        )
        if request.method != "POST":
            return form_response(request, editor)
        return save(
            request,
            editor,
            lambda values: self.create(request.user, product, values),  # type: ignore[arg-type]
            lambda: self.render_section(request, product),
        )

    def _edit(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self._record(request, pk)
        product = record.product
        form = self.form(
            request.POST or None,
            instance=record,
            auto_id=f"{self.noun}-{pk}-%s",
            **self.form_kwargs(product),
        )
        editor = Editor(
            form,
            f"{self.edit_verb} {self.noun} “{record}”",
            reverse(f"{self.urls}-edit", args=[pk]),
            self.page(product.pk, f"{self.noun}-{pk}"),
            self.section,
            product,
            self.nav,
            delete=reverse(f"{self.urls}-delete", args=[pk]),
        )
        if request.method != "POST":
            return form_response(request, editor)
        return save(
            request,
            editor,
            lambda values: self.update(request.user, record, values, version_of(form)),  # type: ignore[arg-type]
            lambda: self.render_section(request, product),
        )

    def _delete(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self._record(request, pk)
        product = record.product
        changes.delete(record, user=request.user)
        return saved(
            request,
            self._back(product),
            self.section,
            lambda: self.render_section(request, product),
        )

    def _record(self, request: HttpRequest, pk: int) -> Any:
        return access_of(request).get(self.records, Role.PRODUCT_MANAGER, pk=pk)

    def _back(self, product: Product) -> str:
        anchor = self.section if self.list_anchor is None else self.list_anchor
        return self.page(product.pk, anchor)
