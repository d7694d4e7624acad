"""`headway backup` and `headway restore`: the whole database round-trips, row by row."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from headway.accounts.models import ApiToken, User
from headway.activity.models import AuditEvent
from headway.core import changes
from headway.interchange import backup
from headway.interchange.models import Webhook
from headway.planning.models import Feature
from headway.web import demo


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every backed-up table, in primary key order."""
    state = {}
    for model in backup.backed_up_models():
        names = [field.attname for field in model._meta.concrete_fields]
        state[model._meta.label_lower] = list(
            model._base_manager.order_by("pk").values_list(*names)
        )
    return state


def empty_the_database() -> None:
    """What a new, just-migrated database holds: content types and permissions only."""
    for model in reversed(backup.backed_up_models()):
        model._base_manager.all()._raw_delete(model._base_manager.db)


@pytest.fixture
def loaded(db: None, tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    loaded = demo.load()
    user = loaded.users["maya"]
    feature = Feature.objects.filter(product=loaded.product).first()
    assert feature is not None
    changes.update(feature, {"title": "Renamed to leave history", "rank": "a0V"}, user=user)
    ApiToken.issue(user, "ci")
    Webhook.objects.create(
        workspace=loaded.workspace, url="https://hooks.example.com/headway", events=["idea.created"]
    )
    return every_row()


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_backup_restores_every_table_row_by_row(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "Backed up" in out.getvalue()
    empty_the_database()
    assert not User.objects.exists()

    call_command("restore", str(path), stdout=io.StringIO())

    assert every_row() == loaded


def test_the_round_trip_keeps_password_hashes_token_hashes_history_and_ranks(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    path = tmp_path / "backup.json"
    backup.backup(path)
    empty_the_database()
    backup.restore(path)
    assert User.objects.get(username=demo.DEMO_USERNAME).check_password(demo.DEMO_PASSWORD)
    assert ApiToken.objects.filter(name="ci").exists()
    assert AuditEvent.objects.filter(changes__has_key="title").exists()
    assert Feature.objects.get(title="Renamed to leave history").rank == "a0V"


def test_ids_continue_after_the_restored_ones(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    path = tmp_path / "backup.json"
    backup.backup(path)
    highest = Feature.objects.order_by("-pk").values_list("pk", flat=True).first()
    empty_the_database()
    backup.restore(path)
    product = Feature.objects.first().product  # type: ignore[union-attr]
    assert Feature.objects.create(product=product, title="After the restore").pk > (highest or 0)


def test_the_document_is_versioned_json_with_natural_keys_for_content_types(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    path = tmp_path / "backup.json.gz"
    backup.backup(path)
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document["format"] == "headway-backup"
    assert document["version"] == backup.VERSION
    sections = {section["model"]: section for section in document["models"]}
    assert "contenttypes.contenttype" not in sections
    assert "sessions.session" not in sections
    audit = sections["activity.auditevent"]
    content_type = audit["rows"][0][audit["fields"].index("content_type_id")]
    assert content_type == ["planning", "feature"]
    labels = [section["model"] for section in document["models"]]
    assert labels.index("accounts.user") < labels.index("accounts.membership")
    assert labels.index("products.product") < labels.index("planning.feature")


def test_restore_refuses_a_database_that_is_not_empty(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    path = tmp_path / "backup.json"
    backup.backup(path)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
    assert every_row() == loaded


def test_restore_refuses_a_newer_format(db: None, tmp_path: Path) -> None:
    path = tmp_path / "future.json"
    path.write_text(json.dumps({"format": "headway-backup", "version": 99, "models": []}))
    with pytest.raises(CommandError, match="format 99, written by a newer Headway"):
        call_command("restore", str(path))


def test_restore_refuses_a_file_that_is_not_a_backup(db: None, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"format": "something", "version": 1, "models": []}))
    with pytest.raises(CommandError, match="not a Headway backup"):
        call_command("restore", str(path))


def test_a_damaged_backup_restores_nothing(
    loaded: dict[str, list[tuple[Any, ...]]], tmp_path: Path
) -> None:
    path = tmp_path / "backup.json"
    backup.backup(path)
    text = path.read_text()
    path.write_text(text[: len(text) * 2 // 3])
    empty_the_database()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path))
    assert not User.objects.exists()
    assert not Feature.objects.exists()


def test_every_model_is_backed_up_or_deliberately_skipped() -> None:
    from django.apps import apps

    labels = {model._meta.label_lower for model in backup.backed_up_models()}
    for model in apps.get_models(include_auto_created=True):
        if isinstance(model, type) and issubclass(model, models.Model):
            label = model._meta.label_lower
            assert label in labels or label in backup.SKIPPED, label
