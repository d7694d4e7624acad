"""Reading a large JSON document piece by piece, so a backup never has to fit in memory.

`JsonStream` walks the structure a caller expects (an object's keys, an array's elements) and
decodes each value with `json.JSONDecoder.raw_decode` from a buffer refilled in 64 KiB chunks;
the consumed part of the buffer is dropped, so memory holds one value plus a chunk. Errors say
where they happened (line and column).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

_CHUNK = 1 << 16
_BLANK = " \t\r\n"


class JsonSyntaxError(ValueError):
    """The document is not the JSON the reader expected here."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.line = line
        self.column = column


class JsonStream:
    """A cursor over the JSON text in `stream`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.buffer = ""
        self.position = 0
        self.line = 1  # line and column of buffer[0]
        self.column = 1
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.position > _CHUNK:
            self.line, self.column = self.where()
            self.buffer = self.buffer[self.position :]
            self.position = 0
        self.buffer += chunk
        return True

    def where(self) -> tuple[int, int]:
        """The line and column (1-based) of the cursor."""
        before = self.buffer[: self.position]
        newlines = before.count("\n")
        if newlines:
            return self.line + newlines, self.position - before.rfind("\n")
        return self.line, self.column + self.position

    def fail(self, message: str) -> JsonSyntaxError:
        line, column = self.where()
        return JsonSyntaxError(message, line, column)

    def peek(self) -> str:
        """The next significant character, without consuming it ("" at the end)."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in _BLANK:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self._fill():
                return ""

    def expect(self, character: str) -> None:
        """Consume `character`, which must come next."""
        found = self.peek()
        if found != character:
            raise self.fail(f"expected {character!r} but found {found or 'the end'!r}")
        self.position += 1

    def value(self) -> Any:
        """Decode the next JSON value."""
        self.peek()
        while True:
            try:
                decoded, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if not self.eof and error.pos >= len(self.buffer) - 64:
                    if self._fill():
                        continue
                raise self.fail(f"not valid JSON: {error.msg}") from None
            # A number at the very end of the buffer may continue in the next chunk.
            if end == len(self.buffer) and not self.eof and self._fill():
                continue
            self.position = end
            return decoded

    def keys(self) -> Iterator[str]:
        """Iterate the keys of the object that starts here; read each value before the next."""
        self.expect("{")
        if self.peek() == "}":
            self.position += 1
            return
        while True:
            key = self.value()
            if not isinstance(key, str):
                raise self.fail("expected a key")
            self.expect(":")
            yield key
            separator = self.peek()
            self.position += 1
            if separator == "}":
                return
            if separator != ",":
                self.position -= 1
                raise self.fail("expected ',' or '}'")

    def items(self) -> Iterator[None]:
        """Iterate the elements of the array that starts here; read each one before the next."""
        self.expect("[")
        if self.peek() == "]":
            self.position += 1
            return
        while True:
            yield None
            separator = self.peek()
            self.position += 1
            if separator == "]":
                return
            if separator != ",":
                self.position -= 1
                raise self.fail("expected ',' or ']'")

    def end(self) -> None:
        """Nothing but blanks may follow the document."""
        if self.peek() != "":
            raise self.fail("unexpected text after the end of the document")
