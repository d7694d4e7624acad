"""Feedback from a CSV file with a column mapping (pure: no Django).

The reading itself (encodings, quoting, physical line numbers) is `interchange.csvmap`'s; this
module knows the feedback fields — including the customer's email, by which customers are
matched — guesses a mapping from the header, and checks every row. The import is
all-or-nothing: `read` returns every row or raises `ImportFailed` listing every bad cell by
line and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO

from headway.interchange.csvmap import CsvHeader, iter_csv_records, parse_datetime_text
from headway.interchange.errors import (
    ErrorCollector,
    ImportErrorDetail,
    ImportFailed,
    quote_value,
)

SOURCES = (
    "portal",
    "email",
    "sales_call",
    "support_ticket",
    "interview",
    "survey",
    "app_review",
    "internal",
)
MAX_TEXT = 20_000
MAX_REVENUE = Decimal("999999999999.99")
#: The longest customer fields, as the database keeps them.
LIMITS = {"customer_name": 200, "customer_company": 200, "customer_segment": 80}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Field:
    """A feedback field a column can be mapped to, and header words that suggest it."""

    name: str
    label: str
    hints: tuple[str, ...]
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("text", "Feedback text", ("text", "feedback", "comment", "message", "body"), True),
    Field("source", "Source", ("source", "channel")),
    Field("customer_name", "Customer name", ("customer name", "name", "customer", "contact")),
    Field("customer_email", "Customer email", ("email", "e-mail", "mail")),
    Field("customer_company", "Company", ("company", "account", "organization", "organisation")),
    Field("customer_segment", "Segment", ("segment", "tier", "plan")),
    Field("customer_revenue", "Annual revenue", ("revenue", "arr", "annual revenue")),
    Field("received_at", "Date received", ("date", "received", "created")),
)
FIELD_NAMES = tuple(field.name for field in FIELDS)


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    """One row to import; `line` is where it starts in the file."""

    line: int
    text: str
    source: str
    customer_name: str = ""
    customer_email: str = ""
    customer_company: str = ""
    customer_segment: str = ""
    customer_revenue: Decimal | None = None
    received_at: datetime | None = None


def header(source: IO[bytes]) -> tuple[str, ...]:
    """The column names of a CSV file; raises ImportFailed when there is no readable header."""
    errors = ErrorCollector()
    first = next(iter_csv_records(source, errors, delimiter=None), None)
    if first is None:
        if not errors:
            errors.add(1, None, "the file is empty: it needs a header line")
        raise errors.failure()
    names = CsvHeader(first[1], first[0]).names
    if not any(name for name in names):
        raise ImportFailed(
            [ImportErrorDetail(first[0], None, "the header line has no column names")]
        )
    return names


def guess_mapping(names: Sequence[str]) -> dict[str, str]:
    """A first mapping {field: column} from the header words; each column used at most once."""
    normalised = [" ".join(name.casefold().replace("_", " ").split()) for name in names]
    mapping: dict[str, str] = {}
    used: set[int] = set()
    for field in FIELDS:
        for hint in field.hints:
            found = next(
                (i for i, name in enumerate(normalised) if i not in used and name == hint), None
            )
            if found is None:
                found = next(
                    (i for i, name in enumerate(normalised) if i not in used and hint in name),
                    None,
                )
            if found is not None:
                mapping[field.name] = names[found]
                used.add(found)
                break
    return mapping


def _source_key(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", text.strip().casefold())


def _revenue(text: str) -> Decimal:
    cleaned = re.sub(r"[\s$€£,]", "", text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite() or value < 0 or value > MAX_REVENUE:
        raise ValueError
    return value.quantize(Decimal("0.01"))


def read(
    source: IO[bytes], mapping: Mapping[str, str], default_source: str = "internal"
) -> list[FeedbackRow]:
    """Every row of the file as feedback, or ImportFailed listing each bad cell.

    `mapping` is {field: column name}; `text` must be mapped. Empty cells are allowed except
    the text; a row without a source takes `default_source`.
    """
    errors = ErrorCollector()
    unknown = set(mapping) - set(FIELD_NAMES)
    if unknown:
        raise ImportFailed([ImportErrorDetail(1, None, f"unknown field {sorted(unknown)[0]!r}")])
    if not mapping.get("text"):
        raise ImportFailed([ImportErrorDetail(1, None, "map a column to the feedback text")])
    records = iter_csv_records(source, errors, delimiter=None)
    first = next(records, None)
    if first is None:
        if not errors:
            errors.add(1, None, "the file is empty: it needs a header line")
        raise errors.failure()
    columns = CsvHeader(first[1], first[0])
    positions: dict[str, int] = {}
    for field, column in mapping.items():
        if not column:
            continue
        found = columns.first(column)
        if found is None:
            errors.add(first[0], None, f'the column "{column}" is not in the header')
        else:
            positions[field] = found
    errors.raise_if_any()

    rows: list[FeedbackRow] = []
    for line, cells in records:
        values: dict[str, str] = {
            field: cells[position].strip() for field, position in positions.items()
        }

        def bad(field: str, message: str, line: int = line) -> None:
            column = positions[field] + 1
            errors.add(line, column, f'column "{mapping[field]}": {message}')

        text = values.get("text", "")
        if not text:
            bad("text", "the feedback text is empty")
        elif len(text) > MAX_TEXT:
            bad("text", f"the text is longer than {MAX_TEXT:,} characters")
        source_value = default_source
        if values.get("source"):
            key = _source_key(values["source"])
            if key in SOURCES:
                source_value = key
            else:
                bad("source", f"{quote_value(values['source'])} is not one of {', '.join(SOURCES)}")
        email = values.get("customer_email", "").lower()
        if email and not _EMAIL.fullmatch(email):
            bad("customer_email", f"{quote_value(email)} is not an email address")
        revenue = None
        if values.get("customer_revenue"):
            try:
                revenue = _revenue(values["customer_revenue"])
            except ValueError:
                bad(
                    "customer_revenue",
                    f"{quote_value(values['customer_revenue'])} is not an amount like 120000 "
                    "or 120,000.50",
                )
        for field, limit in LIMITS.items():
            if len(values.get(field, "")) > limit:
                bad(field, f"longer than {limit} characters")
        received = None
        if values.get("received_at"):
            try:
                received = parse_datetime_text(values["received_at"])
            except ValueError:
                bad(
                    "received_at",
                    f"{quote_value(values['received_at'])} is not a date like 2024-03-05",
                )
        if errors:
            continue
        rows.append(
            FeedbackRow(
                line=line,
                text=text,
                source=source_value,
                customer_name=values.get("customer_name", ""),
                customer_email=email,
                customer_company=values.get("customer_company", ""),
                customer_segment=values.get("customer_segment", ""),
                customer_revenue=revenue,
                received_at=received,
            )
        )
    errors.raise_if_any()
    if not rows:
        raise ImportFailed([ImportErrorDetail(first[0], None, "the file has a header but no rows")])
    return rows
