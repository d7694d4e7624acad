"""The public portal: on only when enabled, public fields only, submit / vote / follow by email,
honeypot and rate limits."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from headway.discovery import services
from headway.discovery.models import (
    Customer,
    Feedback,
    FeedbackLink,
    Follower,
    Idea,
    Vote,
)
from tests.conftest import Api, World


@pytest.fixture
def portal(world: World) -> str:
    world.product.portal_enabled = True
    world.product.save()
    return f"/portal/{world.product.slug}/"


def visitor(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def idea(world: World, title: str = "Dark mode", **fields: Any) -> Idea:
    return Idea.objects.create(product=world.product, title=title, **fields)


def submit(client: Client, portal: str, **fields: str) -> Any:
    data = {"title": "Offline mode", "name": "Vera", "email": "vera@example.com", **fields}
    return client.post(f"{portal}submit/", data)


def test_portal_is_404_when_switched_off(world: World) -> None:
    item = idea(world)
    base = f"/portal/{world.product.slug}/"
    assert visitor().get(base).status_code == 404
    assert visitor().get(f"{base}ideas/{item.pk}/").status_code == 404
    assert visitor().get(f"{base}submit/").status_code == 404
    assert submit(visitor(), base).status_code == 404
    assert not Idea.objects.exclude(pk=item.pk).exists()


def test_unknown_portal_is_404(db: None) -> None:
    assert visitor().get("/portal/nothing-here/").status_code == 404


def test_portal_lists_open_public_ideas_by_votes(world: World, portal: str) -> None:
    idea(world, "Few votes", vote_count=1)
    idea(world, "Many votes", vote_count=9)
    idea(world, "Shipped already", status="shipped")
    idea(world, "Kept private", public=False)
    page = visitor().get(portal).text
    assert page.index("Many votes") < page.index("Few votes")
    assert "Shipped already" not in page
    assert "Kept private" not in page
    assert "Shipped already" in visitor().get(f"{portal}?show=shipped").text


def test_portal_searches_and_sorts(world: World, portal: str) -> None:
    idea(world, "Export to PowerPoint", vote_count=5)
    idea(world, "Dark mode", vote_count=1)
    searched = visitor().get(f"{portal}?q=export").text
    assert "Export to PowerPoint" in searched and "Dark mode" not in searched
    newest = visitor().get(f"{portal}?sort=new").text
    assert newest.index("Dark mode") < newest.index("Export to PowerPoint")
    fragment = visitor().get(f"{portal}?q=dark", HTTP_HX_REQUEST="true").text
    assert fragment.strip().startswith('<section id="results"')


def test_portal_never_shows_internal_fields(world: World, portal: str) -> None:
    secret = Customer.objects.create(
        workspace=world.workspace, name="Secret Customer", company="Hushco", revenue=987654
    )
    shown = idea(
        world,
        "Public dashboards",
        internal_notes="INTERNAL-NOTE-XYZ",
        submitter_name="Sally Submitter",
        submitter_email="sally@hidden.example",
        vote_count=1,
    )
    idea(world, "Private roadmap item", public=False)
    feedback = Feedback.objects.create(
        product=world.product, text="FEEDBACK-TEXT-XYZ", customer=secret
    )
    FeedbackLink.objects.create(feedback=feedback, idea=shown)
    Vote.objects.create(idea=shown, customer=secret, proxy_by=world.pm)
    Vote.objects.create(idea=shown, voter_email="other.voter@example.com")
    pages = [
        visitor().get(portal).text,
        visitor().get(f"{portal}?show=all&q=dashboards").text,
        visitor().get(f"{portal}ideas/{shown.pk}/").text,
        visitor().get(f"{portal}suggestions/?title=public+dashboards").text,
    ]
    assert "Public dashboards" in pages[0]
    for html in pages:
        for marker in (
            "INTERNAL-NOTE-XYZ",
            "Sally Submitter",
            "sally@hidden.example",
            "Private roadmap item",
            "FEEDBACK-TEXT-XYZ",
            "Secret Customer",
            "Hushco",
            "987",
            "other.voter@example.com",
            "pavel",
        ):
            assert marker not in html


def test_private_idea_page_is_404(world: World, portal: str) -> None:
    hidden = idea(world, public=False)
    assert visitor().get(f"{portal}ideas/{hidden.pk}/").status_code == 404


def test_another_products_idea_is_404_on_this_portal(world: World, portal: str) -> None:
    theirs = Idea.objects.create(product=world.other_product, title="theirs")
    assert visitor().get(f"{portal}ideas/{theirs.pk}/").status_code == 404


def test_merged_idea_redirects_to_the_kept_one(world: World, portal: str) -> None:
    dup, keep = idea(world, "Night theme"), idea(world, "Dark mode")
    services.merge(world.pm, dup, keep)
    response = visitor().get(f"{portal}ideas/{dup.pk}/")
    assert response["Location"] == f"{portal}ideas/{keep.pk}/"


def test_portal_is_standalone_without_the_workspace_menus(world: World, portal: str) -> None:
    client = visitor()
    client.force_login(world.pm)
    page = client.get(portal).text
    assert "Sign out" not in page
    assert "Rocket" in page
    assert 'aria-current="page">Ideas</a>' in page
    assert "<script>" not in page


# --- submitting -----------------------------------------------------------------------------------


def test_visitor_submits_an_idea(world: World, portal: str) -> None:
    Customer.objects.create(workspace=world.workspace, name="Vera V.", email="vera@example.com")
    response = submit(visitor(), portal, description="Work on the train")
    created = Idea.objects.get(title="Offline mode")
    assert response["Location"] == f"{portal}ideas/{created.pk}/"
    assert (created.status, created.public, created.author) == ("new", True, None)
    assert created.submitter_email == "vera@example.com"
    feedback = Feedback.objects.get()
    assert feedback.source == "portal"
    assert feedback.customer.name == "Vera V."  # matched by email
    assert feedback.links.get().idea == created
    assert Follower.objects.get().email == "vera@example.com"


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("name", ""), ("email", ""), ("email", "not-mail")],
)
def test_submission_is_validated(world: World, portal: str, field: str, value: str) -> None:
    response = submit(visitor(), portal, **{field: value})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert not Idea.objects.exists()


def test_honeypot_submission_is_thanked_and_dropped(world: World, portal: str) -> None:
    response = submit(visitor(), portal, website="http://spam.example")
    assert response.status_code == 302
    assert not Idea.objects.exists()


def test_submissions_are_rate_limited_per_address(world: World, portal: str, settings: Any) -> None:
    settings.PORTAL_SUBMIT_LIMIT = 2
    client = visitor("198.51.100.1")
    for n in range(2):
        assert submit(client, portal, title=f"Idea {n}").status_code == 302
    refused = submit(client, portal, title="One too many")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Slow down" in refused.text
    assert not Idea.objects.filter(title="One too many").exists()
    assert submit(visitor("198.51.100.2"), portal, title="Another address").status_code == 302


# --- voting and following -------------------------------------------------------------------------


def vote(
    client: Client, portal: str, item: Idea, email: str = "jo@example.com", **more: str
) -> Any:
    return client.post(f"{portal}ideas/{item.pk}/vote/", {"email": email, **more})


def test_one_vote_per_email(world: World, portal: str) -> None:
    item = idea(world)
    client = visitor()
    vote(client, portal, item)
    again = vote(visitor(), portal, item, email="JO@example.com")
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.vote_count == 1
    assert Follower.objects.filter(idea=item, email="jo@example.com").exists()
    page = client.get(f"{portal}ideas/{item.pk}/").text
    assert "You voted for this idea" in page


def test_visitor_takes_a_vote_back(world: World, portal: str) -> None:
    item = idea(world)
    client = visitor()
    vote(client, portal, item)
    vote(client, portal, item, action="unvote")
    item.refresh_from_db()
    assert item.vote_count == 0


def test_vote_needs_a_valid_email(world: World, portal: str) -> None:
    item = idea(world)
    vote(visitor(), portal, item, email="nope")
    assert not Vote.objects.exists()


def test_closed_idea_takes_no_portal_votes(world: World, portal: str) -> None:
    item = idea(world, status="shipped")
    vote(visitor(), portal, item)
    assert not Vote.objects.exists()
    assert "Voting is closed" in visitor().get(f"{portal}ideas/{item.pk}/").text


def test_votes_are_rate_limited_per_address(world: World, portal: str, settings: Any) -> None:
    settings.PORTAL_VOTE_LIMIT = 3
    ideas = [idea(world, f"idea {i}") for i in range(4)]
    client = visitor("192.0.2.9")
    for item in ideas[:3]:
        assert vote(client, portal, item).status_code == 302
    refused = vote(client, portal, ideas[3])
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert not Vote.objects.filter(idea=ideas[3]).exists()


def test_behind_a_trusted_proxy_votes_are_limited_per_visitor(
    world: World, portal: str, settings: Any
) -> None:
    settings.PORTAL_VOTE_LIMIT = 2
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]
    ideas = [idea(world, f"idea {i}") for i in range(3)]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for item in ideas[:2]:
        assert vote(first, portal, item).status_code == 302
    assert vote(first, portal, ideas[2]).status_code == 429
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert vote(second, portal, ideas[2], email="kim@example.com").status_code == 302


def test_behind_a_trusted_proxy_submissions_are_limited_per_visitor(
    world: World, portal: str, settings: Any
) -> None:
    settings.PORTAL_SUBMIT_LIMIT = 1
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1")]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert submit(first, portal, title="Offline mode").status_code == 302
    assert submit(first, portal, title="Sync").status_code == 429
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert submit(second, portal, title="Sync").status_code == 302


def test_honeypot_vote_is_dropped(world: World, portal: str) -> None:
    item = idea(world)
    vote(visitor(), portal, item, website="spam")
    assert not Vote.objects.exists()


def test_followers_hear_of_status_changes_and_can_stop(
    world: World, portal: str, pm_api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    item = idea(world)
    visitor().post(f"{portal}ideas/{item.pk}/follow/", {"email": "fan@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        pm_api.patch(f"/ideas/{item.pk}", {"status": "under_review"})
    [message] = mail.outbox
    assert message.to == ["fan@example.com"]
    assert "is now under review" in message.subject
    follower = Follower.objects.get()
    assert f"http://testserver{portal}ideas/{item.pk}/" in message.body
    stop = f"{portal}unfollow/{follower.token}/"
    assert stop in message.body
    assert "Stop following?" in visitor().get(stop).text
    assert "no longer follow" in visitor().post(stop).text
    assert not Follower.objects.exists()


def test_private_ideas_send_no_status_email(
    world: World, pm_api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    item = idea(world, public=False)
    Follower.objects.create(idea=item, email="fan@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        pm_api.patch(f"/ideas/{item.pk}", {"status": "under_review"})
    assert mail.outbox == []


def test_followers_of_a_merged_idea_hear_where_it_went(
    world: World, pm_api: Api, django_capture_on_commit_callbacks: Any
) -> None:
    dup, keep = idea(world, "Night theme"), idea(world, "Dark mode")
    Follower.objects.create(idea=dup, email="fan@example.com", base_url="https://hw.example")
    with django_capture_on_commit_callbacks(execute=True):
        pm_api.post(f"/ideas/{dup.pk}/merge", {"into": keep.pk})
    [message] = mail.outbox
    assert "merged into “Dark mode”" in message.body
    assert f"https://hw.example/portal/{world.product.slug}/ideas/{keep.pk}/" in message.body
    assert Follower.objects.get().idea == keep
