"""`headway ingest-mail`: emails become feedback from their senders, once, and a bad file is
named and skipped while the others go in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from headway.discovery.models import Customer, Feedback
from tests.conftest import World

MESSAGE = """\
From: Dana Whit <Dana@mail.acme.co.uk>
To: feedback@headway.example
Subject: Exports are slow
Date: Tue, 05 Mar 2024 10:15:00 +0100
Message-ID: <{mid}@acme.co.uk>
Content-Type: text/plain; charset=utf-8

Exporting 10,000 rows takes a minute.
"""


def write(folder: Path, name: str, mid: str) -> Path:
    path = folder / name
    path.write_text(MESSAGE.format(mid=mid))
    return path


def ingest(world: World, *paths: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "ingest-mail", *map(str, paths), "--product", str(world.product.pk), stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def test_an_email_becomes_feedback_from_its_sender(world: World, tmp_path: Path) -> None:
    out, _ = ingest(world, write(tmp_path, "one.eml", "m1"))
    feedback = Feedback.objects.get()
    assert feedback.text == "Exports are slow\n\nExporting 10,000 rows takes a minute."
    assert feedback.source == "email"
    assert feedback.message_id == "<m1@acme.co.uk>"
    assert feedback.created.isoformat() == "2024-03-05T09:15:00+00:00"
    assert (feedback.customer.name, feedback.customer.email, feedback.customer.company) == (
        "Dana Whit",
        "dana@mail.acme.co.uk",
        "acme.co.uk",
    )
    assert "1 message ingested into Rocket" in out


def test_the_sender_is_matched_to_an_existing_customer(world: World, tmp_path: Path) -> None:
    known = Customer.objects.create(
        workspace=world.workspace, name="Dana W.", email="dana@mail.acme.co.uk"
    )
    ingest(world, write(tmp_path, "one.eml", "m1"))
    assert Feedback.objects.get().customer == known


def test_a_message_already_ingested_is_skipped(world: World, tmp_path: Path) -> None:
    path = write(tmp_path, "one.eml", "m1")
    ingest(world, path)
    out, _ = ingest(world, path, write(tmp_path, "two.eml", "m2"))
    assert Feedback.objects.count() == 2
    assert "1 message ingested" in out and "1 already there" in out


def test_a_malformed_file_is_named_and_the_others_ingested(world: World, tmp_path: Path) -> None:
    good = write(tmp_path, "good.eml", "m1")
    bad = tmp_path / "broken.eml"
    bad.write_text("this is not an email at all")
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "ingest-mail",
            str(bad),
            str(good),
            "--product",
            str(world.product.pk),
            stderr=err,
            stdout=io.StringIO(),
        )
    assert failure.value.returncode == 1
    assert "broken.eml" in err.getvalue()
    assert Feedback.objects.get().message_id == "<m1@acme.co.uk>"


def test_an_mbox_is_read_message_by_message(world: World, tmp_path: Path) -> None:
    box = tmp_path / "inbox.mbox"
    box.write_text(
        "".join(
            f"From dana@acme.co.uk Tue Mar  5 10:15:00 2024\n{MESSAGE.format(mid=f'b{i}')}\n"
            for i in range(3)
        )
    )
    ingest(world, box)
    assert Feedback.objects.count() == 3


def test_an_unknown_product_is_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no product"):
        call_command("ingest-mail", str(tmp_path), "--product", "999999")
