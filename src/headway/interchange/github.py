"""GitHub issues in the REST API's JSON format: a streaming parser for an array or JSON lines.

A JSON array (what `GET /repos/{owner}/{repo}/issues` returns, or a file of several pages
joined) is decoded one element at a time with `json.JSONDecoder.raw_decode` over 64 KiB chunks,
so memory holds one issue plus a chunk, never the file; a single element may not exceed
`MAX_ELEMENT_CHARS`. JSON lines are decoded line by line. Pull requests (objects with a
`pull_request` key) are skipped. Every time becomes an aware UTC datetime, whether GitHub wrote
`Z` or `+00:00`.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from headway.interchange.errors import MAX_LISTED_ERRORS, ErrorCollector, quote_value

#: Where GitHub JSON comes from: a path, or an open binary stream the caller closes.
JsonSource = str | os.PathLike[str] | IO[bytes]

_CHUNK_BYTES = 1 << 16
#: The largest single issue object accepted, in characters (GitHub caps a body at 65,536).
MAX_ELEMENT_CHARS = 16 << 20
_BOM = b"\xef\xbb\xbf"
_REPOSITORY_FROM_API = re.compile(r"https?://[^/]+/(?:api/v3/)?repos/([^/]+/[^/?#]+)")
_REPOSITORY_FROM_HTML = re.compile(r"https?://[^/]+/([^/]+/[^/?#]+)/(?:issues|pull)/\d+")
_TIME_EXPECTED = "an ISO 8601 time with a zone, like 2019-04-12T03:00:37Z"


@dataclass(frozen=True, slots=True)
class GitHubMilestone:
    """An issue's milestone, which becomes a release."""

    title: str
    due_on: datetime | None


@dataclass(frozen=True, slots=True)
class GitHubIssue:
    """One GitHub issue (never a pull request); `line` is where its object starts in the file."""

    line: int
    number: int
    title: str
    body: str
    state: str
    created_at: datetime
    closed_at: datetime | None
    labels: tuple[str, ...]
    milestone: GitHubMilestone | None
    html_url: str | None
    repository: str | None

    @property
    def source_key(self) -> str:
        """What a re-import matches on: `github:owner/repo#number`."""
        return f"github:{self.repository or ''}#{self.number}"


class _Invalid(ValueError):
    """A field of an issue object holds something unusable; the message names the field."""


def _time(value: Any, field: str, *, required: bool) -> datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{field}: expected {_TIME_EXPECTED}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{field}: {quote_value(value)} is not {_TIME_EXPECTED}") from None
    if parsed.tzinfo is None:
        raise _Invalid(f"{field}: {quote_value(value)} has no time zone; expected {_TIME_EXPECTED}")
    return parsed.astimezone(UTC)


def _labels(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid("labels: expected a list of labels")
    names: list[str] = []
    for label in value:
        name = label.get("name") if isinstance(label, dict) else label
        if not isinstance(name, str):
            raise _Invalid("labels: each label needs a name")
        if name.strip():
            names.append(name.strip())
    return tuple(names)


def _milestone(value: Any) -> GitHubMilestone | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("title"), str):
        raise _Invalid("milestone: expected an object with a title")
    return GitHubMilestone(
        value["title"].strip(), _time(value.get("due_on"), "milestone.due_on", required=False)
    )


def _repository(item: dict[str, Any]) -> str | None:
    for field, pattern in (
        ("repository_url", _REPOSITORY_FROM_API),
        ("html_url", _REPOSITORY_FROM_HTML),
    ):
        url = item.get(field)
        if isinstance(url, str) and (match := pattern.match(url)):
            return match.group(1)
    repository = item.get("repository")
    if isinstance(repository, dict) and isinstance(repository.get("full_name"), str):
        return str(repository["full_name"])
    return None


def _issue(item: dict[str, Any], line: int) -> GitHubIssue:
    number = item.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise _Invalid("number: expected a positive whole number")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _Invalid("title: needs a value")
    body = item.get("body")
    if body is not None and not isinstance(body, str):
        raise _Invalid("body: expected text or null")
    state = item.get("state")
    if state not in ("open", "closed"):
        raise _Invalid(f"state: expected open or closed, not {state!r}")
    html_url = item.get("html_url")
    created_at = _time(item.get("created_at"), "created_at", required=True)
    assert created_at is not None
    return GitHubIssue(
        line=line,
        number=number,
        title=title.strip(),
        body=(body or "").replace("\r\n", "\n"),
        state=state,
        created_at=created_at,
        closed_at=_time(item.get("closed_at"), "closed_at", required=False),
        labels=_labels(item.get("labels")),
        milestone=_milestone(item.get("milestone")),
        html_url=html_url if isinstance(html_url, str) else None,
        repository=_repository(item),
    )


class GitHubIssueReader:
    """Iterates the issues of a GitHub JSON file; counts the pull requests it skips.

    Iterating raises ImportFailed after the last issue if anything was wrong (every bad object
    listed with its line), or as soon as the JSON itself is broken in an array, since nothing
    after a syntax error can be located reliably. In JSON lines each line stands alone, so every
    broken line is listed. No issue is yielded once a problem is found.
    """

    def __init__(self, source: JsonSource, *, max_errors: int = MAX_LISTED_ERRORS) -> None:
        self.source = source
        self.errors = ErrorCollector(max_errors)
        self.skipped_pull_requests = 0
        self._seen: dict[tuple[str | None, int], int] = {}

    def __iter__(self) -> Iterator[GitHubIssue]:
        with ExitStack() as stack:
            if isinstance(self.source, str | os.PathLike):
                stream: IO[bytes] = stack.enter_context(open(self.source, "rb"))
            else:
                stream = self.source
            first = stream.read(_CHUNK_BYTES)
            if first.startswith(_BOM):
                first = first[len(_BOM) :]
            objects: Iterator[tuple[int, Any]]
            if not first.strip():
                self.errors.add(1, None, "the file is empty")
                objects = iter(())
            elif first.lstrip()[:1] == b"[":
                objects = self._array_objects(first, stream)
            else:
                objects = self._line_objects(first, stream)
            for line, item in objects:
                issue = self._accept(line, item)
                if issue is not None and not self.errors:
                    yield issue
        self.errors.raise_if_any()

    def _accept(self, line: int, item: Any) -> GitHubIssue | None:
        if not isinstance(item, dict):
            self.errors.add(line, None, "expected an issue object")
            return None
        if "pull_request" in item:
            self.skipped_pull_requests += 1
            return None
        try:
            issue = _issue(item, line)
        except _Invalid as exc:
            self.errors.add(line, None, str(exc))
            return None
        identity = (issue.repository, issue.number)
        if identity in self._seen:
            self.errors.add(
                line, None, f"issue #{issue.number} already appears on line {self._seen[identity]}"
            )
            return None
        self._seen[identity] = line
        return issue

    def _line_objects(self, first: bytes, stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
        for number, raw in enumerate(_lines(first, stream), start=1):
            try:
                text = raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                self.errors.add(number, exc.start + 1, "not UTF-8 text")
                continue
            if not text.strip():
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                self.errors.add(number, exc.colno, f"not valid JSON: {exc.msg}")

    def _array_objects(self, first: bytes, stream: IO[bytes]) -> Iterator[tuple[int, Any]]:
        chunks = _ArrayChunks(first, stream)
        try:
            yield from chunks.elements()
        except _BrokenJson as exc:
            self.errors.add(exc.line, exc.column, f"{exc.message}. Reading stopped here.")


def iter_github_issues(
    source: JsonSource, *, max_errors: int = MAX_LISTED_ERRORS
) -> Iterator[GitHubIssue]:
    """Stream the issues (not pull requests) of a GitHub JSON array or JSON lines file.

    Raises ImportFailed listing every problem (`{line, column, message}`) once the file has
    been read; use `GitHubIssueReader` directly to also learn how many pull requests were
    skipped.
    """
    return iter(GitHubIssueReader(source, max_errors=max_errors))


def _lines(first: bytes, stream: IO[bytes]) -> Iterator[bytes]:
    *complete, tail = first.split(b"\n")
    for line in complete:
        yield line + b"\n"
    if tail:
        tail += stream.readline()
        yield tail
    yield from stream


class _BrokenJson(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(line, column, message)
        self.line = line
        self.column = column
        self.message = message


class _ArrayChunks:
    """Walks a top-level JSON array chunk by chunk, keeping track of line and column."""

    def __init__(self, first: bytes, stream: IO[bytes]) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.json = json.JSONDecoder()
        self.buffer = ""
        self.position = 0
        # Line and column of buffer[0] in the file, 1-based.
        self.base_line = 1
        self.base_column = 1
        self.eof = False
        self._feed(first)

    def _feed(self, data: bytes) -> None:
        try:
            self.buffer += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            readable = data[: max(exc.start, 0)].decode("utf-8", errors="replace")
            line, column = self._where(len(self.buffer) + len(readable))
            self.buffer += readable
            raise _BrokenJson(line, column, "not UTF-8 text") from exc
        if not data:
            self.eof = True

    def _read_more(self, at_least: int = _CHUNK_BYTES) -> None:
        self._feed(self.stream.read(max(at_least, _CHUNK_BYTES)))

    def _where(self, position: int) -> tuple[int, int]:
        newlines = self.buffer.count("\n", 0, position)
        if not newlines:
            return self.base_line, self.base_column + position
        return self.base_line + newlines, position - self.buffer.rfind("\n", 0, position)

    def _drop_consumed(self) -> None:
        # Dropping the parsed prefix keeps the buffer near one chunk instead of the whole file.
        if self.position < _CHUNK_BYTES:
            return
        self.base_line, self.base_column = self._where(self.position)
        self.buffer = self.buffer[self.position :]
        self.position = 0

    def _next_significant(self) -> str:
        """The next non-blank character, reading more as needed; "" at the end of the file."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in " \t\r\n":
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if self.eof:
                return ""
            self._drop_consumed()
            self._read_more()

    def _fail(self, message: str, position: int | None = None) -> _BrokenJson:
        line, column = self._where(self.position if position is None else position)
        return _BrokenJson(line, column, message)

    def elements(self) -> Iterator[tuple[int, Any]]:
        """Yield `(line, value)` for each element of the array."""
        if self._next_significant() != "[":
            raise self._fail("expected a JSON array starting with [")
        self.position += 1
        if self._next_significant() == "]":
            self.position += 1
            self._expect_end()
            return
        while True:
            if self._next_significant() == "":
                raise self._fail("the array is never closed with ]")
            start = self.position
            line, _ = self._where(start)
            yield line, self._decode_element()
            self._drop_consumed()
            separator = self._next_significant()
            if separator == "]":
                self.position += 1
                self._expect_end()
                return
            if separator != ",":
                raise self._fail(
                    "expected , or ] after an array element"
                    if separator
                    else "the array is never closed with ]"
                )
            self.position += 1

    def _decode_element(self) -> Any:
        while True:
            try:
                value, end = self.json.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as exc:
                truncated = exc.pos >= len(self.buffer) - 16 or exc.msg.startswith("Unterminated")
                if self.eof or not truncated:
                    raise self._fail(f"not valid JSON: {exc.msg}", exc.pos) from None
                if len(self.buffer) - self.position > MAX_ELEMENT_CHARS:
                    raise self._fail(
                        f"an element is larger than {MAX_ELEMENT_CHARS:,} characters"
                    ) from None
                # Read as much again as the element has so far, so a huge element costs
                # a logarithmic number of retries rather than one per chunk.
                self._read_more(len(self.buffer) - self.position)
                continue
            self.position = end
            return value

    def _expect_end(self) -> None:
        if self._next_significant() != "":
            raise self._fail("unexpected text after the closing ]")
