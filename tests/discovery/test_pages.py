"""The discovery pages: ideas, idea, feedback inbox, triage, link chooser — roles, htmx
fragments, actions, and query counts that do not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.activity.models import AuditEvent
from headway.discovery import services
from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea, Vote
from headway.planning.models import Feature
from tests.conftest import World, make_user


def client_for(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def idea(world: World, title: str = "Dark mode", **fields: Any) -> Idea:
    return Idea.objects.create(product=world.product, title=title, **fields)


# --- ideas list ---------------------------------------------------------------------------------


def test_ideas_page_lists_searches_and_filters(world: World) -> None:
    idea(world, "Export to PowerPoint", vote_count=3)
    idea(world, "Dark mode", status="planned")
    client = client_for(world, "viewer")
    page = client.get(f"/products/{world.product.pk}/ideas/").text
    assert "Export to PowerPoint" in page and "Dark mode" in page
    searched = client.get(f"/products/{world.product.pk}/ideas/?q=export").text
    assert "Export to PowerPoint" in searched and "Dark mode" not in searched
    filtered = client.get(f"/products/{world.product.pk}/ideas/?status=planned").text
    assert "Dark mode" in filtered and "Export to PowerPoint" not in filtered


def test_ideas_search_over_htmx_returns_only_the_results(world: World) -> None:
    idea(world, "Export to PowerPoint")
    response = client_for(world).get(
        f"/products/{world.product.pk}/ideas/?q=export", HTTP_HX_REQUEST="true"
    )
    assert response.text.strip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_viewer_sees_no_new_idea_form_and_cannot_post_one(world: World) -> None:
    client = client_for(world, "viewer")
    url = f"/products/{world.product.pk}/ideas/"
    assert "New idea" not in client.get(url).text
    assert client.post(url, {"title": "Mine"}).status_code == 403
    assert not Idea.objects.exists()


def test_contributor_adds_an_idea_from_the_page(world: World) -> None:
    response = client_for(world, "contributor").post(
        f"/products/{world.product.pk}/ideas/", {"title": "SSO", "public": "on"}
    )
    created = Idea.objects.get(title="SSO")
    assert response["Location"] == f"/ideas/{created.pk}/"
    assert created.author == world.contributor
    assert created.public


def test_an_idea_without_title_is_shown_again_with_the_error(world: World) -> None:
    response = client_for(world).post(f"/products/{world.product.pk}/ideas/", {"title": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text


def test_vote_button_toggles_over_htmx(world: World) -> None:
    item = idea(world)
    client = client_for(world, "contributor")
    first = client.post(f"/ideas/{item.pk}/vote/", HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in first.text
    assert Vote.objects.filter(idea=item, user=world.contributor).exists()
    second = client.post(f"/ideas/{item.pk}/vote/", HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in second.text
    item.refresh_from_db()
    assert item.vote_count == 0


def test_vote_without_javascript_redirects_back(world: World) -> None:
    item = idea(world)
    response = client_for(world, "contributor").post(
        f"/ideas/{item.pk}/vote/", {"next": f"/products/{world.product.pk}/ideas/"}
    )
    assert response["Location"] == f"/products/{world.product.pk}/ideas/"


def test_vote_never_redirects_elsewhere(world: World) -> None:
    item = idea(world)
    response = client_for(world, "contributor").post(
        f"/ideas/{item.pk}/vote/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/ideas/{item.pk}/"


def test_viewer_cannot_vote_from_the_page(world: World) -> None:
    item = idea(world)
    assert client_for(world, "viewer").post(f"/ideas/{item.pk}/vote/").status_code == 403


# --- idea page ------------------------------------------------------------------------------------


def test_idea_page_shows_demand_evidence_and_allowed_moves(world: World) -> None:
    item = idea(world, internal_notes="Renewal depends on it")
    ada = Customer.objects.create(
        workspace=world.workspace, name="Ada Lovelace", company="Initech", revenue=120000
    )
    feedback = Feedback.objects.create(product=world.product, text="We need it", customer=ada)
    FeedbackLink.objects.create(feedback=feedback, idea=item, importance="critical")
    services.vote(item, customer=ada, proxy_by=world.contributor)
    page = client_for(world).get(f"/ideas/{item.pk}/").text
    assert "120,000" in page
    assert "We need it" in page
    assert "Ada Lovelace" in page and "proxy vote by carla" in page
    assert "Renewal depends on it" in page
    assert "Move to under review" in page and "Move to declined" in page
    assert "Move to shipped" not in page


def test_viewer_sees_no_management_on_the_idea_page(world: World) -> None:
    page = client_for(world, "viewer").get(f"/ideas/{idea(world).pk}/").text
    assert "Move to" not in page
    assert "Promote to feature" not in page
    assert "Merge into" not in page


def test_another_workspaces_idea_is_404(world: World) -> None:
    theirs = Idea.objects.create(product=world.other_product, title="Secret plan")
    assert client_for(world).get(f"/ideas/{theirs.pk}/").status_code == 404


def test_status_buttons_follow_the_workflow(world: World) -> None:
    item = idea(world)
    client = client_for(world)
    client.post(f"/ideas/{item.pk}/status/", {"status": "under_review"})
    client.post(f"/ideas/{item.pk}/status/", {"status": "shipped"})
    item.refresh_from_db()
    assert item.status == "under_review"


def test_edit_form_changes_the_idea(world: World) -> None:
    item = idea(world)
    client_for(world).post(
        f"/ideas/{item.pk}/edit/", {"title": "Dark mode everywhere", "description": "x"}
    )
    item.refresh_from_db()
    assert (item.title, item.public) == ("Dark mode everywhere", False)


def test_merge_from_the_page_lands_on_the_kept_idea(world: World) -> None:
    dup, keep = idea(world, "Night theme"), idea(world, "Dark mode")
    services.vote(dup, user=world.pm)
    response = client_for(world).post(f"/ideas/{dup.pk}/merge/", {"into": keep.pk})
    assert response["Location"] == f"/ideas/{keep.pk}/"
    keep.refresh_from_db()
    assert keep.vote_count == 1
    assert AuditEvent.objects.filter(object_id=keep.pk, action="merge").exists()


def test_merge_candidates_are_found_by_words(world: World) -> None:
    item = idea(world, "Night theme")
    idea(world, "Dark mode")
    response = client_for(world).get(f"/ideas/{item.pk}/merge/candidates/?q=dark")
    assert "Merge into “Dark mode”" in response.text


def test_promote_from_the_page(world: World) -> None:
    item = idea(world)
    client_for(world).post(f"/ideas/{item.pk}/promote/")
    item.refresh_from_db()
    assert item.feature == Feature.objects.get()
    assert f"#{item.feature.pk}" in client_for(world).get(f"/ideas/{item.pk}/").text


def test_proxy_vote_from_the_page(world: World) -> None:
    item = idea(world)
    client = client_for(world, "contributor")
    client.post(
        f"/ideas/{item.pk}/proxy-vote/",
        {"customer_name": "Raj Patel", "customer_company": "Globex"},
    )
    raj = Customer.objects.get(name="Raj Patel")
    assert Vote.objects.get(idea=item).customer == raj
    client.post(f"/ideas/{item.pk}/proxy-vote/{raj.pk}/withdraw/")
    assert not Vote.objects.exists()


# --- feedback -------------------------------------------------------------------------------------


def test_feedback_inbox_adds_feedback_linked_to_a_picked_idea(world: World) -> None:
    item = idea(world)
    response = client_for(world, "contributor").post(
        f"/products/{world.product.pk}/feedback/",
        {
            "text": "Please add dark mode",
            "source": "interview",
            "importance": "critical",
            "idea": str(item.pk),
            "customer_name": "Ada",
            "customer_email": "ada@initech.example",
            "customer_revenue": "5000",
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.customer.email == "ada@initech.example"
    assert feedback.links.get().importance == "critical"


def test_feedback_form_needs_a_customer_name_when_company_is_given(world: World) -> None:
    response = client_for(world).post(
        f"/products/{world.product.pk}/feedback/",
        {"text": "x", "source": "email", "importance": "nice", "customer_company": "Globex"},
    )
    assert response.status_code == 422
    assert "name or email" in response.text
    assert not Feedback.objects.exists()


def test_feedback_inbox_searches_and_filters(world: World) -> None:
    Feedback.objects.create(product=world.product, text="slow exports", source="email")
    Feedback.objects.create(product=world.product, text="dark mode", state="archived")
    client = client_for(world, "viewer")
    url = f"/products/{world.product.pk}/feedback/"
    assert "slow exports" in client.get(f"{url}?q=export").text
    assert "dark mode" not in client.get(f"{url}?q=export").text
    assert "slow exports" not in client.get(f"{url}?state=archived").text


def test_triage_shows_new_feedback_by_default(world: World) -> None:
    Feedback.objects.create(product=world.product, text="fresh one")
    Feedback.objects.create(product=world.product, text="done one", state="processed")
    page = client_for(world).get(f"/products/{world.product.pk}/feedback/triage/").text
    assert "fresh one" in page and "done one" not in page
    assert 'data-key="l"' in page and 'data-key="a"' in page


def test_triage_archive_is_one_htmx_request_returning_the_item(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    response = client_for(world, "contributor").post(
        f"/feedback/{feedback.pk}/state/", {"state": "archived"}, HTTP_HX_REQUEST="true"
    )
    assert response.text.strip().startswith(f'<article id="feedback-{feedback.pk}"')
    feedback.refresh_from_db()
    assert feedback.state == "archived"


def test_triage_link_is_one_htmx_request_returning_the_item(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    item = idea(world)
    response = client_for(world, "contributor").post(
        f"/feedback/{feedback.pk}/link/",
        {"idea": item.pk, "importance": "nice"},
        HTTP_HX_REQUEST="true",
    )
    assert f'id="feedback-{feedback.pk}"' in response.text
    assert "Dark mode" in response.text
    feedback.refresh_from_db()
    assert feedback.state == "processed"
    unlinked = client_for(world, "contributor").post(
        f"/feedback/{feedback.pk}/unlink/", {"idea": item.pk}, HTTP_HX_REQUEST="true"
    )
    assert unlinked.status_code == 200
    assert not FeedbackLink.objects.exists()


def test_link_chooser_works_without_javascript(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    item = idea(world)
    client = client_for(world, "contributor")
    page = client.get(f"/feedback/{feedback.pk}/link/")
    assert "<html" in page.text
    response = client.post(
        f"/feedback/{feedback.pk}/link/",
        {"idea": item.pk, "importance": "important", "next": "/"},
    )
    assert response.status_code == 302
    assert FeedbackLink.objects.filter(feedback=feedback, idea=item).exists()


def test_link_candidates_find_ideas_by_words(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    idea(world, "Export to PowerPoint")
    response = client_for(world).get(f"/feedback/{feedback.pk}/link/candidates/?q=power")
    assert "Export to PowerPoint" in response.text


def test_linking_an_idea_of_another_product_is_refused(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    theirs = Idea.objects.create(product=world.other_product, title="theirs")
    response = client_for(world).post(
        f"/feedback/{feedback.pk}/link/", {"idea": theirs.pk}, HTTP_HX_REQUEST="true"
    )
    assert "not in this product" in response.text
    assert not FeedbackLink.objects.exists()


def test_viewer_cannot_triage(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="x")
    client = client_for(world, "viewer")
    assert client.post(f"/feedback/{feedback.pk}/state/", {"state": "archived"}).status_code == 403


def test_product_nav_has_the_discovery_tabs(world: World) -> None:
    page = client_for(world).get(f"/products/{world.product.pk}/feedback/").text
    assert f'href="/products/{world.product.pk}/ideas/"' in page
    assert 'aria-current="page">Feedback</a>' in page


# --- query counts ---------------------------------------------------------------------------------


def _populate_ideas(world: World, n: int, start: int) -> None:
    customer = Customer.objects.create(workspace=world.workspace, name=f"C{start}", revenue=5)
    for i in range(start, start + n):
        item = idea(world, f"idea {i}", author=world.pm)
        Vote.objects.create(idea=item, customer=customer)
        Vote.objects.create(idea=item, user=make_user(f"u{i}"))
        feedback = Feedback.objects.create(
            product=world.product, text=f"feedback {i}", customer=customer, author=world.pm
        )
        FeedbackLink.objects.create(feedback=feedback, idea=item)


def _populate_feedback(world: World, n: int, start: int) -> None:
    item = idea(world, f"target {start}")
    for i in range(start, start + n):
        customer = Customer.objects.create(workspace=world.workspace, name=f"F{i}")
        feedback = Feedback.objects.create(
            product=world.product, text=f"feedback {i}", customer=customer, author=world.pm
        )
        FeedbackLink.objects.create(feedback=feedback, idea=item)


def _first_idea(world: World) -> str:
    return f"/ideas/{Idea.objects.order_by('id').first().pk}/"  # type: ignore[union-attr]


PAGES: list[tuple[str, Callable[[World], str], Callable[[World, int, int], None]]] = [
    ("ideas", lambda w: f"/products/{w.product.pk}/ideas/", _populate_ideas),
    ("ideas search", lambda w: f"/products/{w.product.pk}/ideas/?q=idea", _populate_ideas),
    ("idea", _first_idea, _populate_ideas),
    ("feedback", lambda w: f"/products/{w.product.pk}/feedback/", _populate_feedback),
    ("triage", lambda w: f"/products/{w.product.pk}/feedback/triage/", _populate_feedback),
    ("portal", lambda w: f"/portal/{w.product.slug}/", _populate_ideas),
]


@pytest.mark.parametrize(("name", "url", "populate"), PAGES, ids=[p[0] for p in PAGES])
def test_page_queries_do_not_grow_with_rows(
    world: World, name: str, url: Callable[[World], str], populate: Any
) -> None:
    world.product.portal_enabled = True
    world.product.save()
    client = client_for(world)

    def count() -> int:
        # Once unmeasured: the first use after ideas change also brings the similarity index
        # up to date (a one-off per change, not per row).
        client.get(url(world))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(world))
            assert response.status_code == 200, response.content[:500]
        return len(queries)

    populate(world, 3, 0)
    few = count()
    populate(world, 27, 100)
    assert count() == few


def test_the_demo_fills_ideas_feedback_triage_and_portal(db: None) -> None:
    from headway.web import demo

    loaded = demo.load()
    product = loaded.product
    assert product.ideas.filter(status="duplicate", merged_into__isnull=False).exists()
    assert product.ideas.filter(feature__isnull=False).exists()
    assert product.ideas.filter(public=False).exists()
    assert product.feedback.filter(state="new").count() >= 5
    assert Vote.objects.filter(idea__product=product, proxy_by__isnull=False).exists()
    assert Vote.objects.filter(idea__product=product).exclude(voter_email="").exists()
    client = Client()
    client.force_login(loaded.users["demo"])
    triage = client.get(f"/products/{product.pk}/feedback/triage/").text
    assert "sample dashboards" in triage
    portal = Client().get(f"/portal/{product.slug}/").text
    assert "Dark mode for dashboards" in portal
    assert "Audit log export" not in portal  # private in the demo


def test_pages_take_odd_numbers_calmly(world: World) -> None:
    world.product.portal_enabled = True
    world.product.save()
    item = idea(world)
    feedback = Feedback.objects.create(product=world.product, text="x")
    client = client_for(world)
    big = str(10**30)
    for url in (
        f"/products/{world.product.pk}/ideas/?page={big}",
        f"/products/{world.product.pk}/feedback/?page=-3",
        f"/products/{world.product.pk}/feedback/triage/?page=abc&state=bogus",
        f"/products/{world.product.pk}/ideas/suggestions/?title=x&exclude={big}",
        f"/portal/{world.product.slug}/?page={big}&show=nonsense&sort=sideways",
    ):
        assert client.get(url).status_code == 200, url
    assert client.post(f"/ideas/{item.pk}/merge/", {"into": big}).status_code == 302
    assert client.post(f"/feedback/{feedback.pk}/unlink/", {"idea": big}).status_code == 302
    linked = client.post(f"/feedback/{feedback.pk}/link/", {"idea": big}, HTTP_HX_REQUEST="true")
    assert "Choose an idea" in linked.text
