"""The documentation stays true: every setting, command and endpoint is documented, and every
documented one exists (datasette style)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

from headway.api.api import api

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SETTINGS = ROOT / "src" / "headway" / "settings.py"


def read(name: str) -> str:
    return (DOCS / name).read_text()


def headway_commands() -> set[str]:
    """Management commands that Headway itself defines (not Django's or a library's)."""
    return {name for name, app in get_commands().items() if str(app).startswith("headway.")}


def test_every_environment_variable_is_documented() -> None:
    read_in_settings = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', SETTINGS.read_text()))
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", read("configuration.md"), re.MULTILINE))
    assert read_in_settings, "no env_* calls found: has settings.py moved?"
    assert read_in_settings - documented == set(), "undocumented settings"
    assert documented - read_in_settings == set(), "documented settings that no longer exist"


def test_every_headway_command_is_documented() -> None:
    documented = set(re.findall(r"^### `headway ([a-z-]+)", read("cli.md"), re.MULTILINE))
    assert headway_commands() - documented == set(), "undocumented commands"
    assert documented - set(get_commands()) == set(), "documented commands that do not exist"


def test_every_documented_django_command_exists() -> None:
    mentioned = set(re.findall(r"`headway ([a-z_-]+)", read("cli.md")))
    assert mentioned - set(get_commands()) - {"help"} == set()


def documented_paths() -> set[tuple[str, str]]:
    rows = re.findall(
        r"^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \|", read("api.md"), re.MULTILINE
    )
    return {(method, re.sub(r"\{[a-z_]+\}", "{}", path)) for method, path in rows}


def schema_paths() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = set()
    for path, operations in schema["paths"].items():
        short = re.sub(r"\{[a-z_]+\}", "{}", path.removeprefix("/api/v1"))
        for method in operations:
            found.add((method.upper(), short))
    return found


def test_every_endpoint_is_documented_in_api_md() -> None:
    assert schema_paths() - documented_paths() == set(), "endpoints missing from docs/api.md"


def test_every_endpoint_in_api_md_exists() -> None:
    assert documented_paths() - schema_paths() == set(), "docs/api.md lists missing endpoints"


def test_readme_quick_start_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
