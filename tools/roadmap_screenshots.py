"""Screenshots of the demo's roadmaps and radar for docs/roadmaps.md (headless Chromium).

Run against a server with the demo loaded (`headway demo`, then `headway runserver`):

    python tools/roadmap_screenshots.py http://127.0.0.1:8000 docs/img
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SHOTS = {
    "roadmap-timeline.png": ("Product roadmap", "#roadmap-board"),
    "roadmap-now-next-later.png": ("Now / next / later", "#roadmap-board"),
    "roadmap-technology.png": ("Technology roadmap", "#roadmap-board"),
}


def main(base: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1700, "height": 1000})
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("demo")
        page.get_by_label("Password").fill("headway-demo")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Acme Analytics").first.click()
        page.get_by_role("link", name="Roadmaps").first.click()
        listing = page.url
        for name, (title, selector) in SHOTS.items():
            page.goto(listing)
            page.get_by_role("link", name=title, exact=True).click()
            if name == "roadmap-technology.png":  # the longest: a quarter zoom shows all of it
                page.get_by_role("link", name="Quarter").click()
                page.wait_for_url("**zoom=quarter**")
            page.locator(".roadmap-canvas").screenshot(path=str(folder / name))
            if name == "roadmap-timeline.png":
                page.locator(selector).screenshot(path=str(folder / "roadmap-page.png"))
        page.goto(listing)
        page.get_by_role("link", name="Technology radar").click()
        page.locator(".roadmap-canvas").screenshot(path=str(folder / "radar.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
