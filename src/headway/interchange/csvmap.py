"""Streaming CSV reading with line-accurate errors, value parsers, and the generic mapped import.

The reading layer is shared with the Jira importer: it decodes UTF-8 (with or without a
byte-order mark) line by line, so a file is never held in memory and every record knows the
physical line it starts on, even when a quoted field spans many lines.

The generic import turns any CSV into rows of features, stories, feedback or ideas through a
column mapping `{target field: CSV header}`, checking each value against the field's type.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import IO, Literal

from headway.interchange.errors import ErrorCollector, MappingInvalid, quote_value

#: Where a CSV comes from: a path, or an open binary stream (an upload) that the caller closes.
CsvSource = str | os.PathLike[str] | IO[bytes]

#: The longest field accepted, in characters. Real Jira descriptions reach ~74,000 characters;
#: a much larger field almost always means a quote that is never closed, and refusing it early
#: keeps a broken file from being read into one enormous string.
FIELD_SIZE_LIMIT = 1 << 20


class _UndecodableLine(Exception):
    """A line that is not UTF-8; raised out of the line generator, through the csv reader."""

    def __init__(self, line: int, byte_offset: int) -> None:
        super().__init__(line, byte_offset)
        self.line = line
        self.byte_offset = byte_offset


def _normalise_header_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class CsvHeader:
    """The header row: column names and a case-insensitive lookup that keeps repeated names."""

    __slots__ = ("_positions", "line", "names")

    def __init__(self, names: list[str], line: int) -> None:
        self.names: tuple[str, ...] = tuple(name.strip() for name in names)
        self.line = line
        self._positions: dict[str, list[int]] = {}
        for index, name in enumerate(self.names):
            self._positions.setdefault(_normalise_header_name(name), []).append(index)

    def positions(self, name: str) -> list[int]:
        """Every 0-based position of a column name (Jira repeats names for multi-valued fields)."""
        return list(self._positions.get(_normalise_header_name(name), ()))

    def first(self, *names: str) -> int | None:
        """The position of the first of `names` present in the header, or None."""
        for name in names:
            found = self._positions.get(_normalise_header_name(name))
            if found:
                return found[0]
        return None

    def all_of(self, *names: str) -> list[int]:
        """The positions of all columns carrying any of `names`, in file order."""
        found: list[int] = []
        for name in names:
            found.extend(self._positions.get(_normalise_header_name(name), ()))
        return sorted(found)


def _decoded_lines(stream: IO[bytes]) -> Iterator[str]:
    # Splitting the bytes on "\n" ourselves (rather than letting a text wrapper decode in 8 KiB
    # chunks) makes line numbers match an editor's for LF and CRLF files, and pins an encoding
    # error to its exact line.
    number = 0
    try:
        for number, raw in enumerate(stream, start=1):
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise _UndecodableLine(number, exc.start) from exc


def _open_binary(source: CsvSource, stack: ExitStack) -> IO[bytes]:
    if isinstance(source, str | os.PathLike):
        return stack.enter_context(open(source, "rb"))
    return source


def _sniff_delimiter(first_line: str) -> str:
    counts = {candidate: first_line.count(candidate) for candidate in (",", ";", "\t")}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def iter_csv_records(
    source: CsvSource, errors: ErrorCollector, *, delimiter: str | None = ","
) -> Iterator[tuple[int, list[str]]]:
    """Yield `(line, fields)` for the header and then each record of a CSV file.

    `line` is the physical line the record starts on (the header is normally line 1). Blank
    lines are skipped. A record whose number of fields differs from the header's is reported to
    `errors` and not yielded. Broken quoting or a non-UTF-8 byte is reported and ends the
    reading, because the record boundaries after it cannot be trusted. `delimiter=None` picks
    the most frequent of comma, semicolon and tab on the first line.
    """
    # The limit is process-wide: only ever raise it, so no other reader is surprised.
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    with ExitStack() as stack:
        lines = _decoded_lines(_open_binary(source, stack))
        if delimiter is None:
            try:
                first = next(lines, "")
            except _UndecodableLine as exc:
                _report_undecodable(errors, exc)
                return
            delimiter = _sniff_delimiter(first)
            lines = _chain_first(first, lines)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        previous_line = 0
        expected_width: int | None = None
        while True:
            start = previous_line + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except _UndecodableLine as exc:
                _report_undecodable(errors, exc)
                return
            except csv.Error as exc:
                _report_broken_quoting(errors, start, reader.line_num, str(exc))
                return
            previous_line = reader.line_num
            if not fields:
                continue
            if expected_width is None:
                expected_width = len(fields)
            elif len(fields) != expected_width:
                errors.add(
                    start,
                    None,
                    f"this record has {len(fields)} fields but the header has {expected_width}; "
                    "check its quotes and delimiters",
                )
                continue
            yield start, fields


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _report_undecodable(errors: ErrorCollector, exc: _UndecodableLine) -> None:
    errors.add(
        exc.line,
        None,
        f"the file is not UTF-8 text (undecodable byte at position {exc.byte_offset + 1} of "
        "this line); save or export it as CSV UTF-8. Reading stopped here.",
    )


def _report_broken_quoting(errors: ErrorCollector, start: int, seen: int, reason: str) -> None:
    if "field larger than field limit" in reason:
        detail = (
            f"a field is longer than {FIELD_SIZE_LIMIT:,} characters, most likely a quote that "
            "is never closed"
        )
    elif "unexpected end of data" in reason:
        detail = "a quoted field that starts in this record is never closed"
    else:
        detail = f"broken quoting ({reason})"
    where = "" if seen <= start else f" (noticed on line {seen})"
    errors.add(start, None, f"{detail}{where}. Reading stopped here.")


# --- value parsers, shared with the Jira importer -------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_JIRA_DATETIME = re.compile(
    r"(\d{1,2})/([A-Za-z]{3})/(\d{4}|\d{2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)

DATETIME_EXPECTED = "a date and time like 30/Sep/21 17:20, 12/Jan/26 9:30 AM or 2021-09-30 17:20"
DATE_EXPECTED = "a date like 2021-09-30 or 30/Sep/21"


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        # The POSIX %y pivot: 69-99 are the 1900s, 00-68 the 2000s.
        year += 1900 if year >= 69 else 2000
    return year


def parse_datetime_text(text: str, tz: tzinfo = UTC) -> datetime:
    """Parse a Jira or ISO 8601 date-time into an aware UTC datetime.

    Accepts `30/Sep/21 17:20`, `12/Jan/26 9:30 AM`, `30/Sep/2021 17:20:05`, a bare `30/Sep/21`,
    and ISO forms (`2021-09-30 17:20`, `2021-09-30T17:20:00Z`, `...+02:00`). A time without a
    zone is read in `tz` (Jira writes times in the exporting user's zone). Raises ValueError.
    """
    text = text.strip()
    match = _JIRA_DATETIME.fullmatch(text)
    if match is None:
        parsed = datetime.fromisoformat(text)
    else:
        day, month_name, year, hour, minute, second, meridiem = match.groups()
        month = _MONTHS.get(month_name.casefold())
        if month is None:
            raise ValueError(f"unknown month {month_name!r}")
        hours = int(hour) if hour else 0
        if meridiem:
            if not 1 <= hours <= 12:
                raise ValueError("hour out of range for AM/PM")
            hours = hours % 12 + (12 if meridiem.casefold() == "pm" else 0)
        parsed = datetime(
            _full_year(year),
            month,
            int(day),
            hours,
            int(minute) if minute else 0,
            int(second) if second else 0,
            tzinfo=tz,
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


def parse_date_text(text: str) -> date:
    """Parse `2021-09-30` or Jira's `30/Sep/21` into a date. Raises ValueError."""
    text = text.strip()
    match = _JIRA_DATETIME.fullmatch(text)
    if match is None:
        return date.fromisoformat(text)
    day, month_name, year, hour, *_ = match.groups()
    month = _MONTHS.get(month_name.casefold())
    if month is None or hour is not None:
        raise ValueError("not a plain date")
    return date(_full_year(year), month, int(day))


def parse_number_text(text: str) -> float:
    """Parse `3`, `2.5` or a decimal comma `2,5` into a finite float. Raises ValueError."""
    text = text.strip()
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return value


# --- the generic mapped import ----------------------------------------------------------------

FieldType = Literal["str", "int", "float", "date", "datetime", "choice", "list"]
CellValue = str | int | float | date | datetime | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A target field a CSV column can be mapped to: its type, and whether a value is needed."""

    name: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()


def _spec(
    name: str, kind: FieldType = "str", *, required: bool = False, choices: str = ""
) -> FieldSpec:
    return FieldSpec(name, kind, required, tuple(choices.split()))


TARGET_FIELDS: Mapping[str, tuple[FieldSpec, ...]] = {
    "features": (
        _spec("title", required=True),
        _spec("description"),
        _spec(
            "kind",
            "choice",
            choices="customer_feature enhancement technical_enabler tech_debt research_spike",
        ),
        _spec("status"),
        _spec("points", "float"),
        _spec("initiative"),
        _spec("release"),
        _spec("start_date", "date"),
        _spec("end_date", "date"),
        _spec("done_at", "datetime"),
        _spec("moscow", "choice", choices="must should could wont"),
        _spec("labels", "list"),
        _spec("external_id"),
    ),
    "stories": (
        _spec("feature", required=True),
        _spec("title"),
        _spec("as_a"),
        _spec("i_want"),
        _spec("so_that"),
        _spec("description"),
        _spec("points", "float"),
        _spec("status"),
        _spec("done_at", "datetime"),
        _spec("external_id"),
    ),
    "feedback": (
        _spec("text", required=True),
        _spec(
            "source",
            "choice",
            choices="portal email sales_call support_ticket interview survey app_review internal",
        ),
        _spec("customer_name"),
        _spec("customer_company"),
        _spec("customer_segment"),
        _spec("customer_revenue", "float"),
        _spec("importance", "choice", choices="nice important critical"),
        _spec("received_at", "datetime"),
        _spec("idea"),
        _spec("external_id"),
    ),
    "ideas": (
        _spec("title", required=True),
        _spec("description"),
        _spec(
            "status",
            "choice",
            choices="new under_review planned in_progress shipped declined duplicate",
        ),
        _spec("votes", "int"),
        _spec("created_at", "datetime"),
        _spec("external_id"),
    ),
}

#: Fields of which at least one must have a value in each row (a story's title defaults from
#: its "I want").
_ONE_OF: Mapping[str, tuple[str, ...]] = {"stories": ("title", "i_want")}

_EXPECTED = {
    "int": "a whole number",
    "float": "a number like 3 or 2.5",
    "date": DATE_EXPECTED,
    "datetime": DATETIME_EXPECTED,
}


@dataclass(frozen=True, slots=True)
class MappedRow:
    """One imported row: its line in the file and the parsed value of every mapped field
    (None where the cell is empty).

    `columns` gives, per mapped field, the 1-based column its value was read from (the first
    of a repeated header), so a writer that checks a value further (a reference to another
    record, a status name) can point at the cell as precisely as the parser does.
    """

    line: int
    values: Mapping[str, CellValue]
    columns: Mapping[str, int] = field(default_factory=dict, compare=False)


def check_mapping(kind: str, mapping: Mapping[str, str]) -> tuple[FieldSpec, ...]:
    """Validate a column mapping for a target kind; return the specs of the mapped fields.

    Raises MappingInvalid naming the unknown kind, an unknown target field, an empty header
    name, or a required field left unmapped.
    """
    if kind not in TARGET_FIELDS:
        raise MappingInvalid("kind", f"must be one of {', '.join(TARGET_FIELDS)}")
    specs = {spec.name: spec for spec in TARGET_FIELDS[kind]}
    for target, header in mapping.items():
        if target not in specs:
            raise MappingInvalid(
                f"mapping.{target}",
                f"{kind} have no field {target!r}; known fields: {', '.join(specs)}",
            )
        if not header.strip():
            raise MappingInvalid(f"mapping.{target}", "name the CSV column to read it from")
    for spec in specs.values():
        if spec.required and spec.name not in mapping:
            raise MappingInvalid(f"mapping.{spec.name}", "is required; map a column to it")
    one_of = _ONE_OF.get(kind)
    if one_of and not any(name in mapping for name in one_of):
        raise MappingInvalid(f"mapping.{one_of[0]}", f"map a column to one of {', '.join(one_of)}")
    return tuple(specs[target] for target in mapping)


def _choice_key(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", text.strip().casefold().replace("'", "").replace("’", ""))


def _convert(spec: FieldSpec, text: str, tz: tzinfo) -> CellValue:
    """Parse one non-empty cell according to its spec; raises ValueError with what was expected."""
    if spec.type == "str":
        return text.replace("\r\n", "\n").strip()
    if spec.type == "choice":
        key = _choice_key(text)
        if key not in spec.choices:
            raise ValueError(f"one of {', '.join(spec.choices)}")
        return key
    try:
        if spec.type == "int":
            return int(text.strip())
        if spec.type == "float":
            return parse_number_text(text)
        if spec.type == "date":
            return parse_date_text(text)
        return parse_datetime_text(text, tz)
    except ValueError:
        raise ValueError(_EXPECTED[spec.type]) from None


def iter_mapped_csv(
    source: CsvSource,
    kind: str,
    mapping: Mapping[str, str],
    *,
    delimiter: str | None = None,
    tz: tzinfo = UTC,
    list_separator: str = ",",
    max_errors: int | None = None,
) -> Iterator[MappedRow]:
    """Stream a CSV as rows of `kind` (features, stories, feedback or ideas) through `mapping`.

    `mapping` is `{target field: CSV header}`; a header repeated in the file feeds a list field
    with every column. Raises MappingInvalid before reading if the mapping is wrong, ImportFailed
    before the first row if a mapped header is missing, and ImportFailed after the last row if
    any row was bad, listing every bad row with its line, column and what was expected.
    """
    specs = check_mapping(kind, mapping)
    errors = ErrorCollector() if max_errors is None else ErrorCollector(max_errors)
    records = iter_csv_records(source, errors, delimiter=delimiter)
    first = next(records, None)
    if first is None:
        if not errors:
            errors.add(1, None, "the file is empty: it needs a header line")
        raise errors.failure()
    header_line, names = first
    header = CsvHeader(names, header_line)
    columns: list[tuple[FieldSpec, str, list[int]]] = []
    for spec in specs:
        wanted = mapping[spec.name].strip()
        positions = header.positions(wanted)
        if not positions:
            errors.add(
                header_line,
                None,
                f'the column "{wanted}" (mapped to {spec.name}) is not in the header; '
                f"the header has: {', '.join(header.names)}",
            )
        columns.append((spec, wanted, positions))
    errors.raise_if_any()
    one_of = _ONE_OF.get(kind, ())

    for line, fields in records:
        values: dict[str, CellValue] = {}
        cell_columns: dict[str, int] = {}
        row_ok = True
        for spec, wanted, positions in columns:
            cells = [fields[position] for position in positions]
            present = [cell for cell in cells if cell.strip()]
            cell_columns[spec.name] = positions[cells.index(present[0]) if present else 0] + 1
            if not present:
                values[spec.name] = None
                if spec.required:
                    errors.add(
                        line, positions[0] + 1, f'column "{wanted}" ({spec.name}) needs a value'
                    )
                    row_ok = False
                continue
            if spec.type == "list":
                parts: list[str] = []
                for cell in present:
                    parts.extend(p.strip() for p in cell.split(list_separator) if p.strip())
                values[spec.name] = tuple(parts)
                continue
            position = positions[cells.index(present[0])]
            try:
                values[spec.name] = _convert(spec, present[0], tz)
            except ValueError as exc:
                errors.add(
                    line,
                    position + 1,
                    f'column "{wanted}" ({spec.name}): {quote_value(present[0])} is not valid; '
                    f"expected {exc}",
                )
                row_ok = False
        if one_of and all(values.get(name) is None for name in one_of if name in values):
            errors.add(line, None, f"needs a value in one of: {', '.join(one_of)}")
            row_ok = False
        if row_ok and not errors:
            yield MappedRow(line, values, cell_columns)
    errors.raise_if_any()
