"""Stories with acceptance criteria, risks, requirements and the Markdown spec."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.planning.models import AcceptanceCriterion, Feature, Risk, Story
from tests.conftest import Api, World
from tests.contract import EditableResourceContract, ResourceContract


class FeatureChild:
    def urls(self, world: World) -> str:
        feature = Feature.objects.get_or_create(product=world.product, title="Parent")[0]
        return self.list_url.format(feature=feature.pk)  # type: ignore[attr-defined]


class TestStories(FeatureChild, EditableResourceContract):
    list_url = "/features/{feature}/stories"
    detail_url = "/stories/{id}"
    payload = {
        "as_a": "analyst",
        "i_want": "to ask questions in plain English",
        "so_that": "I need no SQL",
        "points": 3,
        "acceptance_criteria": [{"given": "a database", "when": "I ask", "then": "I see"}],
    }
    patch = {"points": 5}


class TestRisks(FeatureChild, ResourceContract):
    list_url = "/features/{feature}/risks"
    detail_url = "/risks/{id}"
    payload = {"title": "Vendor lock-in", "probability": 4, "impact": 2}
    patch = {"mitigation": "Abstract the client"}


class TestRequirements(FeatureChild, ResourceContract):
    list_url = "/features/{feature}/requirements"
    detail_url = "/requirements/{id}"
    payload = {"category": "performance", "text": "p95 under 200 ms"}
    patch = {"text": "p95 under 100 ms"}


def feature(world: World) -> Feature:
    return Feature.objects.create(product=world.product, title="Questions", rank="V")


def test_story_title_defaults_from_i_want(world: World, pm_api: Api) -> None:
    body = pm_api.post(f"/features/{feature(world).pk}/stories", {"i_want": "export to CSV"}).json()
    assert body["title"] == "Export to CSV"


def test_story_needs_a_title_or_a_want(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/features/{feature(world).pk}/stories", {"as_a": "analyst"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "title"


def test_done_stamps_done_at_and_reopening_clears_it(world: World, pm_api: Api) -> None:
    story = pm_api.post(f"/features/{feature(world).pk}/stories", {"title": "S"}).json()
    assert story["done_at"] is None
    done = pm_api.patch(f"/stories/{story['id']}", {"status": "done"}).json()
    assert done["done_at"] is not None
    reopened = pm_api.patch(f"/stories/{story['id']}", {"status": "todo"}).json()
    assert reopened["done_at"] is None


def test_an_imported_done_at_is_kept(world: World, pm_api: Api) -> None:
    story = pm_api.post(
        f"/features/{feature(world).pk}/stories",
        {"title": "S", "status": "done", "done_at": "2025-03-04T10:00:00Z"},
    ).json()
    assert story["done_at"].startswith("2025-03-04T10:00:00")


def test_criteria_keep_their_order_and_are_replaced_by_patch(world: World, pm_api: Api) -> None:
    criteria = [{"given": f"g{i}", "when": f"w{i}", "then": f"t{i}"} for i in range(3)]
    story = pm_api.post(
        f"/features/{feature(world).pk}/stories", {"title": "S", "acceptance_criteria": criteria}
    ).json()
    assert [c["given"] for c in story["acceptance_criteria"]] == ["g0", "g1", "g2"]
    patched = pm_api.patch(
        f"/stories/{story['id']}", {"acceptance_criteria": [criteria[2], criteria[0]]}
    ).json()
    assert [c["given"] for c in patched["acceptance_criteria"]] == ["g2", "g0"]
    assert AcceptanceCriterion.objects.count() == 2


def test_story_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    parent = feature(world)
    url = f"/features/{parent.pk}/stories?limit=100"
    pm_api.get(url)

    def add(n: int) -> None:
        for i in range(n):
            story = Story.objects.create(feature=parent, title=f"S{i}")
            AcceptanceCriterion.objects.create(story=story, given="g", when="w", then="t")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            pm_api.get(url)
        return len(queries)

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_risk_probability_and_impact_are_rated_1_to_5(world: World, pm_api: Api) -> None:
    url = f"/features/{feature(world).pk}/risks"
    for field in ("probability", "impact"):
        response = pm_api.post(url, {"title": "R", field: 6})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field
    assert not Risk.objects.exists()


def test_risk_list_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    parent = feature(world)
    url = f"/features/{parent.pk}/risks?limit=100"
    pm_api.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            pm_api.get(url)
        return len(queries)

    def add(n: int) -> None:
        Risk.objects.bulk_create(
            [Risk(feature=parent, title=f"R{i}", owner=world.pm) for i in range(n)]
        )

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_spec_markdown_has_every_section(world: World, pm_api: Api) -> None:
    parent = feature(world)
    parent.description = "People wait for analysts.\nWhich databases first?"
    parent.save()
    story = Story.objects.create(
        feature=parent, title="Ask", as_a="analyst", i_want="to ask", so_that="I learn"
    )
    AcceptanceCriterion.objects.create(story=story, given="data", when="I ask", then="I see")
    Story.objects.create(feature=parent, title="Share")
    Risk.objects.create(feature=parent, title="Wrong answers", probability=4, impact=5)
    other = Feature.objects.create(product=world.product, title="Cache", rank="W")
    parent.dependencies.create(depends_on=other)
    response = pm_api.get(f"/features/{parent.pk}/spec.md")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    for heading in (
        "Problem",
        "Goal",
        "Personas",
        "User stories",
        "Non-functional requirements",
        "Risks",
        "Dependencies",
        "Open questions",
    ):
        assert f"## {heading}" in text
    assert "As a analyst, I want to ask, so that I learn." in text
    assert "1. **Given** data **when** I ask **then** I see" in text
    assert "Depends on: Cache" in text
    assert "- Which databases first?" in text
    assert "acceptance criteria of “Share”" in text
    assert "How do we mitigate “Wrong answers”?" in text


def test_spec_of_another_workspace_is_404(world: World, outsider_api: Api) -> None:
    assert outsider_api.get(f"/features/{feature(world).pk}/spec.md").status_code == 404
