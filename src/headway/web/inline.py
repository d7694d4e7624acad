"""Inline editing that also works without JavaScript.

A page shows records with "Edit" links. Without JavaScript a link opens a page holding the form,
and saving redirects back. With htmx the link swaps the record for the form in place, and saving
answers with the re-rendered section of the page, retargeted over the section (so one answer
serves a change that moves a record from one place in the section to another). An invalid form
comes back with its errors in both cases.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import reswap, retarget

from headway.core.changes import StaleVersion

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
