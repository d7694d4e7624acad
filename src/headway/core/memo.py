"""The last few results of an expensive computation, keyed by its whole input.

A product's schedule takes every open feature and dependency as input and costs tens of
milliseconds at 10,000 features, while reading that input costs a few. Pages that show the
schedule (the technical lens, the roadmap) ask for it again and again with the same input, so
they keep the result under the input itself: a hit is an exact match (the key is compared by
equality, not only by hash), so nothing is ever stale and nothing needs invalidating. Each
process keeps its own results.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class RecentResults[V]:
    """Up to ``size`` results, the least recently used dropped first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._results: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The result for ``key``, computed by ``compute()`` when it is not kept."""
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        value = compute()
        with self._lock:
            self._results[key] = value
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._results.clear()
