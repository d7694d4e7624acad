"""Exports parse back; snapshots compare correctly; share links are read-only and revocable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import icalendar
import pytest
from django.test import Client

from headway.roadmaps.models import RoadmapItem, ShareLink
from tests.conftest import Api, World
from tests.roadmaps.factories import feature, initiative, roadmap

D = dt.date


@pytest.fixture
def plan(world: World) -> int:
    theme = initiative(world, "Speed", goal="Grow")
    feature(
        world,
        "Fast search",
        initiative=theme,
        start_date=D(2030, 2, 1),
        end_date=D(2030, 3, 1),
        description="INTERNAL-DESCRIPTION",
        points=13,
    )
    feature(world, "=cmd|' /C calc'!A0", initiative=theme, status="in_progress")
    found = roadmap(world, lane_by="initiative")
    RoadmapItem.objects.create(
        roadmap=found,
        kind="milestone",
        title="Launch, party; done",
        start_date=D(2030, 3, 15),
        note="INTERNAL-NOTE",
    )
    return found.pk


def export(api: Api, plan: int, fmt: str) -> str:
    response = api.get(f"/roadmaps/{plan}/export?format={fmt}")
    assert response.status_code == 200, response.content
    assert "attachment" in response["Content-Disposition"]
    return str(response.content.decode())


def test_ics_export_parses_back_with_one_event_per_dated_item(plan: int, viewer_api: Api) -> None:
    calendar = icalendar.Calendar.from_ical(export(viewer_api, plan, "ics"))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Fast search", "Milestone: Launch, party; done"}
    search = events["Fast search"]
    assert search["DTSTART"].dt == D(2030, 2, 1)
    assert search["DTEND"].dt == D(2030, 3, 2)  # exclusive
    assert str(search["URL"]).endswith(
        "/features/" + re.sub(r"\D", "", str(search["UID"]).split("@")[0]) + "/"
    )


def test_csv_export_has_one_row_per_item_and_defuses_formulas(plan: int, viewer_api: Api) -> None:
    rows = list(csv.DictReader(io.StringIO(export(viewer_api, plan, "csv"))))
    assert list(rows[0]) == ["title", "lane", "start", "end", "kind", "status", "at_risk"]
    by_title = {row["title"]: row for row in rows}
    assert len(rows) == 3
    assert by_title["Fast search"] == {
        "title": "Fast search",
        "lane": "Speed",
        "start": "2030-02-01",
        "end": "2030-03-01",
        "kind": "feature",
        "status": "planned",
        "at_risk": "no",
    }
    assert "'=cmd|' /C calc'!A0" in by_title


def test_json_export_lists_every_item(plan: int, viewer_api: Api) -> None:
    body = json.loads(export(viewer_api, plan, "json"))
    assert body["roadmap"]["id"] == plan
    kinds = sorted(item["kind"] for item in body["items"])
    assert kinds == ["feature", "feature", "milestone"]
    assert all(
        set(item) >= {"title", "lane", "start", "end", "kind", "status", "at_risk"}
        for item in body["items"]
    )


def test_markdown_export_is_a_table_with_one_row_per_item(plan: int, viewer_api: Api) -> None:
    lines = export(viewer_api, plan, "md").splitlines()
    table = [line for line in lines if line.startswith("| ")]
    assert table[0] == "| Title | Lane | Start | End | Kind | Status | At risk |"
    assert len(table) == 4
    assert "| Fast search | Speed | 2030-02-01 | 2030-03-01 | feature | planned | no |" in table


def test_html_export_is_one_self_contained_file(plan: int, viewer_api: Api) -> None:
    page = export(viewer_api, plan, "html")
    assert "<svg" in page
    assert "<style>" in page
    assert "<script" not in page
    assert not re.search(r"<link|src=|@import|url\(http", page)
    assert "INTERNAL" not in page


def test_svg_export_is_a_standalone_drawing(plan: int, viewer_api: Api) -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(export(viewer_api, plan, "svg"))  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}style") is not None


def test_unknown_zoom_is_refused_with_the_allowed_values(plan: int, viewer_api: Api) -> None:
    response = viewer_api.get(f"/roadmaps/{plan}/export?format=svg&zoom=week")
    assert response.status_code == 422
    assert response.json()["allowed"] == ["month", "quarter"]


def test_snapshot_compare_finds_added_dropped_moved_and_changed_lanes(
    world: World, pm_api: Api
) -> None:
    one, two = initiative(world, "One"), initiative(world, "Two")
    stays = feature(
        world, "Stays", initiative=one, start_date=D(2030, 2, 1), end_date=D(2030, 2, 10)
    )
    moves = feature(
        world, "Moves", initiative=one, start_date=D(2030, 3, 1), end_date=D(2030, 3, 5)
    )
    goes = feature(world, "Goes", initiative=one, start_date=D(2030, 4, 1), end_date=D(2030, 4, 5))
    plan = roadmap(world, lane_by="initiative")
    before = pm_api.post(f"/roadmaps/{plan.pk}/snapshots", {"name": "Q1 plan"}).json()
    assert before["item_count"] == 3
    moves.start_date, moves.end_date, moves.initiative = D(2030, 3, 11), D(2030, 3, 12), two
    moves.save()
    goes.status = "cancelled"
    goes.save()
    feature(world, "Arrives", initiative=two, start_date=D(2030, 5, 1), end_date=D(2030, 5, 2))
    after = pm_api.post(f"/roadmaps/{plan.pk}/snapshots", {"name": "Q2 plan"}).json()

    for to in ("now", str(after["id"])):
        diff = pm_api.get(f"/roadmaps/{plan.pk}/compare?from={before['id']}&to={to}").json()
        assert [a["title"] for a in diff["added"]] == ["Arrives"]
        assert [d["title"] for d in diff["dropped"]] == ["Goes"]
        assert [(m["title"], m["start_days"], m["end_days"]) for m in diff["moved"]] == [
            ("Moves", 10, 7)
        ]
        assert [
            (c["title"], c["from_lane_title"], c["to_lane_title"]) for c in diff["changed_lane"]
        ] == [("Moves", "One", "Two")]
    assert stays.title not in json.dumps(diff)
    listed = pm_api.get(f"/roadmaps/{plan.pk}/snapshots").json()
    assert [s["name"] for s in listed["items"]] == ["Q2 plan", "Q1 plan"]


def test_compare_needs_a_snapshot_of_this_roadmap(world: World, pm_api: Api) -> None:
    plan = roadmap(world)
    response = pm_api.get(f"/roadmaps/{plan.pk}/compare?from=99999")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_a_snapshot_needs_a_name(world: World, pm_api: Api) -> None:
    response = pm_api.post(f"/roadmaps/{roadmap(world).pk}/snapshots", {"name": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def shared_path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_a_share_link_shows_the_roadmap_without_internal_fields(plan: int, pm_api: Api) -> None:
    body = pm_api.post(f"/roadmaps/{plan}/share", {}).json()
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    assert ShareLink.objects.get().digest != token
    page = Client().get(shared_path(body["url"]))
    assert page.status_code == 200
    assert "Fast search" in page.text
    for secret in (
        "INTERNAL-DESCRIPTION",
        "INTERNAL-NOTE",
        "/features/",
        "Dates from",
        "Move</button>",
    ):
        assert secret not in page.text
    assert "data-move-base" not in page.text


def test_no_write_is_possible_through_a_share_link(plan: int, pm_api: Api) -> None:
    url = shared_path(pm_api.post(f"/roadmaps/{plan}/share", {}).json()["url"])
    client = Client(enforce_csrf_checks=False)
    assert client.post(url, {"start": "2031-01-01"}).status_code == 405
    token = url.rstrip("/").rsplit("/", 1)[1]
    item = RoadmapItem.objects.get()
    moved = client.post(
        f"/roadmaps/{plan}/items/item-{item.pk}/move", {"start": "2031-01-01", "token": token}
    )
    assert moved.status_code == 302 and "/accounts/login/" in moved["Location"]
    item.refresh_from_db()
    assert item.start_date == D(2030, 3, 15)


def test_a_wrong_token_is_404(db: None) -> None:
    assert Client().get("/shared/roadmaps/not-a-real-token/").status_code == 404


def test_a_revoked_link_is_404(plan: int, pm_api: Api) -> None:
    body = pm_api.post(f"/roadmaps/{plan}/share", {}).json()
    assert Client().get(shared_path(body["url"])).status_code == 200
    assert pm_api.delete(f"/roadmaps/{plan}/share/{body['id']}").status_code == 204
    assert Client().get(shared_path(body["url"])).status_code == 404
    listed = pm_api.get(f"/roadmaps/{plan}/share").json()["items"]
    assert listed[0]["live"] is False


def test_an_expired_link_is_404(plan: int, pm_api: Api) -> None:
    body = pm_api.post(f"/roadmaps/{plan}/share", {"expires": "2099-01-01T00:00:00Z"}).json()
    ShareLink.objects.update(expires=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert Client().get(shared_path(body["url"])).status_code == 404


def test_an_expiry_in_the_past_is_refused(plan: int, pm_api: Api) -> None:
    response = pm_api.post(f"/roadmaps/{plan}/share", {"expires": "2000-01-01T00:00:00Z"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "expires"


def test_sharing_a_roadmap_of_another_workspace_is_404(plan: int, outsider_api: Api) -> None:
    assert outsider_api.post(f"/roadmaps/{plan}/share", {}).status_code == 404
    assert not ShareLink.objects.exists()
