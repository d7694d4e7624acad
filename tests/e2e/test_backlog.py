"""Reordering the backlog by drag and drop in a real browser, and the order surviving a reload."""

from __future__ import annotations

from typing import Any

from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def titles(page: Any) -> list[str]:
    return [
        text.strip() for text in page.locator(".backlog__item .backlog__title").all_inner_texts()
    ]


def test_backlog_reorders_by_drag_and_drop_and_keeps_the_order(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/backlog/")
    page.get_by_role("heading", name="Backlog").wait_for()
    assert axe_violations(page) == []

    before = titles(page)
    moving = before[3]
    handle = page.locator(".backlog__item").nth(3).locator(".backlog__handle")
    target = page.locator(".backlog__item").nth(0)
    box = target.bounding_box()
    handle.hover()
    page.mouse.down()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2, steps=12)
    page.mouse.move(box["x"] + 20, box["y"] + 4, steps=6)
    page.mouse.up()
    page.get_by_text("Saved.").wait_for()
    after = titles(page)
    assert after[0] == moving
    assert sorted(after) == sorted(before)

    page.reload()
    page.get_by_role("heading", name="Backlog").wait_for()
    assert titles(page) == after

    # Keyboard users move items with the buttons; that is saved the same way.
    page.get_by_role("button", name=f"Move {moving} down").click()
    page.get_by_text("Saved.").wait_for()
    page.reload()
    assert titles(page)[1] == moving
    assert axe_violations(page) == []
    assert page.watch.problems == []


def test_feature_page_is_accessible(live_server: Any, page: Any, transactional_db: None) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    feature = loaded.objects["features"]["Ask questions in plain English"]
    page.goto(f"{live_server.url}/features/{feature.pk}/")
    page.get_by_role("heading", name="User stories").wait_for()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/?lens=technical")
    page.get_by_role("heading", name="Risk heat map").wait_for()
    assert axe_violations(page) == []
    assert page.watch.problems == []
