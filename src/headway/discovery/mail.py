"""Feedback from email files: `.eml` messages and mbox mailboxes, read with the standard library.

Each message becomes a `MailFeedback`: the sender is the customer (their company guessed from
the address's domain, unless it is a free-mail provider), the text is the subject followed by
the plain-text body (an HTML-only body is reduced to text), attachments are ignored. A file or
message that cannot be read is reported as a `MailProblem` naming the file and skipped, so one
bad file never stops the others. Skipping messages already ingested is the caller's job: every
item carries its Message-ID (a stable one is derived when the header is missing).
"""

from __future__ import annotations

import email
import email.errors
import hashlib
import mailbox
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from html.parser import HTMLParser
from pathlib import Path

_MBOX_MAGIC = b"From "
_FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
        "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "yandex.ru",
        "yandex.com", "zoho.com", "fastmail.com", "hey.com", "qq.com", "163.com",
    }
)  # fmt: skip
_SECOND_LEVEL_LABELS = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})
#: Problems that mean "this message cannot be read", as opposed to a bug in this module.
_UNREADABLE = (ValueError, LookupError, UnicodeError, email.errors.MessageError)


@dataclass(frozen=True, slots=True)
class MailFeedback:
    """One email as feedback; `origin` says where it came from (file, and message number in
    an mbox) and `received_at` is the Date header in UTC, or None when it is missing."""

    message_id: str
    sender_name: str | None
    sender_email: str
    company: str | None
    subject: str
    text: str
    received_at: datetime | None
    origin: str


@dataclass(frozen=True, slots=True)
class MailProblem:
    """A file, or a message in an mbox (`message_number`, 1-based), that was skipped."""

    file: str
    message: str
    message_number: int | None = None

    def __str__(self) -> str:
        where = (
            self.file
            if self.message_number is None
            else f"{self.file}, message {self.message_number}"
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class MailBatch:
    """Everything read from some mail files: the feedback found and the problems skipped."""

    items: tuple[MailFeedback, ...]
    problems: tuple[MailProblem, ...]


class MailUnreadable(ValueError):
    """A message that is not a usable email; `field` names what is wrong with it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


_LINE_BREAK = "\x00"
_PARAGRAPH_BREAK = "\x01"


class _TextFromHtml(HTMLParser):
    """Collects the visible text of an HTML body: a line break after line-level blocks, a blank
    line after paragraph-level ones, every other run of whitespace a single space (as a browser
    renders it).

    HTMLParser only tokenises; nothing is fetched or run, and the result is plain text that is
    escaped wherever it is shown, like any other feedback.
    """

    _LINES = frozenset({"br", "div", "li", "tr", "dt", "dd"})
    _PARAGRAPHS = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol",
         "dl", "hr", "section", "article", "header", "footer"}
    )  # fmt: skip
    _HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def _break_for(self, tag: str) -> None:
        if tag in self._PARAGRAPHS:
            self.parts.append(_PARAGRAPH_BREAK)
        elif tag in self._LINES:
            self.parts.append(_LINE_BREAK)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden_depth += 1
        else:
            self._break_for(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break_for(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        else:
            self._break_for(tag)

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data.replace(_LINE_BREAK, "").replace(_PARAGRAPH_BREAK, ""))

    def text(self) -> str:
        spaced = re.sub(r"\s+", " ", "".join(self.parts))
        broken = re.sub(
            r" ?[\x00\x01][\x00\x01 ]*",
            lambda run: "\n\n" if _PARAGRAPH_BREAK in run.group() else "\n",
            spaced,
        )
        return broken.strip()


def html_to_text(html: str) -> str:
    """Reduce an HTML mail body to readable plain text (tags dropped, entities decoded)."""
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    return parser.text()


def company_from_domain(domain: str) -> str | None:
    """The organisation's domain behind an address (`mail.acme.co.uk` → `acme.co.uk`), or None
    for free-mail providers, whose users are individuals rather than a company."""
    labels = [label for label in domain.strip().strip(".").casefold().split(".") if label]
    if len(labels) < 2:
        return None
    keep = (
        3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL_LABELS and len(labels[-1]) == 2 else 2
    )
    registrable = ".".join(labels[-keep:])
    return None if registrable in _FREE_MAIL_DOMAINS else registrable


def _part_text(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except LookupError:
        # An unknown charset: decode as UTF-8 and mark what cannot be read, rather than refuse.
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = _part_text(body)
    if body.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _sender(message: EmailMessage) -> Address:
    header = message["From"]
    addresses = getattr(header, "addresses", ()) if header is not None else ()
    for address in addresses:
        if isinstance(address, Address) and address.username and address.domain:
            return address
    raise MailUnreadable("from", "it has no sender address (From header)")


def _received_at(message: EmailMessage) -> datetime | None:
    header = message["Date"]
    moment = getattr(header, "datetime", None) if header is not None else None
    if not isinstance(moment, datetime):
        return None
    # RFC 5322 "-0000" means "zone unknown", which the parser returns as naive: call it UTC.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_message(data: bytes, origin: str) -> MailFeedback:
    """Turn the bytes of one message into feedback; raises MailUnreadable if it is not one."""
    if not data.strip():
        raise MailUnreadable("message", "the file is empty")
    message = email.message_from_bytes(data, _class=EmailMessage, policy=policy.default)
    if not message.keys():
        raise MailUnreadable("message", "it is not an email: it has no headers")
    sender = _sender(message)
    subject = " ".join(str(message["Subject"] or "").split())
    body = _body_text(message)
    text = f"{subject}\n\n{body}".strip() if body else subject
    if not text:
        raise MailUnreadable("message", "it has neither a subject nor a text body")
    received_at = _received_at(message)
    message_id = " ".join(str(message["Message-ID"] or "").split())
    if not message_id:
        # A stable stand-in, so ingesting the same file twice still recognises the message.
        digest = hashlib.sha256(
            "\0".join((sender.addr_spec, str(received_at), subject, body)).encode()
        ).hexdigest()[:32]
        message_id = f"<{digest}@headway.invalid>"
    return MailFeedback(
        message_id=message_id,
        sender_name=" ".join(sender.display_name.split()) or None,
        sender_email=sender.addr_spec.casefold(),
        company=company_from_domain(sender.domain),
        subject=subject,
        text=text,
        received_at=received_at,
        origin=origin,
    )


def _expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                child
                for child in path.iterdir()
                if child.is_file() and not child.name.startswith(".")
            )
        else:
            yield path


def _mbox_messages(path: Path) -> Iterator[MailFeedback | MailProblem]:
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            try:
                yield parse_message(box.get_bytes(key), f"{path.name}#{number}")
            except MailUnreadable as exc:
                yield MailProblem(path.name, exc.message, number)
            except _UNREADABLE as exc:
                yield MailProblem(path.name, f"it cannot be read ({exc})", number)
    finally:
        box.close()


def iter_mail(paths: Iterable[str | os.PathLike[str]]) -> Iterator[MailFeedback | MailProblem]:
    """Stream feedback and problems from `.eml` files and mbox files (or directories of them).

    An mbox is recognised by its first line (`From `), whatever its name; it is read one message
    at a time. Unreadable files and messages come out as MailProblem, never as exceptions.
    """
    for path in _expand(paths):
        try:
            with path.open("rb") as stream:
                is_mbox = stream.read(len(_MBOX_MAGIC)) == _MBOX_MAGIC
            if is_mbox:
                yield from _mbox_messages(path)
            else:
                yield parse_message(path.read_bytes(), path.name)
        except MailUnreadable as exc:
            yield MailProblem(path.name, exc.message)
        except OSError as exc:
            yield MailProblem(path.name, f"it cannot be opened ({exc.strerror or exc})")
        except _UNREADABLE as exc:
            yield MailProblem(path.name, f"it cannot be read ({exc})")


def read_mail(paths: Iterable[str | os.PathLike[str]]) -> MailBatch:
    """Read every message of the given files into feedback items and a list of problems."""
    items: list[MailFeedback] = []
    problems: list[MailProblem] = []
    for outcome in iter_mail(paths):
        if isinstance(outcome, MailProblem):
            problems.append(outcome)
        else:
            items.append(outcome)
    return MailBatch(tuple(items), tuple(problems))
