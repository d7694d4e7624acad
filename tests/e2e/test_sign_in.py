from __future__ import annotations

from typing import Any

from headway.web import demo
from tests.e2e.conftest import axe_violations


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(demo.DEMO_USERNAME)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_demo_user_signs_in_and_sees_the_demo_product(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    demo.load()
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(page) == []
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Acme Analytics").first.click()
    page.get_by_role("heading", name="Acme Analytics").wait_for()
    assert page.get_by_text("Grow self-serve adoption").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Technical lens").click()
    page.get_by_role("heading", name="Delivery").wait_for()
    assert "lens=technical" in page.url
    assert axe_violations(page) == []
    assert page.watch.problems == []
