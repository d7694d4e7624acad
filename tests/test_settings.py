from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from headway import settings as headway_settings


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
