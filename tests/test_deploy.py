"""Production settings pass Django's deployment checklist, in a fresh process as an operator
would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def headway(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "headway.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEADWAY_")}
    env.update(
        HEADWAY_ENV="production",
        HEADWAY_ALLOWED_HOSTS="pm.example.com",
        HEADWAY_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        HEADWAY_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT / "src"),
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in production
    return env


def test_check_deploy_passes_in_production(production: dict[str, str]) -> None:
    result = headway(["check", "--deploy", "--fail-level", "WARNING"], production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(production: dict[str, str]) -> None:
    del production["HEADWAY_SECRET_KEY"]
    result = headway(["check"], production)
    assert result.returncode != 0
    assert "HEADWAY_SECRET_KEY" in result.stderr


def test_a_bad_setting_stops_the_process_with_its_name(production: dict[str, str]) -> None:
    production["HEADWAY_DEBUG"] = "maybe"
    result = headway(["check"], production)
    assert result.returncode != 0
    assert "HEADWAY_DEBUG" in result.stderr
