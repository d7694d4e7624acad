"""`InlineRecords`: one declaration gives a kind of record its add, edit and delete views.

The views of each real kind are tested with its page (tests/products, tests/strategy,
tests/planning); here a made-up kind ("ally", stored as a persona) pins what the helper derives
from a declaration, and every real declaration is checked against the URLs it names.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from headway.accounts.access import Access
from headway.accounts.models import User
from headway.planning import views_scorecards
from headway.products import views as product_views
from headway.products.forms import PersonaForm
from headway.products.models import Persona, Product
from headway.products.services import create_persona
from headway.strategy import views as strategy_views
from headway.web.inline import STALE, InlineRecords
from tests.conftest import World

seen_kwargs: list[dict[str, Any]] = []


def _form_kwargs(product: Product) -> dict[str, Any]:
    seen_kwargs.append({"product": product})
    return {}


ALLIES = InlineRecords(
    noun="ally",
    article="an",
    edit_verb="Rename",
    urls="products:persona",  # real URL names, for the form's action and delete links
    records=Persona.objects.select_related("product__workspace"),
    form=PersonaForm,
    form_kwargs=_form_kwargs,
    section="allies",
    render_section=lambda request, product: HttpResponse(f"allies of {product.name}"),
    page=lambda product_id, anchor: f"/page/{product_id}#{anchor}",
    nav="strategy",
    create=lambda user, product, values: create_persona(user, product, **values),
    list_anchor="top",
)
new, edit, delete = ALLIES.views()


def request(method: str, user: Any, data: dict[str, Any] | None = None, htmx: bool = False) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    made: HttpRequest = getattr(RequestFactory(), method)("/", data or {}, headers=headers)
    made.user = user
    made.access = Access(user)  # type: ignore[attr-defined]
    return made


def ally(world: World, name: str = "Bob") -> Persona:
    return Persona.objects.create(product=world.product, name=name)


def test_the_add_form_is_titled_and_labelled_from_the_noun(world: World) -> None:
    seen_kwargs.clear()
    response = new(request("get", world.pm, htmx=True), product_id=world.product.pk)
    assert "Add an ally" in response.text
    assert ">Add ally</button>" in response.text
    assert 'id="new-ally-name"' in response.text
    assert seen_kwargs == [{"product": world.product}]


def test_a_saved_new_record_answers_with_the_section_over_htmx(world: World) -> None:
    response = new(
        request("post", world.pm, {"name": "Ann"}, htmx=True), product_id=world.product.pk
    )
    assert response.text == "allies of Rocket"
    assert response["HX-Retarget"] == "#allies"
    assert response["HX-Reswap"] == "outerHTML"
    assert Persona.objects.get(product=world.product).name == "Ann"


def test_without_javascript_a_new_record_goes_back_to_the_list_anchor(world: World) -> None:
    response = new(request("post", world.pm, {"name": "Ann"}), product_id=world.product.pk)
    assert response.status_code == 302
    assert response["Location"] == f"/page/{world.product.pk}#top"


def test_an_invalid_new_record_comes_back_with_its_errors(world: World) -> None:
    response = new(request("post", world.pm, {"name": ""}, htmx=True), product_id=world.product.pk)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert not Persona.objects.exists()


def test_the_edit_form_names_the_record_and_offers_delete(world: World) -> None:
    bob = ally(world)
    response = edit(request("get", world.pm, htmx=True), pk=bob.pk)
    assert "Rename ally “Bob”" in response.text
    assert f'id="ally-{bob.pk}-name"' in response.text
    assert reverse("products:persona-delete", args=[bob.pk]) in response.text


def test_an_edit_goes_back_to_the_record_and_bumps_its_version(world: World) -> None:
    bob = ally(world)
    response = edit(request("post", world.pm, {"name": "Rob", "version": 1}), pk=bob.pk)
    assert response["Location"] == f"/page/{world.product.pk}#ally-{bob.pk}"
    bob.refresh_from_db()
    assert (bob.name, bob.version) == ("Rob", 2)


def test_a_stale_edit_is_refused_on_the_form(world: World) -> None:
    bob = ally(world)
    response = edit(request("post", world.pm, {"name": "Rob", "version": 7}, htmx=True), pk=bob.pk)
    assert STALE.replace("'", "&#x27;") in response.text
    bob.refresh_from_db()
    assert bob.name == "Bob"


def test_delete_takes_only_post_and_goes_back_to_the_list_anchor(world: World) -> None:
    bob = ally(world)
    assert delete(request("get", world.pm), pk=bob.pk).status_code == 405
    response = delete(request("post", world.pm), pk=bob.pk)
    assert response["Location"] == f"/page/{world.product.pk}#top"
    assert not Persona.objects.exists()


@pytest.mark.parametrize("who, status", [("viewer", 403), ("contributor", 403), ("outsider", 404)])
def test_only_product_managers_may_use_the_views(world: World, who: str, status: int) -> None:
    bob = ally(world)
    user: User = getattr(world, who)
    expected = PermissionDenied if status == 403 else Http404
    with pytest.raises(expected):
        new(request("get", user), product_id=world.product.pk)
    with pytest.raises(expected):
        edit(request("get", user), pk=bob.pk)
    with pytest.raises(expected):
        delete(request("post", user), pk=bob.pk)
    assert Persona.objects.filter(pk=bob.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    bob = ally(world)
    for view, kwargs in ((new, {"product_id": world.product.pk}), (edit, {"pk": bob.pk})):
        response = view(request("get", AnonymousUser()), **kwargs)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


DECLARED = [
    (product_views, "persona", product_views.PERSONAS),
    (product_views, "competitor", product_views.COMPETITORS),
    (product_views, "capability", product_views.CAPABILITIES),
    (strategy_views, "goal", strategy_views.GOALS),
    (strategy_views, "initiative", strategy_views.INITIATIVES),
    (views_scorecards, "scorecard", views_scorecards.SCORECARDS),
    (views_scorecards, "formula", views_scorecards.FORMULAS),
]


@pytest.mark.parametrize("module, name, kind", DECLARED, ids=[row[1] for row in DECLARED])
def test_each_declared_kind_is_served_at_the_urls_it_names(
    module: Any, name: str, kind: InlineRecords
) -> None:
    for suffix, args in (("new", [1]), ("edit", [2]), ("delete", [2])):
        match = resolve(reverse(f"{kind.urls}-{suffix}", args=args))
        assert match.func is getattr(module, f"{name}_{suffix}")
