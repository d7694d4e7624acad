"""One colleague mentions another in a comment; the other signs in and finds the notification."""

from __future__ import annotations

from typing import Any

from headway.accounts.models import Function, Membership, Role, Workspace
from headway.core import changes
from headway.planning.models import Feature
from headway.products.models import Product
from tests.conftest import make_user
from tests.e2e.conftest import axe_violations

PASSWORD = "correct horse battery staple"


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your products").wait_for()


def test_a_mentioned_colleague_sees_the_notification(
    live_server: Any, page: Any, transactional_db: None
) -> None:
    ada, ben = make_user("ada"), make_user("ben")
    ben.first_name = "Ben"
    ben.save()
    workspace = Workspace.objects.create(name="Acme")
    Membership.objects.create(user=ada, workspace=workspace, role=Role.PRODUCT_MANAGER)
    Membership.objects.create(
        user=ben, workspace=workspace, role=Role.CONTRIBUTOR, function=Function.ENGINEERING
    )
    product = Product.objects.create(workspace=workspace, name="Rocket")
    feature = changes.create(Feature, user=ada, product=product, title="Single sign-on")
    base = live_server.url

    sign_in(page, base, "ada")
    page.goto(f"{base}/comments/features/{feature.pk}/")
    page.get_by_role("heading", name="Single sign-on").wait_for()
    assert axe_violations(page) == []

    box = page.get_by_label("Add a comment")
    box.click()
    box.press_sequentially("Could you review the IdP list, @be")
    page.get_by_role("button", name="@ben").click()  # the autocomplete, fetched by htmx
    assert box.input_value() == "Could you review the IdP list, @ben "
    box.press_sequentially("before Friday?")
    page.get_by_role("button", name="Comment", exact=True).click()
    page.locator(".comment__body .mention", has_text="@ben").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "ben")
    badge = page.get_by_role("link", name="Notifications, 1 unread")
    badge.wait_for()
    badge.click()
    mention = page.get_by_role("button", name="ada mentioned you on feature 'Single sign-on'")
    mention.wait_for()
    assert page.get_by_text("Could you review the IdP list, @ben before Friday?").is_visible()
    assert axe_violations(page) == []

    mention.click()  # marks it read and opens the conversation
    page.get_by_text("before Friday?").first.wait_for()
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert page.watch.problems == []
