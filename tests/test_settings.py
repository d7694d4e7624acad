from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from headway import settings as headway_settings

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_accepts_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in (("1", True), ("yes", True), ("off", False), ("", False)):
        monkeypatch.setenv("X_FLAG", raw)
        assert headway_settings.env_bool("X_FLAG", not expected) is expected


def test_env_bool_fails_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        headway_settings.env_bool("X_FLAG", False)


def test_env_int_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        headway_settings.env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        headway_settings.env_int("X_NUM", 1)


def test_env_secret_reads_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    path = tmp_path / "secret"  # type: ignore[operator]
    path.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(path))
    assert headway_settings.env_secret("X_SECRET") == "s3cret"


def test_env_secret_file_that_cannot_be_read_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_SECRET_FILE", "/nonexistent/secret")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        headway_settings.env_secret("X_SECRET")


def test_env_networks_reads_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")
    assert [str(n) for n in headway_settings.env_networks("X_PROXIES")] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]
    monkeypatch.delenv("X_PROXIES")
    assert headway_settings.env_networks("X_PROXIES") == []


def test_env_networks_fails_loudly_on_a_bad_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_PROXIES", "10.0.0.1,nginx")
    with pytest.raises(ImproperlyConfigured, match="'nginx' is not an IP address"):
        headway_settings.env_networks("X_PROXIES")
    monkeypatch.setenv("X_PROXIES", "10.0.0.1/8")  # host bits set: a typo, not a network
    with pytest.raises(ImproperlyConfigured, match="X_PROXIES"):
        headway_settings.env_networks("X_PROXIES")


WRITER = """
import os, sys, time
import django

os.environ["DJANGO_SETTINGS_MODULE"] = "headway.settings"
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
print("ready", flush=True)
sys.stdin.readline()
with transaction.atomic(), connection.cursor() as cursor:
    # Read, then write: in SQLite's default (deferred) mode the second writer would fail at
    # once with "database is locked" when its read lock cannot be upgraded.
    cursor.execute("SELECT count(*) FROM counter")
    seen = cursor.fetchone()[0]
    time.sleep(0.5)
    cursor.execute("INSERT INTO counter (seen) VALUES (%s)", [seen])
print(mode, busy, flush=True)
"""


def test_two_processes_writing_to_sqlite_at_once_queue_instead_of_failing(
    tmp_path: Path,
) -> None:
    with sqlite3.connect(tmp_path / "headway.sqlite3") as db:
        db.execute("CREATE TABLE counter (seen integer)")
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEADWAY_")}
    env.pop("DATABASE_URL", None)
    env.update(HEADWAY_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT / "src"))
    writers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", WRITER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr
    for writer in writers:  # both begin their write transaction now
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate(timeout=60) for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], outputs
    assert [out.split() for out, _ in outputs] == [["wal", "20000"]] * 2
    with sqlite3.connect(tmp_path / "headway.sqlite3") as db:
        seen = sorted(row[0] for row in db.execute("SELECT seen FROM counter"))
    assert seen == [0, 1]  # one after the other: the second saw the first's row
