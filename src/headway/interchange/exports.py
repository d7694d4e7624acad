"""Exports: features, stories, ideas and feedback as CSV or XLSX, and a whole product as JSON.

CSV is streamed row by row (`queryset.iterator`), so a 100,000-row export never sits in memory.
XLSX is built with openpyxl's write-only workbook. Cells that a spreadsheet would run as a
formula (text starting with `=`, `+`, `-`, `@`) are written so that they stay text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

from headway.core import clock
from headway.core.json import dumps
from headway.discovery.models import Customer, Feedback, Idea
from headway.planning.models import Feature, Story
from headway.products.models import Product

WHAT = ("features", "stories", "ideas", "feedback")
FORMATS = ("csv", "xlsx")
#: Version of the product JSON document; bump it when its shape changes incompatibly.
PRODUCT_FORMAT_VERSION = 1

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XLSX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


@dataclass(frozen=True)
class Filters:
    """The list filters an export honours: `q` searches the text, the rest narrow by value."""

    q: str | None = None
    status: Sequence[str] = ()
    kind: str | None = None
    source: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def _names(objects: Iterable[Any]) -> str:
    return ", ".join(sorted(str(obj) for obj in objects))


FEATURE_COLUMNS = [
    Column("id", lambda f: f.pk),
    Column("title", lambda f: f.title),
    Column("description", lambda f: f.description),
    Column("kind", lambda f: f.kind),
    Column("status", lambda f: f.status),
    Column("points", lambda f: f.points),
    Column("initiative", lambda f: f.initiative.title if f.initiative else ""),
    Column("release", lambda f: f.release.name if f.release else ""),
    Column("components", lambda f: _names(f.components.all())),
    Column("labels", lambda f: ", ".join(f.labels)),
    Column("moscow", lambda f: f.moscow),
    Column("kano", lambda f: f.kano),
    Column("rice_score", lambda f: f.rice_score),
    Column("ice_score", lambda f: f.ice_score),
    Column("wsjf_score", lambda f: f.wsjf_score),
    Column("start_date", lambda f: f.start_date),
    Column("end_date", lambda f: f.end_date),
    Column("done_at", lambda f: f.done_at),
    Column("source_key", lambda f: f.source_key),
    Column("created", lambda f: f.created),
    Column("updated", lambda f: f.updated),
]
STORY_COLUMNS = [
    Column("id", lambda s: s.pk),
    Column("feature_id", lambda s: s.feature_id),
    Column("feature", lambda s: s.feature.title),
    Column("title", lambda s: s.title),
    Column("as_a", lambda s: s.as_a),
    Column("i_want", lambda s: s.i_want),
    Column("so_that", lambda s: s.so_that),
    Column("description", lambda s: s.description),
    Column("points", lambda s: s.points),
    Column("status", lambda s: s.status),
    Column("done_at", lambda s: s.done_at),
    Column("release", lambda s: s.release.name if s.release else ""),
    Column("source_key", lambda s: s.source_key),
    Column("created", lambda s: s.created),
    Column("updated", lambda s: s.updated),
]
IDEA_COLUMNS = [
    Column("id", lambda i: i.pk),
    Column("title", lambda i: i.title),
    Column("description", lambda i: i.description),
    Column("status", lambda i: i.status),
    Column("votes", lambda i: i.vote_count),
    Column("public", lambda i: i.public),
    Column("feature_id", lambda i: i.feature_id),
    Column("merged_into_id", lambda i: i.merged_into_id),
    Column("created", lambda i: i.created),
    Column("updated", lambda i: i.updated),
]
FEEDBACK_COLUMNS = [
    Column("id", lambda f: f.pk),
    Column("text", lambda f: f.text),
    Column("source", lambda f: f.source),
    Column("state", lambda f: f.state),
    Column("customer", lambda f: f.customer.name if f.customer else ""),
    Column("company", lambda f: f.customer.company if f.customer else ""),
    Column("segment", lambda f: f.customer.segment if f.customer else ""),
    Column("revenue", lambda f: f.customer.revenue if f.customer else None),
    Column("ideas", lambda f: _names(link.idea for link in f.links.all() if link.idea)),
    Column("features", lambda f: _names(link.feature for link in f.links.all() if link.feature)),
    Column("created", lambda f: f.created),
]


def _search(queryset: QuerySet[Any], q: str | None, *fields: str) -> QuerySet[Any]:
    if not q or not q.strip():
        return queryset
    condition = Q()
    for word in q.split():
        in_any_field = Q()
        for name in fields:
            in_any_field |= Q(**{f"{name}__icontains": word})
        condition &= in_any_field
    return queryset.filter(condition)


def features(product: Product, filters: Filters) -> QuerySet[Feature]:
    queryset = (
        Feature.objects.filter(product=product)
        .select_related("initiative", "release")
        .prefetch_related("components")
        .order_by("rank", "id")
    )
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return _search(queryset, filters.q, "title", "description")


def stories(product: Product, filters: Filters) -> QuerySet[Story]:
    queryset = (
        Story.objects.filter(feature__product=product)
        .select_related("feature", "release")
        .order_by("feature_id", "position", "id")
    )
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    return _search(queryset, filters.q, "title", "description")


def ideas(product: Product, filters: Filters) -> QuerySet[Idea]:
    queryset = Idea.objects.filter(product=product).order_by("-vote_count", "-created", "-id")
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    return _search(queryset, filters.q, "title", "description")


def feedback(product: Product, filters: Filters) -> QuerySet[Feedback]:
    queryset = (
        Feedback.objects.filter(product=product)
        .select_related("customer")
        .prefetch_related("links__idea", "links__feature")
        .order_by("-created", "-id")
    )
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.source:
        queryset = queryset.filter(source=filters.source)
    return _search(queryset, filters.q, "text")


SOURCES: dict[str, tuple[Callable[[Product, Filters], QuerySet[Any]], list[Column]]] = {
    "features": (features, FEATURE_COLUMNS),
    "stories": (stories, STORY_COLUMNS),
    "ideas": (ideas, IDEA_COLUMNS),
    "feedback": (feedback, FEEDBACK_COLUMNS),
}


def table(what: str, product: Product, filters: Filters) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the rows (streamed) of one export."""
    source, columns = SOURCES[what]
    queryset = source(product, filters)

    def rows() -> Iterator[list[Any]]:
        for obj in queryset.iterator(chunk_size=1000):
            yield [column.value(obj) for column in columns]

    return [column.header for column in columns], rows()


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _defused(value: Any) -> Any:
    # A leading quote keeps a spreadsheet from running the cell as a formula (CSV injection).
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Line:
    """A file-like object whose `write` returns what was written, for a streaming csv.writer."""

    def write(self, text: str) -> str:
        return text


def csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV text, line by line (a byte-order mark first, so Excel reads it as UTF-8)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_defused(_plain(value)) for value in row])


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value)
    return value


def xlsx_bytes(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """The rows as an Excel workbook of one sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            value = _xlsx_value(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the whole product as JSON -----------------------------------------------------------------

#: Models left out of a product export: import bookkeeping and share-link digests.
_NOT_EXPORTED = {"interchange.importjob", "interchange.importedrecord", "roadmaps.sharelink"}


def _product_models() -> list[tuple[type[models.Model], str]]:
    """Every model that belongs to a product, with the lookup from it to the product."""
    found = []
    for model in apps.get_models():
        path = getattr(model, "WORKSPACE_PATH", "")
        label = model._meta.label_lower
        if label in _NOT_EXPORTED or not path.endswith("product__workspace_id"):
            continue
        found.append((model, path.removesuffix("__workspace_id")))
    return sorted(found, key=lambda item: (item[1].count("__"), item[0]._meta.label_lower))


def product_document(product: Product) -> Iterator[str]:
    """The product and every record in it, as one JSON document, streamed in pieces.

    `{"format": "headway-product", "version": 1, "exported", "product", "records": {label:
    [row, …]}}`; each row holds the model's fields by name, foreign keys as ids.
    """
    head = {
        "format": "headway-product",
        "version": PRODUCT_FORMAT_VERSION,
        "exported": clock.now(),
        "product": _row(dict(Product.objects.filter(pk=product.pk).values().get())),
    }
    yield dumps(head)[:-1] + ', "records": {'
    sections = [
        (model._meta.label_lower, model._default_manager.filter(**{path: product}).order_by("pk"))
        for model, path in _product_models()
    ]
    sections.append(
        (
            "planning.feature_components",
            Feature.components.through.objects.filter(feature__product=product).order_by("pk"),
        )
    )
    sections.append(
        (
            "discovery.customer",
            Customer.objects.filter(Q(feedback__product=product) | Q(votes__idea__product=product))
            .distinct()
            .order_by("pk"),
        )
    )
    for number, (label, queryset) in enumerate(sections):
        yield ("" if number == 0 else ", ") + dumps(label) + ": ["
        for index, row in enumerate(queryset.values().iterator(chunk_size=1000)):
            yield ("" if index == 0 else ", ") + dumps(_row(row))
        yield "]"
    yield "}}"


def _row(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: float(value) if isinstance(value, Decimal) else value for key, value in values.items()
    }
