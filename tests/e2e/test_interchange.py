"""Browser: import a Jira export from the Import / export tab and follow it; the webhook pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in

FIXTURES = Path(__file__).resolve().parents[1] / "interchange" / "fixtures"


def test_product_manager_imports_a_jira_export_and_sees_what_it_became(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    demo.load()
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.click()
    page.get_by_role("link", name="Import / export").click()
    page.get_by_role("heading", name="Import / export").wait_for()
    assert axe_violations(page) == []

    page.get_by_label("Kind of file").select_option("jira_csv")
    assert not page.get_by_role(
        "group", name="Column mapping (CSV with a column mapping only)"
    ).is_visible()
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "jira-quirky.csv"))
    page.get_by_role("button", name="Upload and import").click()

    page.get_by_role("heading", name="What was imported").wait_for()
    assert page.get_by_role("row", name="features 4 0 0").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Import / export").first.click()
    page.get_by_label("Kind of file").select_option("csv")
    page.get_by_role("group", name="Column mapping (CSV with a column mapping only)").wait_for()
    page.get_by_label("Import the rows as").select_option("ideas")
    assert page.locator("#id_map_ideas_title").is_visible()
    assert not page.locator("#id_map_features_title").is_visible()
    assert page.watch.problems == []


def test_a_broken_file_shows_every_problem_with_its_line_and_column(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/interchange/")
    page.get_by_label("File", exact=True).set_input_files(str(FIXTURES / "jira-broken.csv"))
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_text("Nothing was imported.").wait_for()
    rows = page.locator("table.errors tbody tr")
    assert rows.count() == 5
    assert rows.first.inner_text().startswith("5\t4\t")
    assert axe_violations(page) == []
    # The watch notes the 404-free, error-free page; a refused file is not a failed request.
    assert page.watch.problems == []


def test_admin_sends_a_test_delivery_from_the_webhook_page(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/workspaces/{loaded.workspace.pk}/webhooks/")
    page.get_by_role("heading", name="Webhooks").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="https://hooks.example.com/headway/acme").click()
    page.get_by_role("heading", name="Delivery log").wait_for()
    assert axe_violations(page) == []
    # Switched off in the demo: the test is logged as failed without any network call.
    page.get_by_role("button", name="Send test").click()
    page.get_by_text("the webhook is switched off").first.wait_for()
    assert page.watch.problems == []
