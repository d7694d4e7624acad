"""Manual backlog order where moving one item is one small write.

Each item stores a rank key: a string of base-62 digits (``0-9``, ``A-Z``, ``a-z``) read as a
fraction between 0 and 1 (``"V"`` is 31/62). Moving an item between two neighbours gives it a new
key that sorts between theirs (:func:`key_between`); no other row changes. :func:`keys_for` gives
evenly spaced keys to a list that has none yet.

The digits are in ascending code-point order and no key ends with ``"0"`` (which would make two
different strings stand for one number), so comparing two keys as strings, character by
character by code point, orders them exactly as the fractions they stand for. **The database
column must therefore compare by code point**: SQLite's default ``BINARY`` collation does, and on
PostgreSQL the column needs ``COLLATE "C"`` (a linguistic collation such as ``en_US`` sorts
``"a"`` before ``"B"`` and breaks the order).

Keys stay short under the patterns a backlog sees. Moving items one after another to the same spot
(always right after one item, always to the top, always to the end) would, if each new key halved
the gap, lengthen the key by one character every six moves. Instead, when the two neighbours differ
in length, the longer one is usually the key written last and the next move tends to land beside
it again on the same side; so the new key is placed close to the longer neighbour (1/62 to 1/3844
of the gap away), leaving almost all of the gap for the following moves. Each such key records
which neighbour it was placed next to in the parity of its last digit (odd: the one before it,
even: the one after it). When a later move lands in the narrow slice between such a key and the
neighbour it leans on, the guess was wrong, and the key is placed in the middle of the slice
instead of compounding the mistake. Neighbours of equal length get the middle too.

Measured with 20 starting keys (the tests hold these bounds): 1,000 moves to one spot, to the top
or to the end leave keys of at most 4 characters; 10,000 moves to random places leave keys of
about 6 characters on average, the longest 14 to 19 over ten random runs.
Alternating moves just before and just after the newest item grow the key by one character every
six moves, as halving would; moves landing at random on either side of the newest item are the
worst pattern found, about one character every two or three moves. A service may renumber a list
with :func:`keys_for` should its keys ever grow long; nothing here requires it.
"""

from __future__ import annotations

from typing import Final

DIGITS: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
"""The base-62 digits in ascending code-point order."""

_BASE: Final = len(DIGITS)
_DIGIT_VALUE: Final = {digit: value for value, digit in enumerate(DIGITS)}
# Extra digits of precision beyond the longer neighbour: the gap then spans at least 62**4 steps,
# so even the narrow window next to a neighbour (about 1/62 of the gap) holds keys of both parities.
_SPARE_DIGITS: Final = 4
# The new key lands between 1/3844 and 1/62 of the gap away from the neighbour it is placed near.
_NEAR_FROM: Final = _BASE * _BASE
_NEAR_TO: Final = _BASE


class RankKeyError(ValueError):
    """A rank key is malformed, or the two neighbours are not in order.

    ``field`` is ``"rank"``; ``message`` says what is wrong.
    """

    def __init__(self, message: str, field: str = "rank") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _validate(key: str, role: str) -> None:
    if not isinstance(key, str) or not key:
        raise RankKeyError(f"The {role} rank key must be a non-empty string; got {key!r}.")
    for character in key:
        if character not in _DIGIT_VALUE:
            raise RankKeyError(
                f"The {role} rank key {key!r} contains {character!r}; "
                "rank keys use only the digits 0-9, A-Z and a-z."
            )
    if key.endswith("0"):
        raise RankKeyError(f"The {role} rank key {key!r} must not end with '0'.")


def _numerator(key: str, length: int) -> int:
    """The key as an integer count of 62**-length steps."""
    value = 0
    for character in key.ljust(length, "0"):
        value = value * _BASE + _DIGIT_VALUE[character]
    return value


def _key(numerator: int, length: int) -> str:
    digits = []
    for _ in range(length):
        numerator, digit = divmod(numerator, _BASE)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits)).rstrip("0")


def _shortest_in(low: int, high: int, length: int, aim: int, parity: int | None) -> str:
    """The shortest key whose value lies in [low, high] (in 62**-length steps), nearest to
    ``aim`` among keys of that length, with a last digit of the given parity if one is given."""
    for digits in range(1, length + 1):
        step = _BASE ** (length - digits)
        first = -(-low // step)  # ceiling division: the first multiple of step at or above low
        last = high // step
        if first > last:
            continue
        nearest = min(max((aim + step // 2) // step, first), last)
        if parity is None:
            return _key(nearest * step, length)
        for candidate in (nearest, nearest - 1, nearest + 1, nearest - 2, nearest + 2):
            last_digit = candidate % _BASE
            if first <= candidate <= last and last_digit and last_digit % 2 == parity:
                return _key(candidate * step, length)
    # The windows key_between builds hold thousands of steps, so a key of each parity always
    # exists; this keeps the function total all the same.
    return _key(low, length)


def _leans_back(key: str) -> bool:
    """Whether ``key`` was placed next to the key before it (odd last digit)."""
    return _DIGIT_VALUE[key[-1]] % 2 == 1


def key_between(before: str | None, after: str | None) -> str:
    """A rank key that sorts strictly between ``before`` and ``after``.

    ``None`` stands for the start of the list (``before``) or its end (``after``), so
    ``key_between(last, None)`` appends and ``key_between(None, first)`` puts an item on top.
    Raises :class:`RankKeyError` if a key is malformed or ``before`` does not sort before ``after``.
    """
    _check_neighbours(before, after)
    length = max(len(before or ""), len(after or "")) + _SPARE_DIGITS
    low = _numerator(before, length) if before is not None else 0
    high = _numerator(after, length) if after is not None else _BASE**length
    gap = high - low
    if before is None:
        side = "middle" if after is None else "after"
    elif after is None:
        side = "before"
    elif len(before) > len(after):
        # A longer `before` that leans forward was placed next to `after`: this is its narrow side.
        side = "before" if _leans_back(before) else "middle"
    elif len(after) > len(before):
        side = "middle" if _leans_back(after) else "after"
    else:
        side = "middle"
    if side == "before":
        window_low, window_high = low + gap // _NEAR_FROM, low + gap // _NEAR_TO
        aim, parity = window_low, 1
    elif side == "after":
        window_low, window_high = high - gap // _NEAR_TO, high - gap // _NEAR_FROM
        aim, parity = window_high, 0
    else:
        window_low, window_high = low + gap // 3, high - gap // 3
        aim, parity = low + gap // 2, None
    # Keep the window strictly inside the gap even when integer division rounds to zero.
    window_low, window_high = max(window_low, low + 1), min(window_high, high - 1)
    return _shortest_in(window_low, window_high, length, aim, parity)


def _check_neighbours(before: str | None, after: str | None) -> None:
    if before is not None:
        _validate(before, "previous")
    if after is not None:
        _validate(after, "next")
    if before is not None and after is not None and not before < after:
        raise RankKeyError(
            f"The previous rank key {before!r} must sort before the next one {after!r}."
        )


def keys_for(count: int) -> list[str]:
    """``count`` evenly spaced, ascending rank keys of the shortest length that fits them."""
    return keys_between(None, None, count)


def keys_between(before: str | None, after: str | None, count: int) -> list[str]:
    """``count`` ascending rank keys, evenly spread strictly between ``before`` and ``after``
    (``None`` for the start or the end), for moving several items at once."""
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise RankKeyError(
            f"The number of keys must be a whole number ≥ 0; got {count!r}.", "count"
        )
    _check_neighbours(before, after)
    if count == 0:
        return []
    length = max(len(before or ""), len(after or ""))
    while True:
        low = _numerator(before, length) if before is not None else 0
        high = _numerator(after, length) if after is not None else _BASE**length
        if high - low > count:
            break
        length += 1
    keys = []
    for index in range(1, count + 1):
        keys.append(_key(low + (high - low) * index // (count + 1), length))
    return keys
