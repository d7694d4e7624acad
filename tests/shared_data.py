"""The real data files in ../shared/data (beside the checkout, as CI lays them out).

Tests that use them fail, never skip, when the files are missing: a missing file must not pass
silently as "nothing to check". Set HEADWAY_SHARED_DATA to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data(name: str) -> Path:
    folder = Path(os.environ.get("HEADWAY_SHARED_DATA", ROOT.parent / "shared" / "data"))
    path = folder / name
    if not path.exists():
        pytest.fail(
            f"{path} is missing: the real-data tests need ../shared/data beside the "
            "checkout, or HEADWAY_SHARED_DATA set to that folder."
        )
    return path
