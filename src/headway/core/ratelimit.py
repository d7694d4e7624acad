"""Fixed-window rate limits kept in the cache (shared by all processes when CACHE_URL is Redis)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True, slots=True)
class Window:
    """The state of one limit after a hit."""

    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends


def _key(scope: str, ident: str, window: int) -> tuple[str, int]:
    start = int(time.time()) // window * window
    # Hashed: identities are user input (usernames) and may hold anything.
    digest = hashlib.blake2b(ident.encode(), digest_size=16).hexdigest()
    return f"rl:{scope}:{digest}:{start}", start + window


def hit(scope: str, ident: str, limit: int, window: int) -> Window:
    """Count one event for `ident`; `allowed` is False once more than `limit` fell in the window."""
    key, ends = _key(scope, ident, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    reset = max(1, ends - int(time.time()))
    return Window(count <= limit, limit, max(0, limit - count), reset)


def peek(scope: str, ident: str, limit: int, window: int) -> Window:
    """The state of a limit without counting an event."""
    key, ends = _key(scope, ident, window)
    count = int(cache.get(key, 0))
    reset = max(1, ends - int(time.time()))
    return Window(count < limit, limit, max(0, limit - count), reset)
