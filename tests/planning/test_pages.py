"""The backlog and feature pages: they render, edit through the services, and keep query counts
flat."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.planning import ranking
from headway.planning.models import AcceptanceCriterion, Dependency, Feature, Risk, Story, Team
from tests.conftest import World


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def make(world: World, title: str, **values: object) -> Feature:
    count = Feature.objects.filter(product=world.product).count()
    values.setdefault("rank", ranking.keys_between(None, None, 100)[count])
    return Feature.objects.create(product=world.product, title=title, **values)


def test_product_tabs_link_the_backlog(world: World) -> None:
    page = signed_in(world).get(f"/products/{world.product.pk}/").text
    assert f'href="/products/{world.product.pk}/backlog/"' in page


def test_backlog_page_ranks_and_draws_the_matrices(world: World) -> None:
    make(world, "Quick", value=8, effort=2, risk=7, rice_score=5)
    make(world, "Slow", value=3, effort=9, risk=2, rice_score=50)
    page = signed_in(world).get(f"/products/{world.product.pk}/backlog/?framework=rice").text
    assert page.index("Slow") < page.index("Quick")
    assert "Value / Effort" in page and "<svg" in page
    assert "Quick — Quick win" in page
    assert "Quick — Do first" in page


def test_ordering_by_scorecard_or_formula_uses_the_one_the_picker_shows(world: World) -> None:
    from headway.planning import backlog
    from headway.planning.models import PriorityFormula, Scorecard

    card = Scorecard.objects.create(
        product=world.product, name="Fit", criteria=[{"name": "fit", "weight": 1}]
    )
    PriorityFormula.objects.create(product=world.product, name="Reach", expression="reach")
    low, high = make(world, "Low", rice_reach=1), make(world, "High", rice_reach=9)
    backlog.rate(world.pm, card, low, {"fit": 2})
    backlog.rate(world.pm, card, high, {"fit": 8})
    client = signed_in(world)
    for framework in ("scorecard", "formula"):
        page = client.get(f"/products/{world.product.pk}/backlog/?framework={framework}").text
        assert "Choose one of this product" not in page
        assert page.index("High") < page.index("Low"), framework


def test_backlog_page_draws_the_cut_line(world: World) -> None:
    make(world, "First", points=5)
    make(world, "Second", points=8)
    date = (dt.date.today() + dt.timedelta(weeks=1)).isoformat()
    page = (
        signed_in(world).get(f"/products/{world.product.pk}/backlog/?date={date}&throughput=6").text
    )
    assert page.index("First") < page.index("Cut line — everything above") < page.index("Second")


def test_backlog_page_is_draggable_only_for_editors_in_manual_order(world: World) -> None:
    make(world, "A")
    url = f"/products/{world.product.pk}/backlog/"
    assert "data-sortable" in signed_in(world).get(url).text
    assert "data-sortable" not in signed_in(world).get(url + "?framework=rice").text
    assert "data-sortable" not in signed_in(world, "viewer").get(url).text


def test_backlog_page_queries_do_not_grow_with_rows(world: World) -> None:
    client = signed_in(world)
    team = Team.objects.create(product=world.product, name="Core")
    date = (dt.date.today() + dt.timedelta(weeks=4)).isoformat()
    url = f"/products/{world.product.pk}/backlog/?date={date}&throughput=5"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            make(world, f"F{i}", team=team, value=5, effort=3, risk=4, points=2)

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_outsider_gets_404_on_the_pages(world: World) -> None:
    feature = make(world, "A")
    client = signed_in(world, "outsider")
    assert client.get(f"/products/{world.product.pk}/backlog/").status_code == 404
    assert client.get(f"/features/{feature.pk}/").status_code == 404


def test_new_feature_form_adds_it_at_the_end(world: World) -> None:
    make(world, "Existing")
    response = signed_in(world).post(
        f"/products/{world.product.pk}/features/new", {"title": "Fresh", "kind": "tech_debt"}
    )
    fresh = Feature.objects.get(title="Fresh")
    assert response["Location"] == f"/features/{fresh.pk}/"
    assert fresh.rank > Feature.objects.get(title="Existing").rank


def form_data(feature: Feature, **changes: str) -> dict[str, str]:
    data = {
        "version": str(feature.version),
        "title": feature.title,
        "description": feature.description,
        "kind": feature.kind,
        "status": feature.status,
        "release_note_kind": feature.release_note_kind,
    }
    return data | changes


def test_feature_page_saves_every_field_through_the_service(world: World) -> None:
    feature = make(world, "Ask")
    response = signed_in(world).post(
        f"/features/{feature.pk}/",
        form_data(
            feature,
            rice_reach="400",
            rice_impact="1",
            rice_confidence="0.8",
            rice_effort="2",
            wsjf_business_value="8",
            wsjf_time_criticality="5",
            wsjf_risk_reduction="3",
            wsjf_job_size="8",
            estimate_optimistic="2",
            estimate_likely="3",
            estimate_pessimistic="8",
            status="planned",
            owner="carla",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    feature.refresh_from_db()
    assert feature.rice_score == 160
    assert feature.wsjf_score == 2
    assert feature.owner == world.contributor
    page = signed_in(world).get(f"/features/{feature.pk}/").text
    assert "RICE 160 = reach 400 × impact 1 × confidence 0.8 ÷ effort 2" in page
    assert "PERT mean 3.67" in page


def test_feature_page_shows_the_rule_a_value_breaks(world: World) -> None:
    feature = make(world, "Ask")
    response = signed_in(world).post(
        f"/features/{feature.pk}/",
        form_data(feature, estimate_optimistic="5", estimate_likely="3", estimate_pessimistic="8"),
    )
    assert response.status_code == 422
    assert "cannot be below the optimistic one" in response.text


def test_concurrent_edit_shows_both_versions_and_overwrites_nothing(world: World) -> None:
    feature = make(world, "Ask")
    first, second = signed_in(world), signed_in(world, "owner")
    loaded = form_data(feature)
    assert (
        first.post(f"/features/{feature.pk}/", loaded | {"title": "Ask in English"}).status_code
        == 302
    )
    response = second.post(f"/features/{feature.pk}/", loaded | {"title": "Ask anything"})
    assert response.status_code == 409
    assert "Someone else changed this feature" in response.text
    assert "Ask anything" in response.text and "Ask in English" in response.text
    feature.refresh_from_db()
    assert feature.title == "Ask in English"
    # Saving again from the conflict form is a deliberate overwrite.
    retry = second.post(
        f"/features/{feature.pk}/",
        loaded | {"title": "Ask anything", "version": str(feature.version)},
    )
    assert retry.status_code == 302
    feature.refresh_from_db()
    assert feature.title == "Ask anything"


def test_criteria_are_edited_inline_with_htmx(world: World) -> None:
    feature = make(world, "Ask")
    story = Story.objects.create(feature=feature, title="S")
    client = signed_in(world)
    client.post(f"/stories/{story.pk}/criteria/add", {"given": "g", "when": "w", "then": "t"})
    criterion = AcceptanceCriterion.objects.get(story=story)
    response = client.post(
        f"/criteria/{criterion.pk}/",
        {"given": "g2", "when": "w", "then": "t"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'value="g2"' in response.text
    criterion.refresh_from_db()
    assert criterion.given == "g2"


def test_story_dependency_risk_and_requirement_sections_swap_over_htmx(world: World) -> None:
    feature, other = make(world, "Ask"), make(world, "Cache")
    client = signed_in(world)
    story = client.post(
        f"/features/{feature.pk}/stories/add",
        {"i_want": "to ask", "status": "todo"},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="stories"' in story.text and "To ask" in story.text
    Dependency.objects.create(feature=other, depends_on=feature)
    cycle = client.post(
        f"/features/{feature.pk}/dependencies/add", {"depends_on": other.pk}, HTTP_HX_REQUEST="true"
    )
    assert "Ask → Cache → Ask" in cycle.text
    risk = client.post(
        f"/features/{feature.pk}/risks/add",
        {"title": "Wrong answers", "probability": 4, "impact": 5, "status": "open"},
        HTTP_HX_REQUEST="true",
    )
    assert "Wrong answers" in risk.text and Risk.objects.count() == 1
    requirement = client.post(
        f"/features/{feature.pk}/requirements/add",
        {"category": "security", "text": "SSO only"},
        HTTP_HX_REQUEST="true",
    )
    assert "SSO only" in requirement.text


def test_viewer_cannot_change_anything_from_the_pages(world: World) -> None:
    feature = make(world, "Ask")
    client = signed_in(world, "viewer")
    assert client.post(f"/features/{feature.pk}/", form_data(feature, title="X")).status_code == 403
    assert client.post(f"/features/{feature.pk}/risks/add", {"title": "R"}).status_code == 403
    feature.refresh_from_db()
    assert feature.title == "Ask"


def test_feature_page_queries_do_not_grow_with_rows(world: World) -> None:
    feature = make(world, "Ask")
    client = signed_in(world)
    url = f"/features/{feature.pk}/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            story = Story.objects.create(feature=feature, title=f"S{i}", as_a="analyst")
            AcceptanceCriterion.objects.create(story=story, given="g", when="w", then="t")
            Risk.objects.create(feature=feature, title=f"R{i}")
            other = make(world, f"D{i}")
            Dependency.objects.create(feature=feature, depends_on=other)

    add(3)
    few = count()
    add(27)
    assert count() == few


def test_spec_page_downloads_markdown(world: World) -> None:
    feature = make(world, "Ask")
    response = signed_in(world).get(f"/features/{feature.pk}/spec.md")
    assert response["Content-Type"].startswith("text/markdown")
    assert response.content.decode().startswith("# Ask")
