"""Fixed-window rate limits kept in the cache (shared by all processes when CACHE_URL is Redis),
and the client address they are counted per."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def _parse(text: str) -> Address | None:
    """An address from REMOTE_ADDR or one X-Forwarded-For entry; a port some proxies append
    (`203.0.113.7:5100`, `[2001:db8::1]:5100`) is dropped. None when it is not an address."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, proxies: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The address of the person behind a request, to count rate limits per address.

    REMOTE_ADDR, unless it is one of HEADWAY_TRUSTED_PROXIES: then the right-most entry of
    X-Forwarded-For that is not itself a trusted proxy. Each proxy appends the address it saw,
    so entries to the right of that one were written by proxies we trust, and anything to its
    left was sent by the client and may be forged. An entry that is not an address stops the
    walk at the last trusted hop (the proxy is then the client, as without the setting).
    """
    proxies: Sequence[Network] = settings.TRUSTED_PROXIES
    remote = str(request.META.get("REMOTE_ADDR", ""))
    address = _parse(remote)
    if address is None:
        return remote or "unknown"
    if not _trusted(address, proxies):
        return str(address)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for entry in reversed(forwarded.split(",")):
        hop = _parse(entry)
        if hop is None:
            break
        address = hop
        if not _trusted(hop, proxies):
            break
    return str(address)
