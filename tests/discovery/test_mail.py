"""Feedback from `.eml` and mbox files: senders, bodies in every encoding, and bad files skipped."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest

from headway.discovery.mail import (
    MailFeedback,
    MailProblem,
    company_from_domain,
    html_to_text,
    iter_mail,
    read_mail,
)

MULTIPART = b"""\
From: Dana Whit <Dana@mail.acme.co.uk>
To: feedback@headway.example
Subject: Exports are slow
Date: Tue, 05 Mar 2024 10:15:00 +0100
Message-ID: <m1@acme.co.uk>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Exporting 10,000 rows takes a minute. Caf=C3=A9 staff wait.
>From then on we export at night.

--inner
Content-Type: text/html; charset=utf-8

<p>Exporting 10,000 rows takes <b>a minute</b>.</p>

--inner--

--outer
Content-Type: application/pdf
Content-Disposition: attachment; filename="timings.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcfsj6IKc2VjcmV0IGF0dGFjaG1lbnQ=

--outer--
"""

LATIN1_BODY = base64.b64encode("Grüße, the calendar is too small.\n".encode("latin-1")).decode()
BASE64_LATIN1 = f"""\
From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <jurgen@gmail.com>
Subject: =?utf-8?b?S2FsZW5kZXIgw7xiZXJzaWNodA==?=
Date: Wed, 06 Mar 2024 08:00:00 +0000
Message-ID: <m2@gmail.com>
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: base64

{LATIN1_BODY}
""".encode()

RESENT = b"""\
From: dana@acme.co.uk
Subject: Exports are slow (resent)
Date: Tue, 05 Mar 2024 11:00:00 +0100
Message-ID: <m1@acme.co.uk>

Sending again in case it got lost.
"""

HTML_ONLY = b"""\
From: "Lee, Support" <lee@bigcorp.com>
Subject: Portal feedback
Date: Thu, 07 Mar 2024 12:00:00 -0500
Message-ID: <html-1@bigcorp.com>
Content-Type: text/html; charset=utf-8

<html><head><title>ignored</title><style>p { color: red }</style></head>
<body><script>alert("x")</script><p>Votes &amp; comments&nbsp;are great.</p>
<div>Second&#32;line<br>third line</div></body></html>
"""


def mbox_of(*messages: bytes) -> bytes:
    parts = []
    for message in messages:
        escaped = b"\n".join(
            b">" + line if line.startswith(b"From ") else line for line in message.split(b"\n")
        )
        parts.append(b"From MAILER-DAEMON Thu Mar  7 12:00:00 2024\n" + escaped + b"\n")
    return b"".join(parts)


@pytest.fixture
def mailbox_file(tmp_path: Path) -> Path:
    path = tmp_path / "inbox.mbox"
    path.write_bytes(mbox_of(MULTIPART, BASE64_LATIN1, RESENT))
    return path


def feedback_items(outcomes: list[MailFeedback | MailProblem]) -> list[MailFeedback]:
    return [outcome for outcome in outcomes if isinstance(outcome, MailFeedback)]


# --- mbox ----------------------------------------------------------------------------------


def test_mbox_yields_its_three_messages_keeping_a_repeated_message_id(
    mailbox_file: Path,
) -> None:
    batch = read_mail([mailbox_file])
    assert batch.problems == ()
    assert [item.message_id for item in batch.items] == [
        "<m1@acme.co.uk>",
        "<m2@gmail.com>",
        "<m1@acme.co.uk>",
    ]
    assert [item.origin for item in batch.items] == ["inbox.mbox#1", "inbox.mbox#2", "inbox.mbox#3"]


def test_multipart_message_gives_sender_company_and_plain_text(mailbox_file: Path) -> None:
    first = read_mail([mailbox_file]).items[0]
    assert first.sender_name == "Dana Whit"
    assert first.sender_email == "dana@mail.acme.co.uk"
    assert first.company == "acme.co.uk"
    assert first.subject == "Exports are slow"
    assert first.received_at == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert first.text == (
        "Exports are slow\n\nExporting 10,000 rows takes a minute. Café staff wait.\n"
        ">From then on we export at night."
    )


def test_attachments_are_ignored(mailbox_file: Path) -> None:
    first = read_mail([mailbox_file]).items[0]
    assert "JVBER" not in first.text
    assert "secret attachment" not in first.text


def test_base64_latin1_body_and_encoded_headers_are_decoded(mailbox_file: Path) -> None:
    second = read_mail([mailbox_file]).items[1]
    assert second.sender_name == "Jürgen Müller"
    assert second.subject == "Kalender übersicht"
    assert second.text == "Kalender übersicht\n\nGrüße, the calendar is too small."
    assert second.company is None  # free mail: a person, not a company


# --- .eml ----------------------------------------------------------------------------------


def test_html_only_mail_becomes_plain_text_without_scripts_or_styles(tmp_path: Path) -> None:
    path = tmp_path / "portal.eml"
    path.write_bytes(HTML_ONLY)
    (item,) = read_mail([path]).items
    assert item.sender_name == "Lee, Support"
    assert item.company == "bigcorp.com"
    assert item.text == "Portal feedback\n\nVotes & comments are great.\n\nSecond line\nthird line"
    assert item.received_at == datetime(2024, 3, 7, 17, tzinfo=UTC)


def test_malformed_eml_is_reported_by_file_name_and_the_others_are_read(tmp_path: Path) -> None:
    (tmp_path / "a-good.eml").write_bytes(RESENT)
    (tmp_path / "b-no-sender.eml").write_bytes(b"Subject: who sent this?\n\nNobody knows.\n")
    (tmp_path / "c-not-mail.eml").write_bytes(b"\x00\x01\xff\xfe this is not an email\n")
    (tmp_path / "d-empty.eml").write_bytes(b"")
    (tmp_path / "e-good.eml").write_bytes(HTML_ONLY)
    batch = read_mail([tmp_path])
    assert [item.origin for item in batch.items] == ["a-good.eml", "e-good.eml"]
    assert [(problem.file, problem.message) for problem in batch.problems] == [
        ("b-no-sender.eml", "it has no sender address (From header)"),
        ("c-not-mail.eml", "it is not an email: it has no headers"),
        ("d-empty.eml", "the file is empty"),
    ]
    assert str(batch.problems[0]) == "b-no-sender.eml: it has no sender address (From header)"


def test_a_bad_message_inside_an_mbox_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "mixed.mbox"
    path.write_bytes(mbox_of(RESENT, b"Subject: no sender\n\nbody\n", HTML_ONLY))
    outcomes = list(iter_mail([path]))
    problems = [outcome for outcome in outcomes if isinstance(outcome, MailProblem)]
    assert len(feedback_items(outcomes)) == 2
    assert [(p.file, p.message_number) for p in problems] == [("mixed.mbox", 2)]
    assert str(problems[0]).startswith("mixed.mbox, message 2:")


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    batch = read_mail([tmp_path / "nowhere.eml"])
    assert batch.items == ()
    assert batch.problems[0].file == "nowhere.eml"


def test_missing_message_id_gets_a_stable_stand_in(tmp_path: Path) -> None:
    path = tmp_path / "no-id.eml"
    path.write_bytes(b"From: a@b.example\nSubject: Hi\n\nHello\n")
    first = read_mail([path]).items[0]
    second = read_mail([path]).items[0]
    assert first.message_id == second.message_id
    assert first.message_id.endswith("@headway.invalid>")
    assert first.received_at is None


def test_an_unknown_charset_is_decoded_as_utf8_rather_than_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.eml"
    path.write_bytes(
        b"From: a@b.example\nSubject: Odd\nContent-Type: text/plain; charset=klingon\n\n"
        + "naïve".encode()
        + b"\n"
    )
    assert read_mail([path]).items[0].text == "Odd\n\nnaïve"


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "company"),
    [
        ("acme.com", "acme.com"),
        ("mail.eu.acme.com", "acme.com"),
        ("acme.co.uk", "acme.co.uk"),
        ("eng.acme.co.uk", "acme.co.uk"),
        ("GMAIL.com", None),
        ("localhost", None),
    ],
)
def test_company_comes_from_the_registrable_domain(domain: str, company: str | None) -> None:
    assert company_from_domain(domain) == company


def test_html_to_text_keeps_text_and_drops_markup() -> None:
    assert html_to_text("<ul><li>one</li><li>two &lt;3</li></ul>") == "one\ntwo <3"
    assert html_to_text("<p>a\n  b</p><p>c<br/>d</p>") == "a b\n\nc\nd"
