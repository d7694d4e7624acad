from __future__ import annotations

from django.test import Client

from headway.planning.models import Feature
from headway.products.models import Competitor, Persona
from headway.strategy.models import Goal, Initiative, KeyResult
from tests.conftest import World
from tests.queries import count_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def page(world: World) -> str:
    return f"/products/{world.product.pk}/strategy/"


def test_the_strategy_page_shows_goals_key_results_initiatives_personas_competitors(
    world: World,
) -> None:
    world.product.vision = "Answers in minutes."
    world.product.north_star_metric = "Weekly askers"
    world.product.save()
    goal = Goal.objects.create(product=world.product, title="Grow adoption")
    KeyResult.objects.create(goal=goal, name="Askers", baseline=10, target=20, current=15)
    Initiative.objects.create(product=world.product, goal=goal, title="Onboarding")
    Initiative.objects.create(product=world.product, title="Loose theme")
    Persona.objects.create(product=world.product, name="Analyst", pains="Repeats SQL")
    Competitor.objects.create(product=world.product, name="Lookwise")
    text = signed_in(world).get(page(world)).text
    for expected in (
        "Answers in minutes.",
        "Weekly askers",
        "Grow adoption",
        'value="50.0"',
        "Onboarding",
        "Initiatives without a goal",
        "Loose theme",
        "Repeats SQL",
        "Lookwise",
    ):
        assert expected in text, expected


def test_a_viewer_sees_the_strategy_without_edit_controls(world: World) -> None:
    Goal.objects.create(product=world.product, title="Grow adoption")
    text = signed_in(world, "viewer").get(page(world)).text
    assert "Grow adoption" in text
    assert "Add a goal" not in text
    assert "/edit/" not in text


def test_an_outsider_gets_404(world: World) -> None:
    assert signed_in(world, "outsider").get(page(world)).status_code == 404


def test_adding_a_goal_without_javascript_redirects_back(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/strategy/goals/new/", {"title": "Open the EU"}
    )
    assert response.status_code == 302
    assert response["Location"] == page(world) + "#goals"
    assert Goal.objects.get().title == "Open the EU"


def test_adding_a_goal_over_htmx_answers_with_the_goals_section(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/strategy/goals/new/", {"title": "Open the EU"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#goals"
    assert response.text.strip().startswith('<section id="goals"')
    assert "Open the EU" in response.text


def test_an_invalid_key_result_comes_back_with_its_error(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    response = signed_in(world).post(
        f"/strategy/goals/{goal.pk}/key-results/new/",
        {"name": "Flat", "baseline": "5", "target": "5"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert "must differ from the baseline" in response.text
    assert not KeyResult.objects.exists()


def test_an_invalid_form_without_javascript_is_a_page_with_the_errors(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    response = signed_in(world).post(
        f"/strategy/goals/{goal.pk}/key-results/new/",
        {"name": "Flat", "baseline": "5", "target": "5"},
    )
    assert response.status_code == 200
    assert "<html" in response.text
    assert "must differ from the baseline" in response.text


def test_editing_a_key_result_updates_it_and_keeps_the_audit_trail(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    kr = KeyResult.objects.create(goal=goal, name="Askers", baseline=10, target=20, current=11)
    client = signed_in(world)
    form = client.get(f"/strategy/key-results/{kr.pk}/edit/", **HTMX)
    assert 'name="current"' in form.text
    assert "<html" not in form.text
    response = client.post(
        f"/strategy/key-results/{kr.pk}/edit/",
        {"name": "Askers", "baseline": "10", "target": "20", "current": "18", "version": "1"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#goals"
    kr.refresh_from_db()
    assert (kr.current, kr.version) == (18, 2)


def test_a_stale_form_is_refused_and_says_why(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G", version=3)
    response = signed_in(world).post(
        f"/strategy/goals/{goal.pk}/edit/", {"title": "Mine", "version": "2"}, **HTMX
    )
    assert "Someone else changed this" in response.text
    goal.refresh_from_db()
    assert goal.title == "G"


def test_an_initiative_can_only_be_put_under_this_products_goals(world: World) -> None:
    foreign = Goal.objects.create(product=world.other_product, title="Secret")
    response = signed_in(world).post(
        f"/products/{world.product.pk}/strategy/initiatives/new/",
        {"title": "T", "goal": str(foreign.pk)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Initiative.objects.exists()


def test_deleting_a_goal_from_the_page(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    response = signed_in(world).post(f"/strategy/goals/{goal.pk}/delete/")
    assert response.status_code == 302
    assert not Goal.objects.exists()


def test_a_viewer_cannot_open_an_edit_form(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    assert signed_in(world, "viewer").get(f"/strategy/goals/{goal.pk}/edit/").status_code == 403
    response = signed_in(world, "viewer").post(f"/strategy/goals/{goal.pk}/delete/")
    assert response.status_code == 403
    assert Goal.objects.exists()


def test_the_check_page_lists_findings_with_links(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="Open the EU")
    KeyResult.objects.create(goal=goal, name="NRR")
    text = signed_in(world, "viewer").get(f"/products/{world.product.pk}/strategy/check/").text
    assert "1 error" in text and "1 warning" in text
    assert "Open the EU" in text
    assert text.index("Error") < text.index("Warning</span>")


def add_strategy(world: World, n: int) -> None:
    start = Goal.objects.count()
    for i in range(start, start + n):
        goal = Goal.objects.create(product=world.product, title=f"G{i}", owner=world.pm)
        KeyResult.objects.create(goal=goal, name="k", baseline=0, target=10, current=i % 10)
        KeyResult.objects.create(goal=goal, name="no baseline", target=10)
        initiative = Initiative.objects.create(
            product=world.product, goal=goal, title=f"I{i}", capacity_points=1
        )
        Feature.objects.create(
            product=world.product, title=f"F{i}", initiative=initiative, points=3
        )
        Feature.objects.create(product=world.product, title=f"Loose {i}")
        Persona.objects.create(product=world.product, name=f"P{i}")
        Competitor.objects.create(product=world.product, name=f"C{i}")


def test_strategy_page_queries_do_not_grow_with_rows(world: World) -> None:
    client = signed_in(world)
    add_strategy(world, 3)
    few = count_queries(lambda: client.get(page(world)))
    add_strategy(world, 27)
    assert count_queries(lambda: client.get(page(world))) == few


def test_check_page_queries_do_not_grow_with_rows(world: World) -> None:
    client = signed_in(world)
    url = f"/products/{world.product.pk}/strategy/check/"
    add_strategy(world, 3)
    few = count_queries(lambda: client.get(url))
    add_strategy(world, 27)
    assert count_queries(lambda: client.get(url)) == few


def test_the_key_result_form_shows_whole_numbers_without_a_decimal(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="G")
    kr = KeyResult.objects.create(goal=goal, name="NRR", baseline=96, target=110, current=101.5)
    text = signed_in(world).get(f"/strategy/key-results/{kr.pk}/edit/", **HTMX).text
    assert 'value="96"' in text and 'value="110"' in text and 'value="101.5"' in text


def test_an_add_link_loads_its_form_in_place_or_as_a_page(world: World) -> None:
    client = signed_in(world)
    url = f"/products/{world.product.pk}/strategy/goals/new/"
    assert f'href="{url}"' in client.get(page(world)).text
    fragment = client.get(url, **HTMX).text
    assert fragment.strip().startswith('<div class="card inline-editor">')
    assert 'name="title"' in fragment
    assert "<html" in client.get(url).text
