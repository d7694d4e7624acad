from __future__ import annotations

from django.test import Client

from headway.products.models import Capability, CapabilityLevel, Competitor, Persona
from tests.conftest import World
from tests.queries import count_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def matrix(world: World) -> str:
    return f"/products/{world.product.pk}/capabilities/"


def test_the_matrix_page_shows_levels_as_text(world: World) -> None:
    lookwise = Competitor.objects.create(product=world.product, name="Lookwise")
    capability = Capability.objects.create(product=world.product, name="Row-level security")
    CapabilityLevel.objects.create(capability=capability, competitor=lookwise, level="leader")
    text = signed_in(world, "viewer").get(matrix(world)).text
    assert "Row-level security" in text
    assert "Leader" in text and "None" in text
    assert "/levels/" not in text  # a viewer gets no cell editor


def test_a_cell_opens_a_level_picker_over_htmx(world: World) -> None:
    capability = Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world).get(f"/capabilities/{capability.pk}/levels/us/", **HTMX)
    assert response.text.strip().startswith("<td")
    assert '<select id="level-' in response.text
    assert "Level of SSO for Rocket" in response.text


def test_saving_a_cell_over_htmx_answers_with_the_cell(world: World) -> None:
    capability = Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world).post(
        f"/capabilities/{capability.pk}/levels/us/", {"level": "full"}, **HTMX
    )
    assert response.text.strip().startswith(f'<td class="cell" id="cell-{capability.pk}-us"')
    assert "Full" in response.text
    assert CapabilityLevel.objects.get(capability=capability, competitor=None).level == "full"


def test_saving_a_cell_without_javascript_returns_to_the_matrix(world: World) -> None:
    lookwise = Competitor.objects.create(product=world.product, name="Lookwise")
    capability = Capability.objects.create(product=world.product, name="SSO")
    client = signed_in(world)
    picker = client.get(f"/capabilities/{capability.pk}/levels/{lookwise.pk}/")
    assert "<html" in picker.text and "SSO for Lookwise" in picker.text
    response = client.post(
        f"/capabilities/{capability.pk}/levels/{lookwise.pk}/", {"level": "partial"}
    )
    assert response.status_code == 302
    assert response["Location"] == matrix(world) + f"#capability-{capability.pk}"
    assert CapabilityLevel.objects.get(competitor=lookwise).level == "partial"


def test_a_bad_level_is_refused(world: World) -> None:
    capability = Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world).post(
        f"/capabilities/{capability.pk}/levels/us/", {"level": "superb"}
    )
    assert response.status_code == 200
    assert "Pick one of the levels" in response.text
    assert not CapabilityLevel.objects.exists()


def test_a_viewer_cannot_change_a_cell(world: World) -> None:
    capability = Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world, "viewer").post(
        f"/capabilities/{capability.pk}/levels/us/", {"level": "full"}
    )
    assert response.status_code == 403
    assert not CapabilityLevel.objects.exists()


def test_another_products_competitor_is_no_column(world: World) -> None:
    spy = Competitor.objects.create(product=world.other_product, name="Spy")
    capability = Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world).get(f"/capabilities/{capability.pk}/levels/{spy.pk}/")
    assert response.status_code == 404


def test_adding_and_renaming_a_capability(world: World) -> None:
    client = signed_in(world)
    response = client.post(f"/products/{world.product.pk}/capabilities/new/", {"name": "SSO"})
    assert response.status_code == 302
    capability = Capability.objects.get()
    client.post(f"/capabilities/{capability.pk}/edit/", {"name": "Single sign-on"})
    capability.refresh_from_db()
    assert capability.name == "Single sign-on"


def test_a_duplicate_capability_name_is_shown_on_the_form(world: World) -> None:
    Capability.objects.create(product=world.product, name="SSO")
    response = signed_in(world).post(
        f"/products/{world.product.pk}/capabilities/new/", {"name": "SSO"}, **HTMX
    )
    assert "already has a capability called" in response.text
    assert Capability.objects.count() == 1


def test_editing_the_vision_and_north_star(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/vision/edit/",
        {"vision": "Answers in minutes.", "north_star_metric": "Weekly askers"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#vision"
    assert "Answers in minutes." in response.text
    world.product.refresh_from_db()
    assert (world.product.north_star_metric, world.product.version) == ("Weekly askers", 2)


def test_adding_a_persona_answers_with_the_personas_section(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/personas/new/",
        {"name": "Analyst", "goals": "Ship fast", "pains": "Repeats SQL"},
        **HTMX,
    )
    assert response["HX-Retarget"] == "#personas"
    assert "Repeats SQL" in response.text
    assert Persona.objects.get().name == "Analyst"


def test_a_competitor_with_a_bad_web_site_is_refused(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/competitors/new/", {"name": "X", "url": "nope"}
    )
    assert response.status_code == 200
    assert "Enter a valid URL" in response.text
    assert not Competitor.objects.exists()


def test_deleting_a_competitor_from_its_edit_form(world: World) -> None:
    competitor = Competitor.objects.create(product=world.product, name="X")
    response = signed_in(world).post(f"/competitors/{competitor.pk}/delete/", **HTMX)
    assert response["HX-Retarget"] == "#competitors"
    assert not Competitor.objects.exists()


def test_matrix_page_queries_do_not_grow_with_rows(world: World) -> None:
    client = signed_in(world)

    def add(n: int) -> None:
        competitor = Competitor.objects.create(product=world.product, name=f"C{n}")
        for i in range(n):
            capability = Capability.objects.create(
                product=world.product, name=f"Cap {competitor.pk}-{i}"
            )
            CapabilityLevel.objects.create(capability=capability, competitor=competitor)

    add(3)
    few = count_queries(lambda: client.get(matrix(world)))
    add(27)
    assert count_queries(lambda: client.get(matrix(world))) == few
