"""Shared fixtures: the personas every test speaks of, and API clients acting as them.

The world: workspace "Acme" with product "Rocket" holds an owner, a product manager, a
contributor and a viewer; the outsider owns another workspace ("Other", product "Secret") and
must never see or change anything of Acme's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from headway.accounts.models import ApiToken, Membership, Role, User, Workspace
from headway.products.models import Product

# Property tests explore a fixed sequence of examples in the suite, so CI is repeatable and a
# loaded machine's timing never fails a test; HYPOTHESIS_PROFILE=explore searches afresh.
hypothesis_settings.register_profile("suite", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None, max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _fast_and_clean(settings: Any) -> None:
    # Argon2 is deliberately slow; tests that check it say so themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


class Api:
    """A JSON client for `/api/v1` acting as one user (or nobody)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, **headers: Any) -> Any:
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        extra = {**self.headers, **headers}
        if body is None:
            return getattr(self.client, method)(url, **extra)
        return getattr(self.client, method)(
            url, json.dumps(body), content_type="application/json", **extra
        )

    def get(self, path: str, **headers: Any) -> Any:
        return self._send("get", path, **headers)

    def post(self, path: str, body: Any = None, **headers: Any) -> Any:
        return self._send("post", path, {} if body is None else body, **headers)

    def patch(self, path: str, body: Any, **headers: Any) -> Any:
        return self._send("patch", path, body, **headers)

    def put(self, path: str, body: Any, **headers: Any) -> Any:
        return self._send("put", path, body, **headers)

    def delete(self, path: str, **headers: Any) -> Any:
        return self._send("delete", path, **headers)


@dataclass
class World:
    workspace: Workspace
    product: Product
    other_workspace: Workspace
    other_product: Product
    owner: User
    pm: User
    contributor: User
    viewer: User
    outsider: User

    def api(self, user: User | None) -> Api:
        if user is None:
            return Api()
        _, token = ApiToken.issue(user)
        return Api(token)


def make_user(username: str) -> User:
    user = User.objects.create(username=username, email=f"{username}@example.com")
    user.set_password("correct horse battery staple")
    user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    owner, pm, contributor, viewer, outsider = (
        make_user(name) for name in ("olivia", "pavel", "carla", "victor", "oscar")
    )
    workspace = Workspace.objects.create(name="Acme")
    for user, role in (
        (owner, Role.OWNER),
        (pm, Role.PRODUCT_MANAGER),
        (contributor, Role.CONTRIBUTOR),
        (viewer, Role.VIEWER),
    ):
        Membership.objects.create(user=user, workspace=workspace, role=role)
    other = Workspace.objects.create(name="Other")
    Membership.objects.create(user=outsider, workspace=other, role=Role.OWNER)
    return World(
        workspace=workspace,
        product=Product.objects.create(workspace=workspace, name="Rocket", business_pm=pm),
        other_workspace=other,
        other_product=Product.objects.create(workspace=other, name="Secret"),
        owner=owner,
        pm=pm,
        contributor=contributor,
        viewer=viewer,
        outsider=outsider,
    )


@pytest.fixture
def owner_api(world: World) -> Api:
    return world.api(world.owner)


@pytest.fixture
def pm_api(world: World) -> Api:
    return world.api(world.pm)


@pytest.fixture
def contributor_api(world: World) -> Api:
    return world.api(world.contributor)


@pytest.fixture
def viewer_api(world: World) -> Api:
    return world.api(world.viewer)


@pytest.fixture
def outsider_api(world: World) -> Api:
    return world.api(world.outsider)


@pytest.fixture
def anonymous_api() -> Api:
    return Api()
