"""Browser: the release page (ticking readiness with htmx, forecast, charts), forecasts."""

from __future__ import annotations

from typing import Any

from headway.releases.models import Release
from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def test_a_pm_ticks_readiness_and_reads_the_forecast(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    release = Release.objects.get(product=loaded.product, name="2.4")
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()

    page.goto(f"{live_server.url}/products/{loaded.product.pk}/releases/")
    page.get_by_role("heading", name="Releases").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="2.4").click()
    page.get_by_role("heading", name="Readiness per function").wait_for()
    assert page.get_by_text("likely to finish the remaining").is_visible()
    assert page.locator("svg.chart").count() == 2
    assert axe_violations(page) == []

    support = page.locator("#readiness-support")
    assert "0 of 2" in support.inner_text()
    support.get_by_role("button", name="Mark done: Support team trained").click()
    page.locator("#readiness-support", has_text="1 of 2").wait_for()
    assert release.readiness.filter(function="support", done=True).count() == 1

    page.get_by_role("link", name="Forecast").click()
    page.get_by_role("heading", name="Burn-up with forecast cone").wait_for()
    page.get_by_label("Remaining items").fill("30")
    page.get_by_role("button", name="Forecast", exact=True).click()
    page.get_by_role("heading", name="Histogram of completion dates").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("link", name="What if we lose a developer").click()
    page.get_by_role("heading", name="Today and with this scenario").wait_for()
    assert axe_violations(page) == []
    assert page.watch.problems == []
