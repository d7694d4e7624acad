"""A product manager drags a roadmap bar and the new dates stick."""

from __future__ import annotations

import datetime as dt
from typing import Any

from headway.planning.models import Feature
from headway.roadmaps.models import Roadmap
from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def test_dragging_a_bar_moves_its_dates_and_they_stay_after_reload(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    demo.load()
    plan = Roadmap.objects.get(name="Product roadmap")
    feature = Feature.objects.get(title="Audit log export")
    assert feature.start_date is not None
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Acme Analytics").first.wait_for()
    page.goto(f"{live_server.url}/roadmaps/{plan.pk}/")
    page.get_by_role("heading", name="Product roadmap").wait_for()
    assert axe_violations(page) == []

    bar = page.locator(f'g.hw-item.hw-bar[data-item-id="feature-{feature.pk}"]')
    pixels_per_day = float(page.locator("svg.hw-roadmap").get_attribute("data-pixels-per-day"))
    box = bar.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 3 * pixels_per_day, y, steps=3)
    page.mouse.move(x + 7 * pixels_per_day, y, steps=3)
    page.mouse.up()
    page.get_by_role("status").filter(has_text="Moved “Audit log export”").wait_for()

    expected = (feature.start_date + dt.timedelta(days=7)).isoformat()
    page.reload()
    row = page.locator("tr", has=page.get_by_role("link", name="Audit log export"))
    assert row.locator("td.item-start").inner_text().strip() == expected
    assert page.url.endswith(f"/roadmaps/{plan.pk}/")  # the drop did not follow the bar's link
    assert axe_violations(page) == []
    assert page.watch.problems == []
