"""Similar ideas through the product's cached index: suggestions while typing, the similar
endpoint, and an index that follows creations, edits, merges and deletions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.discovery import services, suggestions
from headway.discovery.models import Idea
from headway.discovery.similarity import SimilarityIndex
from tests.conftest import Api, World

TITLES = [
    ("Dark mode for dashboards", "A dark theme for dashboards and the editor"),
    ("Export dashboards to PowerPoint", "Slides for the board meeting"),
    ("Slack alerts when revenue drops", "Ping our channel when a metric moves"),
    ("Google Sheets connector", "Use a spreadsheet as a data source"),
    ("Row-level permissions", "Each viewer sees only their region"),
]


@pytest.fixture
def ideas(world: World) -> list[Idea]:
    return [
        Idea.objects.create(product=world.product, title=title, description=description)
        for title, description in TITLES
    ]


def titles(found: list[suggestions.Suggestion]) -> list[str]:
    return [s.idea.title for s in found]


def test_a_draft_finds_the_idea_it_repeats(world: World, ideas: list[Idea]) -> None:
    found = suggestions.for_text(world.product, "Night theme", "a dark mode for the dashboard")
    assert titles(found)[0] == "Dark mode for dashboards"
    assert all(0 < s.score <= 1 for s in found)


def test_unrelated_text_suggests_nothing(world: World, ideas: list[Idea]) -> None:
    assert suggestions.for_text(world.product, "billing invoices in euros") == []
    assert suggestions.for_text(world.product, "   ") == []


def test_similar_endpoint_answers_best_first(
    world: World, ideas: list[Idea], viewer_api: Api
) -> None:
    twin = Idea.objects.create(
        product=world.product, title="Dark theme for the dashboards", description="dark mode"
    )
    response = viewer_api.get(f"/ideas/{ideas[0].pk}/similar?limit=3")
    assert response.status_code == 200
    body = response.json()
    assert body[0]["id"] == twin.pk
    assert set(body[0]) == {"id", "title", "score"}
    assert [item["score"] for item in body] == sorted((i["score"] for i in body), reverse=True)
    assert ideas[0].pk not in [item["id"] for item in body]


def test_similar_limit_is_validated(world: World, ideas: list[Idea], viewer_api: Api) -> None:
    assert viewer_api.get(f"/ideas/{ideas[0].pk}/similar?limit=0").status_code == 422
    assert viewer_api.get(f"/ideas/{ideas[0].pk}/similar?limit=51").status_code == 422


def test_the_index_follows_new_edited_and_deleted_ideas(world: World, ideas: list[Idea]) -> None:
    assert suggestions.for_text(world.product, "kanban board view") == []
    created = Idea.objects.create(product=world.product, title="Kanban board view")
    assert titles(suggestions.for_text(world.product, "kanban board view")) == [created.title]
    services.update_idea(world.pm, created, {"title": "Timezone settings"})
    assert suggestions.for_text(world.product, "kanban board view") == []
    assert titles(suggestions.for_text(world.product, "timezone settings")) == ["Timezone settings"]
    created.delete()
    assert suggestions.for_text(world.product, "timezone settings") == []


def test_merged_duplicates_are_never_suggested(world: World, ideas: list[Idea]) -> None:
    dup = Idea.objects.create(product=world.product, title="Dark theme", description="dark")
    services.merge(world.pm, dup, ideas[0])
    found = suggestions.for_text(world.product, "dark theme for dashboards")
    assert dup.pk not in [s.idea.pk for s in found]
    assert ideas[0].pk in [s.idea.pk for s in found]


def test_other_products_ideas_are_never_suggested(world: World, ideas: list[Idea]) -> None:
    Idea.objects.create(product=world.other_product, title="Dark mode for dashboards")
    found = suggestions.for_text(world.product, "dark mode for dashboards")
    assert {s.idea.product_id for s in found} == {world.product.pk}


def test_another_process_loads_the_cached_index_instead_of_building(
    world: World, ideas: list[Idea], monkeypatch: pytest.MonkeyPatch
) -> None:
    suggestions.for_text(world.product, "dark mode")
    assert cache.get(f"similarity:{world.product.pk}") is not None
    suggestions.forget()  # as if in another worker process
    monkeypatch.setattr(
        SimilarityIndex, "build", lambda *a, **k: pytest.fail("rebuilt instead of loaded")
    )
    created = Idea.objects.create(product=world.product, title="Offline mode")
    assert titles(suggestions.for_text(world.product, "offline mode"))[0] == "Offline mode"
    assert created.pk


def test_a_large_product_is_indexed_by_a_background_task(
    world: World, ideas: list[Idea], monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(suggestions, "BUILD_IN_REQUEST", 2)
    monkeypatch.setattr(suggestions, "build_in_background", SimpleNamespace(enqueue=queued.append))
    assert suggestions.for_text(world.product, "dark mode") == []
    assert queued == [world.product.pk]
    suggestions.build(world.product.pk)  # what the task does
    assert titles(suggestions.for_text(world.product, "dark mode"))[0] == TITLES[0][0]


def test_a_warm_index_answers_in_two_queries(world: World, ideas: list[Idea]) -> None:
    suggestions.for_text(world.product, "dark mode")
    with CaptureQueriesContext(connection) as queries:
        suggestions.for_text(world.product, "dark mode")
    assert len(queries) == 2  # the freshness stamp, and the ideas shown


def test_typing_a_new_idea_shows_suggestions(world: World, ideas: list[Idea]) -> None:
    client = Client()
    client.force_login(world.contributor)
    response = client.get(
        f"/products/{world.product.pk}/ideas/suggestions/",
        {"title": "Night theme", "description": "dark mode for dashboards"},
        HTTP_HX_REQUEST="true",
    )
    assert "Similar ideas already exist" in response.text
    assert "Dark mode for dashboards" in response.text


def test_typing_feedback_offers_ideas_to_link(world: World, ideas: list[Idea]) -> None:
    client = Client()
    client.force_login(world.contributor)
    response = client.get(
        f"/products/{world.product.pk}/ideas/suggestions/",
        {"text": "please let us export the dashboard as powerpoint slides", "pick": "1"},
    )
    assert f'name="idea" value="{ideas[1].pk}"' in response.text


def test_portal_suggests_only_public_ideas(world: World, ideas: list[Idea]) -> None:
    world.product.portal_enabled = True
    world.product.save()
    Idea.objects.filter(pk=ideas[0].pk).update(public=False)
    Idea.objects.create(product=world.product, title="Dark mode for reports", public=True)
    page = (
        Client()
        .get(f"/portal/{world.product.slug}/suggestions/", {"title": "dark mode for dashboards"})
        .text
    )
    assert "Dark mode for reports" in page
    assert "Dark mode for dashboards" not in page


def test_similar_queries_do_not_grow_with_ideas(world: World, pm_api: Api) -> None:
    target = Idea.objects.create(product=world.product, title="Dark mode", description="dark")

    def add(n: int, start: int) -> None:
        Idea.objects.bulk_create(
            [
                Idea(product=world.product, title=f"Dark theme {i}", description="dark mode")
                for i in range(start, start + n)
            ]
        )

    def count() -> int:
        pm_api.get(f"/ideas/{target.pk}/similar?limit=50")  # brings the index up to date
        with CaptureQueriesContext(connection) as queries:
            assert pm_api.get(f"/ideas/{target.pk}/similar?limit=50").status_code == 200
        return len(queries)

    add(3, 0)
    few = count()
    add(27, 100)
    assert count() == few
