from __future__ import annotations

from typing import Any

from headway.products.models import CapabilityLevel
from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def test_a_capability_matrix_cell_is_edited_in_place_and_persists(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/capabilities/")
    page.get_by_role("heading", name="Capability matrix").wait_for()
    assert axe_violations(page) == []

    # Row-level security is "None" for us in the demo: pick a level in place.
    cell = page.get_by_role("link", name="None (change Row-level security for Acme Analytics)")
    cell.click()
    picker = page.get_by_label("Level of Row-level security for Acme Analytics")
    picker.wait_for()
    assert axe_violations(page) == []
    picker.select_option("partial")
    page.get_by_role(
        "link", name="Partial (change Row-level security for Acme Analytics)"
    ).wait_for()
    assert "/capabilities/" in page.url and "/levels/" not in page.url  # no navigation

    page.reload()
    page.get_by_role(
        "link", name="Partial (change Row-level security for Acme Analytics)"
    ).wait_for()
    assert (
        CapabilityLevel.objects.get(capability__name="Row-level security", competitor=None).level
        == "partial"
    )
    assert page.watch.problems == []


def test_a_key_result_is_updated_inline_on_the_strategy_page(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/strategy/")
    page.get_by_role("heading", name="Goals and key results").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit key result Mid-market win rate").click()
    form = page.locator(".inline-editor")
    form.get_by_label("Current").fill("24")
    form.get_by_role("button", name="Save").click()
    page.get_by_label("Mid-market win rate: 50.0 % of the way to target").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a persona").click()
    adder = page.locator("#personas .inline-editor")
    adder.get_by_label("Name").fill("Sales engineer")
    adder.get_by_label("Pains").fill("Builds demo dashboards by hand.")
    adder.get_by_role("button", name="Add persona").click()
    page.get_by_role("heading", name="Sales engineer").wait_for()
    assert page.get_by_text("Builds demo dashboards by hand.").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Strategy check").first.click()
    page.get_by_role("heading", name="Strategy check").wait_for()
    assert page.get_by_text("has no baseline").is_visible()
    assert axe_violations(page) == []
    assert page.watch.problems == []
