"""Tests of rank keys for the manual backlog order."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from headway.planning.ranking import DIGITS, RankKeyError, key_between, keys_between, keys_for


def is_valid(key: str) -> bool:
    """A non-empty string of base-62 digits that does not end with '0'."""
    return bool(key) and set(key) <= set(DIGITS) and not key.endswith("0")


def insert_repeatedly(choose_position: Callable[[int, list[str]], int], moves: int) -> list[str]:
    """Start from 20 keys and insert ``moves`` new ones where ``choose_position`` says."""
    keys = keys_for(20)
    for move in range(moves):
        position = choose_position(move, keys)
        before = keys[position - 1] if position > 0 else None
        after = keys[position] if position < len(keys) else None
        key = key_between(before, after)
        assert (before is None or before < key) and (after is None or key < after)
        keys.insert(position, key)
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    return keys


def longest(keys: list[str]) -> int:
    return max(len(key) for key in keys)


# --- ordering ------------------------------------------------------------------------------


def test_the_digits_are_in_code_point_order() -> None:
    assert list(DIGITS) == sorted(DIGITS) and len(DIGITS) == 62


def test_the_first_key_of_an_empty_list_is_the_middle() -> None:
    assert key_between(None, None) == "V"


def test_a_key_between_two_neighbours_sorts_between_them() -> None:
    assert "A" < key_between("A", "B") < "B"


def test_a_key_between_a_key_and_its_extension_sorts_between_them() -> None:
    assert "A" < key_between("A", "A1") < "A1"


def test_a_key_on_top_sorts_first() -> None:
    assert key_between(None, "1") < "1"


def test_a_key_at_the_end_sorts_last() -> None:
    assert key_between("z", None) > "z"


def test_keys_compare_the_same_as_bytes_as_they_do_as_text() -> None:
    keys = insert_repeatedly(lambda move, keys: random.Random(move).randint(0, len(keys)), 300)
    assert sorted(keys, key=lambda key: key.encode("ascii")) == keys


def test_keys_for_are_evenly_spaced_ascending_and_short() -> None:
    assert keys_for(5) == ["A", "K", "V", "f", "p"]


def test_keys_for_use_two_digits_only_when_one_is_not_enough() -> None:
    assert longest(keys_for(61)) == 1 and longest(keys_for(62)) == 2


def test_keys_for_zero_items_is_empty() -> None:
    assert keys_for(0) == []


def test_keys_for_many_items_are_unique_and_sorted() -> None:
    keys = keys_for(10_000)
    assert keys == sorted(keys) and len(set(keys)) == 10_000 and longest(keys) == 3


def test_keys_between_spread_several_keys_between_two_neighbours() -> None:
    keys = keys_between("A", "B", 3)
    assert "A" < keys[0] < keys[1] < keys[2] < "B" and all(map(is_valid, keys))


# --- bad input -----------------------------------------------------------------------------


def test_key_between_refuses_neighbours_out_of_order() -> None:
    with pytest.raises(RankKeyError, match="must sort before"):
        key_between("B", "A")


def test_key_between_refuses_equal_neighbours() -> None:
    with pytest.raises(RankKeyError, match="must sort before"):
        key_between("A", "A")


def test_key_between_refuses_a_character_outside_the_digits() -> None:
    with pytest.raises(RankKeyError, match="contains '-'"):
        key_between("A-", None)


def test_key_between_refuses_a_key_ending_in_zero() -> None:
    with pytest.raises(RankKeyError, match="must not end with '0'"):
        key_between(None, "A0")


def test_key_between_refuses_an_empty_key() -> None:
    with pytest.raises(RankKeyError, match="non-empty"):
        key_between("", None)


def test_keys_for_refuses_a_negative_count() -> None:
    with pytest.raises(RankKeyError) as caught:
        keys_for(-1)
    assert caught.value.field == "count"


def test_rank_key_errors_name_the_rank_field() -> None:
    with pytest.raises(RankKeyError) as caught:
        key_between("B", "A")
    assert caught.value.field == "rank"


# --- keys stay short -----------------------------------------------------------------------


def test_a_thousand_moves_to_the_end_keep_keys_short() -> None:
    assert longest(insert_repeatedly(lambda move, keys: len(keys), 1_000)) <= 4


def test_a_thousand_moves_to_the_top_keep_keys_short() -> None:
    assert longest(insert_repeatedly(lambda move, keys: 0, 1_000)) <= 4


def test_a_thousand_moves_right_after_one_item_keep_keys_short() -> None:
    assert longest(insert_repeatedly(lambda move, keys: 5, 1_000)) <= 4


def test_a_thousand_moves_right_before_one_item_keep_keys_short() -> None:
    assert longest(insert_repeatedly(lambda move, keys: 5 + move, 1_000)) <= 4


def test_ten_thousand_moves_to_random_places_keep_keys_short() -> None:
    rng = random.Random(7)
    result = insert_repeatedly(lambda move, keys: rng.randint(0, len(keys)), 10_000)
    assert sum(map(len, result)) / len(result) <= 7 and longest(result) <= 24


def test_alternating_around_the_newest_item_grows_no_faster_than_halving() -> None:
    newest = [5]

    def alternate(move: int, keys: list[str]) -> int:
        newest[0] = newest[0] if move % 2 else newest[0] + 1
        return newest[0]

    assert longest(insert_repeatedly(alternate, 1_000)) <= 1_000 // 5


# --- properties ----------------------------------------------------------------------------

keys = st.text(alphabet=DIGITS, min_size=1, max_size=8).filter(lambda key: not key.endswith("0"))


@settings(max_examples=200)
@given(keys, keys)
def test_key_between_sorts_strictly_between_any_two_keys(first: str, second: str) -> None:
    assume(first != second)
    before, after = sorted((first, second))
    key = key_between(before, after)
    assert before < key < after and is_valid(key)
    assert len(key) <= max(len(before), len(after)) + 3


@settings(max_examples=100)
@given(keys)
def test_key_between_a_key_and_either_end_sorts_beyond_it(key: str) -> None:
    above, below = key_between(key, None), key_between(None, key)
    assert below < key < above and is_valid(above) and is_valid(below)


@settings(max_examples=50)
@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=200))
def test_any_sequence_of_moves_keeps_keys_sorted_unique_and_valid(positions: list[int]) -> None:
    result = insert_repeatedly(lambda move, keys: positions[move] % (len(keys) + 1), len(positions))
    assert all(map(is_valid, result))


@settings(max_examples=100)
@given(keys, keys, st.integers(0, 50))
def test_keys_between_are_ascending_and_inside_the_gap(first: str, second: str, count: int) -> None:
    assume(first != second)
    before, after = sorted((first, second))
    spread = keys_between(before, after, count)
    assert len(spread) == count and spread == sorted(set(spread))
    assert all(before < key < after and is_valid(key) for key in spread)
