"""Browser tests of discovery: a visitor submits and votes on the public portal; a contributor
triages feedback from the keyboard."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from headway.discovery.models import Feedback, Idea, Vote
from headway.web import demo
from tests.e2e.conftest import axe_violations
from tests.e2e.test_sign_in import sign_in


def test_visitor_submits_an_idea_and_votes_on_the_portal(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    portal = f"{live_server.url}/portal/{loaded.product.slug}/"
    page.goto(portal)
    page.get_by_role("heading", name="Help shape Acme Analytics").wait_for()
    assert page.get_by_role("link", name="Dark mode for dashboards").is_visible()
    assert page.get_by_text("Audit log export").count() == 0  # a private idea
    assert axe_violations(page) == []

    page.get_by_label("Search ideas").fill("slack")
    expect(page.get_by_role("link", name="Slack alerts when a metric moves")).to_be_visible()
    expect(page.get_by_role("link", name="Dark mode for dashboards")).to_have_count(0)

    page.get_by_role("link", name="Suggest an idea").click()
    page.get_by_label("Your idea").fill("Dark theme for dashboards")
    # Similar public ideas appear while typing (htmx), to vote for instead.
    expect(page.get_by_text("Someone may have suggested it already")).to_be_visible()
    page.get_by_label("Tell us more (optional)").fill("Our night shift works in the dark.")
    page.get_by_label("Your name").fill("Nora Night")
    page.get_by_label("Your email").fill("nora@example.com")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit my idea").click()
    page.get_by_role("heading", name="Dark theme for dashboards").wait_for()
    expect(page.get_by_text("Thank you! Your idea was submitted")).to_be_visible()
    submitted = Idea.objects.get(title="Dark theme for dashboards")
    assert submitted.submitter_email == "nora@example.com"

    page.get_by_role("link", name="← All ideas").click()
    page.get_by_role("link", name="Google Sheets connector").click()
    before = Idea.objects.get(title="Google Sheets connector").vote_count
    # The browser remembers the visitor, so voting is one click.
    expect(page.get_by_label("Your email")).to_have_value("nora@example.com")
    page.get_by_role("button", name="Vote for this idea").click()
    expect(page.get_by_text("Thank you for your vote!")).to_be_visible()
    expect(page.get_by_role("heading", name="You voted for this idea")).to_be_visible()
    assert Idea.objects.get(title="Google Sheets connector").vote_count == before + 1
    assert Vote.objects.filter(voter_email="nora@example.com").count() == 1
    assert axe_violations(page) == []
    assert page.watch.problems == []


def test_contributor_triages_feedback_from_the_keyboard(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    loaded = demo.load()
    sign_in(page, live_server.url)
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/products/{loaded.product.pk}/feedback/triage/")
    page.get_by_role("heading", name="Triage").wait_for()
    assert axe_violations(page) == []
    items = page.locator("[data-triage-item]")
    first_text = items.nth(0).locator(".triage-item__text").inner_text()
    second_text = items.nth(1).locator(".triage-item__text").inner_text()

    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("a")  # archive the first item
    expect(items.nth(0)).to_contain_text("Archived")
    expect(items.nth(1)).to_have_class(re.compile("is-current"))
    assert Feedback.objects.get(text=first_text).state == "archived"

    page.keyboard.press("l")  # link the second one
    dialog = page.get_by_role("dialog", name="Link to an idea")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Critical").check()
    dialog.get_by_label("Find an idea").fill("google")
    dialog.get_by_role("button", name="Link to “Google Sheets connector”").click()
    expect(dialog).to_be_hidden()
    expect(items.nth(1)).to_contain_text("Supports Google Sheets connector")
    linked = Feedback.objects.get(text=second_text)
    assert linked.state == "processed"
    assert linked.links.get().importance == "critical"
    assert axe_violations(page) == []
    assert page.watch.problems == []
