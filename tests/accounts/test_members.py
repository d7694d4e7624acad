"""Members carry a function; admins change roles and functions, only owners touch owners."""

from __future__ import annotations

from typing import Any

from django.test import Client

from headway.accounts.models import Membership, Role
from tests.activity.conftest import same_queries_at_3_and_30
from tests.conftest import World, make_user


def member_url(world: World, username: str) -> str:
    return f"/workspaces/{world.workspace.pk}/members/{username}"


def membership(world: World, user: Any) -> Membership:
    return Membership.objects.get(workspace=world.workspace, user=user)


def test_an_admin_sets_a_members_function(world: World) -> None:
    response = world.api(world.owner).patch(
        member_url(world, world.contributor.username), {"function": "sales"}
    )
    assert response.status_code == 200
    assert response.json()["function"] == "sales"
    assert response.json()["role"] == Role.CONTRIBUTOR
    assert membership(world, world.contributor).function == "sales"


def test_an_empty_function_clears_it(world: World) -> None:
    Membership.objects.filter(user=world.contributor).update(function="qa")
    world.api(world.owner).patch(member_url(world, world.contributor.username), {"function": ""})
    assert membership(world, world.contributor).function == ""


def test_an_admin_changes_a_role(world: World) -> None:
    Membership.objects.filter(user=world.pm).update(role=Role.ADMIN)
    response = world.api(world.pm).patch(
        member_url(world, world.viewer.username), {"role": "contributor"}
    )
    assert response.status_code == 200
    assert membership(world, world.viewer).role == Role.CONTRIBUTOR


def test_below_admin_members_cannot_be_changed(world: World) -> None:
    response = world.api(world.pm).patch(
        member_url(world, world.viewer.username), {"function": "qa"}
    )
    assert response.status_code == 403
    assert membership(world, world.viewer).function == ""


def test_only_owners_make_owners(world: World) -> None:
    Membership.objects.filter(user=world.pm).update(role=Role.ADMIN)
    response = world.api(world.pm).patch(
        member_url(world, world.viewer.username), {"role": "owner"}
    )
    assert response.status_code == 403
    assert membership(world, world.viewer).role == Role.VIEWER


def test_only_owners_change_owners(world: World) -> None:
    Membership.objects.filter(user=world.pm).update(role=Role.ADMIN)
    response = world.api(world.pm).patch(
        member_url(world, world.owner.username), {"function": "leadership"}
    )
    assert response.status_code == 403


def test_an_owner_makes_an_owner_and_steps_down(world: World) -> None:
    api = world.api(world.owner)
    assert api.patch(member_url(world, world.pm.username), {"role": "owner"}).status_code == 200
    assert api.patch(member_url(world, world.owner.username), {"role": "admin"}).status_code == 200
    assert membership(world, world.owner).role == Role.ADMIN


def test_the_last_owner_cannot_step_down(world: World) -> None:
    response = world.api(world.owner).patch(
        member_url(world, world.owner.username), {"role": "admin"}
    )
    assert response.status_code == 409
    assert membership(world, world.owner).role == Role.OWNER


def test_an_unknown_function_is_refused(world: World) -> None:
    response = world.api(world.owner).patch(
        member_url(world, world.viewer.username), {"function": "finance"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "function"


def test_an_unknown_role_is_refused(world: World) -> None:
    response = world.api(world.owner).patch(
        member_url(world, world.viewer.username), {"role": "king"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_a_non_member_cannot_be_changed(world: World) -> None:
    response = world.api(world.owner).patch(
        member_url(world, world.outsider.username), {"function": "qa"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "username"


def test_another_workspaces_members_are_not_found(world: World) -> None:
    response = world.api(world.outsider).patch(
        member_url(world, world.viewer.username), {"function": "qa"}
    )
    assert response.status_code == 404


def test_members_filter_by_function(world: World) -> None:
    Membership.objects.filter(user__in=[world.contributor, world.viewer]).update(function="sales")
    body = (
        world.api(world.viewer)
        .get(f"/workspaces/{world.workspace.pk}/members?function=sales")
        .json()
    )
    assert [m["username"] for m in body["items"]] == sorted(
        [world.contributor.username, world.viewer.username]
    )


def test_members_search_by_name(world: World) -> None:
    body = world.api(world.viewer).get(f"/workspaces/{world.workspace.pk}/members?q=pav").json()
    assert [m["username"] for m in body["items"]] == [world.pm.username]


def test_listing_members_costs_the_same_queries_at_3_and_30(world: World) -> None:
    counter = iter(range(1000))

    def add(n: int) -> None:
        for _ in range(n):
            user = make_user(f"member{next(counter)}")
            Membership.objects.create(user=user, workspace=world.workspace, function="qa")

    api = world.api(world.viewer)
    same_queries_at_3_and_30(
        add, lambda: api.get(f"/workspaces/{world.workspace.pk}/members?function=qa")
    )


# --- The members page -----------------------------------------------------------------------------


def page_client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_members_page_filters_by_function(world: World) -> None:
    Membership.objects.filter(user=world.contributor).update(function="support")
    page = page_client(world.viewer).get(
        f"/workspaces/{world.workspace.pk}/members/?function=support"
    )
    html = page.content.decode()
    assert world.contributor.username in html
    assert world.pm.username not in html.split("<tbody>")[1]
    assert 'name="role"' not in html  # viewers see no forms


def test_an_admin_changes_a_member_on_the_page(world: World) -> None:
    c = page_client(world.owner)
    assert 'name="role"' in c.get(f"/workspaces/{world.workspace.pk}/members/").content.decode()
    response = c.post(
        f"/workspaces/{world.workspace.pk}/members/{world.viewer.username}/",
        {"role": "contributor", "function": "design"},
    )
    assert response.status_code == 302
    saved = membership(world, world.viewer)
    assert (saved.role, saved.function) == ("contributor", "design")


def test_the_members_page_refuses_a_non_admin_change(world: World) -> None:
    c = page_client(world.pm)
    c.post(
        f"/workspaces/{world.workspace.pk}/members/{world.viewer.username}/",
        {"role": "contributor"},
    )
    assert membership(world, world.viewer).role == Role.VIEWER


def test_the_members_page_of_another_workspace_is_not_found(world: World) -> None:
    c = page_client(world.outsider)
    assert c.get(f"/workspaces/{world.workspace.pk}/members/").status_code == 404


def test_names_with_a_nul_character_find_nobody(world: World) -> None:
    api = world.api(world.owner)
    assert api.get(f"/workspaces/{world.workspace.pk}/members?q=%00").status_code == 422
    response = api.patch(f"/workspaces/{world.workspace.pk}/members/vic%00tor", {"function": "qa"})
    assert response.status_code == 422


def test_the_members_page_costs_the_same_queries_at_3_and_30(world: World) -> None:
    counter = iter(range(1000))

    def add(n: int) -> None:
        for _ in range(n):
            user = make_user(f"person{next(counter)}")
            Membership.objects.create(user=user, workspace=world.workspace, function="qa")

    c = page_client(world.owner)
    same_queries_at_3_and_30(add, lambda: c.get(f"/workspaces/{world.workspace.pk}/members/"))
