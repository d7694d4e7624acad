"""Rate limits count per client address; behind a trusted reverse proxy that is the address the
proxy saw, never one the client wrote into X-Forwarded-For itself."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.test import RequestFactory

from headway.core import ratelimit


def request(remote: str, forwarded: str | None = None) -> Any:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.fixture
def proxies(settings: Any) -> None:
    """nginx on this host, and a load balancer network in front of it."""
    settings.TRUSTED_PROXIES = [
        ipaddress.ip_network("127.0.0.1"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("fd00::/8"),
    ]


def test_without_trusted_proxies_the_address_is_remote_addr(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert ratelimit.client_address(request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_forwarded_for_from_an_untrusted_address_is_ignored(proxies: None) -> None:
    spoofed = request("198.51.100.20", "203.0.113.7, 10.0.0.2")
    assert ratelimit.client_address(spoofed) == "198.51.100.20"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(proxies: None) -> None:
    assert ratelimit.client_address(request("127.0.0.1", "203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(proxies: None) -> None:
    # The client forged the first entry; the load balancer appended what it saw (203.0.113.7),
    # and nginx appended the load balancer (10.1.2.3).
    chain = request("127.0.0.1", "192.0.2.66, 203.0.113.7, 10.1.2.3")
    assert ratelimit.client_address(chain) == "203.0.113.7"


def test_when_every_hop_is_trusted_the_furthest_one_is_the_client(proxies: None) -> None:
    assert ratelimit.client_address(request("127.0.0.1", "10.9.9.9")) == "10.9.9.9"
    assert ratelimit.client_address(request("127.0.0.1")) == "127.0.0.1"


def test_an_entry_that_is_not_an_address_stops_at_the_last_trusted_hop(proxies: None) -> None:
    assert ratelimit.client_address(request("127.0.0.1", "unknown, 10.1.2.3")) == "10.1.2.3"
    assert ratelimit.client_address(request("127.0.0.1", "nonsense")) == "127.0.0.1"


def test_ports_and_ipv6_forms_are_normalised(proxies: None) -> None:
    assert ratelimit.client_address(request("127.0.0.1", "203.0.113.7:5100")) == "203.0.113.7"
    bracketed = request("fd00::1", "[2001:DB8:0::1]:443")
    assert ratelimit.client_address(bracketed) == "2001:db8::1"
    assert ratelimit.client_address(request("::ffff:10.0.0.1", "203.0.113.9")) == "203.0.113.9"


def test_a_missing_remote_addr_is_one_shared_unknown_bucket(proxies: None) -> None:
    assert ratelimit.client_address(request("")) == "unknown"
