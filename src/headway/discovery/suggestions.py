"""Similar ideas, for the suggestions shown while typing and for the merge dialog.

Until `discovery/similarity.py` lands this answers with nothing; the pages show "no similar
ideas" and everything else works.
"""

from __future__ import annotations

from dataclasses import dataclass

from headway.discovery.models import Idea
from headway.products.models import Product


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An idea and how similar it is (0–1)."""

    idea: Idea
    score: float


def for_text(product: Product, text: str, *, exclude: int | None = None) -> list[Suggestion]:
    """The product's ideas most like `text`, best first."""
    return []


def for_idea(idea: Idea, limit: int = 5) -> list[Suggestion]:
    """The ideas most like `idea` in its product, best first."""
    return []
