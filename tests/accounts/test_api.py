from __future__ import annotations

import ipaddress

from headway.accounts.models import ApiToken, Membership, Role
from tests.conftest import Api, World

PROBLEM = "application/problem+json"


def test_token_is_issued_for_the_right_password(world: World) -> None:
    response = Api().post(
        "/auth/token", {"username": "pavel", "password": "correct horse battery staple"}
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert token.startswith("hw_")
    assert Api(token).get("/products").status_code == 200


def test_tokens_are_stored_hashed(world: World) -> None:
    token = (
        Api()
        .post("/auth/token", {"username": "pavel", "password": "correct horse battery staple"})
        .json()["token"]
    )
    assert not ApiToken.objects.filter(digest=token).exists()
    assert token not in {t.digest for t in ApiToken.objects.all()}


def test_wrong_password_is_401_problem(world: World) -> None:
    response = Api().post("/auth/token", {"username": "pavel", "password": "nope"})
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 401


def test_repeated_failed_sign_ins_are_rate_limited(world: World, settings: object) -> None:
    settings.LOGIN_RATE_LIMIT = 3  # type: ignore[attr-defined]
    for _ in range(3):
        Api().post("/auth/token", {"username": "pavel", "password": "nope"})
    response = Api().post(
        "/auth/token", {"username": "pavel", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_behind_a_trusted_proxy_token_limits_count_per_client(
    world: World, settings: object
) -> None:
    settings.LOGIN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]  # type: ignore[attr-defined]
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for name in ("a", "b"):
        Api().post("/auth/token", {"username": name, "password": "nope"}, **attacker)
    refused = Api().post("/auth/token", {"username": "c", "password": "nope"}, **attacker)
    assert refused.status_code == 429
    colleague = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    body = {"username": "pavel", "password": "correct horse battery staple"}
    assert Api().post("/auth/token", body, **colleague).status_code == 201


def test_a_forged_forwarded_for_does_not_escape_the_token_limit(
    world: World, settings: object
) -> None:
    settings.LOGIN_RATE_LIMIT = 2  # type: ignore[attr-defined]
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]  # type: ignore[attr-defined]
    for n in range(2):
        forged = {"REMOTE_ADDR": "198.51.100.5", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
        Api().post("/auth/token", {"username": f"u{n}", "password": "nope"}, **forged)
    forged = {"REMOTE_ADDR": "198.51.100.5", "HTTP_X_FORWARDED_FOR": "192.0.2.99"}
    refused = Api().post("/auth/token", {"username": "u9", "password": "nope"}, **forged)
    assert refused.status_code == 429


def test_bad_token_is_401(world: World) -> None:
    response = Api("hw_not-a-token").get("/products")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_api_answers_carry_rate_limit_headers(pm_api: Api) -> None:
    response = pm_api.get("/products")
    assert int(response["X-RateLimit-Limit"]) > 0
    assert int(response["X-RateLimit-Remaining"]) < int(response["X-RateLimit-Limit"])


def test_api_rate_limit_per_token_answers_429(pm_api: Api, settings: object) -> None:
    settings.API_RATE_LIMIT = 2  # type: ignore[attr-defined]
    pm_api.get("/products")
    pm_api.get("/products")
    response = pm_api.get("/products")
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) > 0


def test_workspaces_lists_only_mine_with_my_role(world: World, viewer_api: Api) -> None:
    body = viewer_api.get("/workspaces").json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Acme"
    assert body["items"][0]["role"] == "viewer"


def test_creating_a_workspace_makes_me_its_owner(world: World, viewer_api: Api) -> None:
    response = viewer_api.post("/workspaces", {"name": "Side project"})
    assert response.status_code == 201
    assert response.json()["role"] == "owner"
    assert Membership.objects.get(workspace_id=response.json()["id"]).role == Role.OWNER


def test_workspace_name_is_required(viewer_api: Api) -> None:
    response = viewer_api.post("/workspaces", {"name": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_admin_adds_a_member_with_a_role(world: World, owner_api: Api) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/members", {"username": "oscar", "role": "contributor"}
    )
    assert response.status_code == 201
    assert response.json()["role"] == "contributor"


def test_product_manager_cannot_add_members(world: World, pm_api: Api) -> None:
    response = pm_api.post(
        f"/workspaces/{world.workspace.pk}/members", {"username": "oscar", "role": "viewer"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.outsider, workspace=world.workspace).exists()


def test_outsider_cannot_see_members(world: World, outsider_api: Api) -> None:
    assert outsider_api.get(f"/workspaces/{world.workspace.pk}/members").status_code == 404


def test_unknown_username_is_422_naming_the_field(world: World, owner_api: Api) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/members", {"username": "ghost", "role": "viewer"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "username", "message": "No user is called 'ghost'."}
    ]


def test_unknown_role_is_422(world: World, owner_api: Api) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/members", {"username": "oscar", "role": "emperor"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_adding_an_existing_member_is_409(world: World, owner_api: Api) -> None:
    response = owner_api.post(
        f"/workspaces/{world.workspace.pk}/members", {"username": "victor", "role": "admin"}
    )
    assert response.status_code == 409
    assert Membership.objects.get(user=world.viewer).role == Role.VIEWER
