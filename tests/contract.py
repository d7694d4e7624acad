"""Contract tests a resource gets by declaring its URLs and a valid payload (NetBox style).

    class TestGoals(ResourceContract):
        list_url = "/products/{product}/goals"
        detail_url = "/goals/{id}"
        payload = {"title": "Grow"}
        patch = {"title": "Grow faster"}
        create_role = "pm"                      # the least role that may create

Each subclass gets: the product manager creates, lists and reads; a viewer cannot write; an
outsider gets 404 on list, detail, patch and delete and changes nothing; anonymous gets 401;
errors are problem+json. `EditableResourceContract` adds: a viewer cannot change or delete,
and a stale If-Match is refused with 412 and changes nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tests.conftest import World

PROBLEM = "application/problem+json"


class ResourceContract:
    list_url: ClassVar[str]
    detail_url: ClassVar[str | None] = None
    payload: ClassVar[dict[str, Any]]
    patch: ClassVar[dict[str, Any] | None] = None
    create_role: ClassVar[str] = "pm"
    readable_by_viewer: ClassVar[bool] = True

    def urls(self, world: World) -> str:
        return self.list_url.format(product=world.product.pk)

    def create(self, world: World) -> dict[str, Any]:
        user = getattr(world, self.create_role if self.create_role != "pm" else "pm")
        response = world.api(user).post(self.urls(world), self.payload)
        assert response.status_code == 201, response.content
        return response.json()

    def test_creates_and_lists(self, world: World) -> None:
        created = self.create(world)
        listed = world.api(world.pm).get(self.urls(world)).json()
        assert listed["count"] >= 1
        assert created["id"] in [item["id"] for item in listed["items"]]

    def test_viewer_cannot_create(self, world: World) -> None:
        response = world.api(world.viewer).post(self.urls(world), self.payload)
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM

    def test_outsider_sees_nothing(self, world: World) -> None:
        created = self.create(world)
        outsider = world.api(world.outsider)
        assert outsider.get(self.urls(world)).status_code == 404
        assert outsider.post(self.urls(world), self.payload).status_code == 404
        if self.detail_url:
            url = self.detail_url.format(id=created["id"])
            assert outsider.get(url).status_code == 404
            if self.patch is not None:
                assert outsider.patch(url, self.patch).status_code == 404
            assert outsider.delete(url).status_code == 404
            after = world.api(world.pm).get(url).json()
            assert {key: after[key] for key in created} == created

    def test_anonymous_is_refused(self, world: World) -> None:
        response = world.api(None).get(self.urls(world))
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM


class EditableResourceContract(ResourceContract):
    """A resource with `GET/PATCH/DELETE` on its detail URL, versioned by ETag."""

    detail_url: ClassVar[str]
    patch: ClassVar[dict[str, Any]]

    def test_viewer_cannot_change_or_delete(self, world: World) -> None:
        created = self.create(world)
        url = self.detail_url.format(id=created["id"])
        viewer = world.api(world.viewer)
        assert viewer.patch(url, self.patch).status_code == 403
        assert viewer.delete(url).status_code == 403
        assert world.api(world.pm).get(url).status_code == 200

    def test_detail_has_etag_and_refuses_stale_if_match(self, world: World) -> None:
        created = self.create(world)
        url = self.detail_url.format(id=created["id"])
        pm = world.api(world.pm)
        etag = pm.get(url)["ETag"]
        assert etag
        fresh = pm.patch(url, self.patch, HTTP_IF_MATCH=etag)
        assert fresh.status_code == 200, fresh.content
        stale = pm.patch(url, self.payload | self.patch, HTTP_IF_MATCH=etag)
        assert stale.status_code == 412
        assert stale["Content-Type"] == PROBLEM
        assert pm.get(url).json() == fresh.json()
