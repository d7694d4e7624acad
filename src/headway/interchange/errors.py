"""Errors shared by the importers: line-accurate details and the exception that refuses a file.

Imports are all-or-nothing, so a parser does not stop at the first bad row: it keeps reading,
collects every problem (up to a cap, counting the rest) and raises `ImportFailed` once it knows
the whole list. The caller then refuses the file and shows that list.
"""

from __future__ import annotations

from dataclasses import dataclass

#: How many problems an `ImportFailed` lists; the rest are only counted.
MAX_LISTED_ERRORS = 1000


@dataclass(frozen=True, slots=True)
class ImportErrorDetail:
    """One problem in an imported file.

    `line` is the physical line as an editor shows it (the header is line 1); for a record that
    spans several lines it is the line where the record starts. `column` is the 1-based number
    of the CSV field, or the 1-based character column for JSON syntax errors, or None when the
    problem concerns the whole record rather than one position (the message then names the
    field).
    """

    line: int
    column: int | None
    message: str

    def as_dict(self) -> dict[str, int | str | None]:
        """The `{line, column, message}` shape of the API contract."""
        return {"line": self.line, "column": self.column, "message": self.message}


class ImportFailed(Exception):
    """The file is refused as a whole; `errors` lists every bad row (up to the cap).

    `total` counts all problems found, including those beyond the cap that are not listed.
    `field` and `message` follow the convention of Headway's validation errors so the API can
    turn this into a 422 naming the uploaded file.
    """

    field = "file"

    def __init__(
        self,
        errors: list[ImportErrorDetail] | tuple[ImportErrorDetail, ...],
        total: int | None = None,
    ) -> None:
        self.errors: tuple[ImportErrorDetail, ...] = tuple(errors)
        self.total: int = len(self.errors) if total is None else total
        shown = len(self.errors)
        if self.total == 1:
            self.message = "1 problem in the file; nothing was imported"
        elif shown < self.total:
            self.message = (
                f"{self.total} problems in the file (the first {shown} are listed); "
                "nothing was imported"
            )
        else:
            self.message = f"{self.total} problems in the file; nothing was imported"
        super().__init__(self.message)


class MappingInvalid(ValueError):
    """A column mapping or import option is wrong, before any row is read.

    `field` names the offending mapping key or option so the API can point at it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class ErrorCollector:
    """Gathers problems while a file streams past, listing at most `limit` of them."""

    __slots__ = ("_listed", "_total", "limit")

    def __init__(self, limit: int = MAX_LISTED_ERRORS) -> None:
        self.limit = limit
        self._listed: list[ImportErrorDetail] = []
        self._total = 0

    def add(self, line: int, column: int | None, message: str) -> None:
        """Record one problem; beyond the limit it is only counted."""
        self._total += 1
        if len(self._listed) < self.limit:
            self._listed.append(ImportErrorDetail(line, column, message))

    @property
    def total(self) -> int:
        """How many problems were found, listed or not."""
        return self._total

    def __bool__(self) -> bool:
        return self._total > 0

    def failure(self) -> ImportFailed:
        """The exception that refuses the file with everything collected so far."""
        return ImportFailed(self._listed, self._total)

    def raise_if_any(self) -> None:
        """Refuse the file if any problem was found."""
        if self._total:
            raise self.failure()


def quote_value(value: str, limit: int = 40) -> str:
    """A cell value shortened and quoted for an error message, so a 70,000-character
    description never floods the error list."""
    one_line = value.replace("\r", " ").replace("\n", " ")
    if len(one_line) > limit:
        one_line = one_line[: limit - 1] + "…"
    return f'"{one_line}"'
