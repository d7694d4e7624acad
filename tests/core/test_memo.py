"""RecentResults: results kept under their whole input, the oldest dropped first."""

from __future__ import annotations

from headway.core.memo import RecentResults


def test_a_kept_result_is_not_computed_again() -> None:
    kept: RecentResults[int] = RecentResults(size=2)
    calls: list[str] = []
    assert kept.get(("a", 1), lambda: calls.append("a") or 1) == 1
    assert kept.get(("a", 1), lambda: calls.append("again") or 2) == 1
    assert calls == ["a"]


def test_keys_are_compared_by_equality_not_identity() -> None:
    kept: RecentResults[str] = RecentResults(size=2)
    kept.get(tuple([1, 2, 3]), lambda: "first")
    assert kept.get((1, 2, 3), lambda: "second") == "first"
    assert kept.get((1, 2, 4), lambda: "other input") == "other input"


def test_the_least_recently_used_result_is_dropped_first() -> None:
    kept: RecentResults[str] = RecentResults(size=2)
    kept.get("a", lambda: "a")
    kept.get("b", lambda: "b")
    kept.get("a", lambda: "not again")  # a is now the most recent
    kept.get("c", lambda: "c")  # drops b
    assert kept.get("a", lambda: "recomputed a") == "a"
    assert kept.get("b", lambda: "recomputed b") == "recomputed b"
