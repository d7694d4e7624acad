from __future__ import annotations

import ipaddress

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.products.models import Product
from tests.conftest import World


def signed_in(world: World, user_attr: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, user_attr))
    return client


def test_home_needs_sign_in(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_signs_in(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "pavel", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert "Rocket" in client.get("/").text


def test_login_page_is_rate_limited(world: World, settings: object) -> None:
    settings.LOGIN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "pavel", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "pavel", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.text


def test_behind_a_trusted_proxy_sign_in_limits_each_client_apart(
    world: World, settings: object
) -> None:
    settings.LOGIN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]  # type: ignore[attr-defined]
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for name in ("a", "b"):
        attacker.post("/accounts/login/", {"username": name, "password": "wrong"})
    assert attacker.post("/accounts/login/", {"username": "c"}).status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    response = colleague.post(
        "/accounts/login/", {"username": "pavel", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302


def test_home_lists_only_my_products(world: World) -> None:
    page = signed_in(world).get("/").text
    assert "Rocket" in page
    assert "Secret" not in page


def test_product_page_shows_both_lenses(world: World) -> None:
    client = signed_in(world)
    business = client.get(f"/products/{world.product.pk}/?lens=business")
    technical = client.get(f"/products/{world.product.pk}/?lens=technical")
    assert "Goals" in business.text
    assert "Delivery" in technical.text


def test_lens_switch_over_htmx_returns_only_the_fragment(world: World) -> None:
    response = signed_in(world).get(
        f"/products/{world.product.pk}/?lens=technical", HTTP_HX_REQUEST="true"
    )
    assert response.text.strip().startswith('<div id="lens"')
    assert "<html" not in response.text


def test_another_workspaces_product_is_404(world: World) -> None:
    response = signed_in(world).get(f"/products/{world.other_product.pk}/")
    assert response.status_code == 404


def test_pages_send_a_content_security_policy_without_inline_scripts(world: World) -> None:
    response = signed_in(world).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_sign_in_page_carries_the_same_policy(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_home_queries_do_not_grow_with_products(world: World) -> None:
    client = signed_in(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    Product.objects.bulk_create(
        [Product(workspace=world.workspace, name=f"A{i}", slug=f"a{i}") for i in range(2)]
    )
    few = count()
    Product.objects.bulk_create(
        [Product(workspace=world.workspace, name=f"B{i}", slug=f"b{i}") for i in range(27)]
    )
    assert count() == few
