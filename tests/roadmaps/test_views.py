"""Roadmap and radar pages: what they show, what they change, and how many queries they take."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.planning.models import Team
from headway.roadmaps.models import BlipMove, RadarBlip, RoadmapItem
from tests.conftest import World
from tests.roadmaps.factories import depends, feature, initiative, roadmap

D = dt.date


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def test_the_product_nav_has_a_roadmaps_tab(world: World) -> None:
    page = signed_in(world).get(f"/products/{world.product.pk}/").text
    assert f'href="/products/{world.product.pk}/roadmaps/"' in page


def test_the_list_page_shows_roadmaps_and_links_the_radar(world: World) -> None:
    roadmap(world, name="Plan 2030")
    page = signed_in(world, "viewer").get(f"/products/{world.product.pk}/roadmaps/").text
    assert "Plan 2030" in page
    assert f"/products/{world.product.pk}/radar/" in page
    assert "New roadmap" not in page  # viewers read only


def test_a_product_manager_creates_a_roadmap_from_the_list_page(world: World) -> None:
    response = signed_in(world).post(
        f"/products/{world.product.pk}/roadmaps/",
        {"name": "Tech", "kind": "technology", "lane_by": "goal"},
    )
    assert response.status_code == 302
    page = signed_in(world).get(response["Location"]).text
    assert "Technology roadmap" in page
    assert "Platform &amp; architecture" in page


def test_a_viewer_cannot_create_a_roadmap(world: World) -> None:
    response = signed_in(world, "viewer").post(
        f"/products/{world.product.pk}/roadmaps/", {"name": "X", "kind": "timeline"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["timeline", "now_next_later", "technology"])
def test_the_roadmap_page_draws_each_kind_and_tables_its_items(world: World, kind: str) -> None:
    theme = initiative(world, "Speed")
    found = feature(
        world, "Fast search", initiative=theme, start_date=D(2030, 2, 1), end_date=D(2030, 3, 1)
    )
    plan = roadmap(world, kind=kind, lane_by="layer" if kind == "technology" else "initiative")
    if kind == "technology":
        RoadmapItem.objects.create(roadmap=plan, feature=found, layer="platform")
    page = signed_in(world).get(f"/roadmaps/{plan.pk}/").text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "<style" not in page.split("<svg", 1)[1]  # the page loads the drawing's CSS itself
    assert f'href="/features/{found.pk}/"' in page
    assert "<script" in page and "roadmaps/roadmap.js" in page
    for fmt in ("svg", "html", "csv", "json", "md", "ics"):
        assert f"export?format={fmt}" in page


def test_zoom_and_lane_collapse_answer_htmx_with_the_board_only(world: World) -> None:
    theme = initiative(world, "Speed")
    feature(world, "Fast", initiative=theme, start_date=D(2030, 2, 1), end_date=D(2030, 3, 1))
    plan = roadmap(world)
    response = signed_in(world).get(
        f"/roadmaps/{plan.pk}/?zoom=quarter&collapsed=initiative-{theme.pk}",
        HTTP_HX_REQUEST="true",
    )
    assert response.text.strip().startswith('<div id="roadmap-board"')
    assert 'data-pixels-per-day="1.0"' in response.text
    assert "Expand Speed" in response.text
    assert "hw-summary" in response.text


def test_a_move_from_the_table_moves_the_feature_and_its_dependants(world: World) -> None:
    base = feature(world, "Base", start_date=D(2030, 2, 1), end_date=D(2030, 2, 10))
    top = feature(world, "Top", start_date=D(2030, 2, 11), end_date=D(2030, 2, 20))
    depends(top, base)
    plan = roadmap(world)
    client = signed_in(world)
    response = client.post(
        f"/roadmaps/{plan.pk}/items/feature-{base.pk}/move", {"start": "2030-02-05"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Also moved what depends on it: “Top” (+4 days)" in page
    top.refresh_from_db()
    assert top.start_date == D(2030, 2, 15)


def test_a_dragged_move_answers_with_the_board_and_highlights_the_dependants(
    world: World,
) -> None:
    base = feature(world, "Base", start_date=D(2030, 2, 1), end_date=D(2030, 2, 10))
    top = feature(world, "Top", start_date=D(2030, 2, 11), end_date=D(2030, 2, 20))
    depends(top, base)
    plan = roadmap(world)
    response = signed_in(world).post(
        f"/roadmaps/{plan.pk}/items/feature-{base.pk}/move",
        {"start": "2030-02-05"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="roadmap-board"')
    assert response.text.count("hw-moved") == 2
    assert "just moved" in response.text


def test_a_viewer_cannot_move_an_item(world: World) -> None:
    base = feature(world, "Base", start_date=D(2030, 2, 1), end_date=D(2030, 2, 10))
    response = signed_in(world, "viewer").post(
        f"/roadmaps/{roadmap(world).pk}/items/feature-{base.pk}/move", {"start": "2030-03-01"}
    )
    assert response.status_code == 403


def test_another_workspaces_roadmap_page_is_404(world: World) -> None:
    plan = roadmap(world)
    assert signed_in(world, "outsider").get(f"/roadmaps/{plan.pk}/").status_code == 404


def test_sharing_from_the_page_shows_the_link_once(world: World) -> None:
    plan = roadmap(world)
    client = signed_in(world)
    response = client.post(f"/roadmaps/{plan.pk}/share", {"expires": ""})
    first = client.get(response["Location"]).text
    assert "/shared/roadmaps/" in first
    assert "/shared/roadmaps/" not in client.get(f"/roadmaps/{plan.pk}/").text
    assert "Revoke" in client.get(f"/roadmaps/{plan.pk}/").text


def test_snapshots_and_the_compare_page(world: World) -> None:
    found = feature(world, "Moves", start_date=D(2030, 2, 1), end_date=D(2030, 2, 10))
    plan = roadmap(world)
    client = signed_in(world)
    client.post(f"/roadmaps/{plan.pk}/snapshots", {"name": "Before"})
    found.start_date, found.end_date = D(2030, 2, 8), D(2030, 2, 17)
    found.save()
    page = client.get(f"/roadmaps/{plan.pk}/compare/").text
    assert "Before" in page
    assert "2030-02-01 → 2030-02-08" in page
    assert "+7" in page


def test_the_portal_shows_public_roadmaps_only(world: World) -> None:
    feature(world, "Shown", start_date=D(2030, 2, 1), end_date=D(2030, 2, 10))
    roadmap(world, name="Public plan", public=True)
    roadmap(world, name="Internal plan")
    url = f"/portal/{world.product.slug}/roadmap/"
    assert Client().get(url).status_code == 404  # the portal is off
    world.product.portal_enabled = True
    world.product.save()
    page = Client().get(url).text
    assert "Public plan" in page and "Shown" in page
    assert "Internal plan" not in page
    assert "/features/" not in page


def test_the_drawing_css_is_served_from_the_same_source_as_the_exports(db: None) -> None:
    from headway.roadmaps.svg import ROADMAP_CSS

    response = Client().get("/roadmaps/drawing.css")
    assert response["Content-Type"] == "text/css"
    assert ROADMAP_CSS in response.text


def test_the_radar_page_draws_blips_lists_them_and_shows_what_moved(world: World) -> None:
    blip = RadarBlip.objects.create(
        product=world.product, name="DuckDB", quadrant="platforms", ring="trial"
    )
    BlipMove.objects.create(blip=blip, to_ring="assess", at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    BlipMove.objects.create(blip=blip, from_ring="assess", to_ring="trial")
    page = signed_in(world).get(f"/products/{world.product.pk}/radar/").text
    assert "hw-radar" in page
    assert "DuckDB" in page
    assert "Assess → Trial" in page


def test_a_blip_is_added_and_moved_from_the_radar_page(world: World) -> None:
    client = signed_in(world)
    client.post(
        f"/products/{world.product.pk}/radar/",
        {"name": "htmx", "quadrant": "tools", "ring": "assess", "rationale": ""},
    )
    blip = RadarBlip.objects.get()
    client.post(f"/radar/{blip.pk}/ring", {"ring": "adopt"})
    blip.refresh_from_db()
    assert blip.ring == "adopt"
    assert list(blip.moves.values_list("from_ring", "to_ring")) == [
        ("", "assess"),
        ("assess", "adopt"),
    ]


def page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_roadmap_page_queries_do_not_grow_with_items(world: World) -> None:
    plan = roadmap(world, lane_by="team")
    client = signed_in(world)
    url = f"/roadmaps/{plan.pk}/"

    def add(offset: int, count: int) -> None:
        team = Team.objects.create(product=world.product, name=f"T{offset}", capacity_per_week=5)
        for i in range(count):
            feature(
                world,
                f"F{offset + i}",
                team=team,
                points=2,
                start_date=D(2030, 2, 1) + dt.timedelta(days=i),
                end_date=D(2030, 2, 5) + dt.timedelta(days=i),
            )
            RoadmapItem.objects.create(
                roadmap=plan, kind="milestone", title=f"M{offset + i}", start_date=D(2030, 3, 1)
            )

    client.get(url)
    add(0, 3)
    few = page_queries(client, url)
    add(100, 27)
    assert page_queries(client, url) == few


def test_radar_page_queries_do_not_grow_with_blips(world: World) -> None:
    client = signed_in(world)
    url = f"/products/{world.product.pk}/radar/"

    def add(prefix: str, count: int) -> None:
        for i in range(count):
            blip = RadarBlip.objects.create(
                product=world.product,
                name=f"{prefix}{i}",
                quadrant="tools",
                ring="trial",
                owner=world.pm,
            )
            BlipMove.objects.create(blip=blip, to_ring="trial", by=world.pm)

    client.get(url)
    add("a", 3)
    few = page_queries(client, url)
    add("b", 27)
    assert page_queries(client, url) == few


def test_roadmap_list_page_queries_do_not_grow(world: World) -> None:
    client = signed_in(world)
    url = f"/products/{world.product.pk}/roadmaps/"
    client.get(url)
    for i in range(3):
        roadmap(world, name=f"A{i}")
    few = page_queries(client, url)
    for i in range(27):
        roadmap(world, name=f"B{i}")
    assert page_queries(client, url) == few


def test_the_items_table_shows_the_first_rows_and_offers_the_rest(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from headway.roadmaps import views

    monkeypatch.setattr(views, "TABLE_ROWS", 2)
    for day in (3, 1, 2):
        feature(world, f"Day {day}", start_date=D(2030, 2, day), end_date=D(2030, 2, 20))
    plan = roadmap(world)
    client = signed_in(world)
    page = client.get(f"/roadmaps/{plan.pk}/").text
    table = page.split('class="table roadmap-table"', 1)[1]
    assert table.index("Day 1") < table.index("Day 2")
    assert "Day 3" not in table  # the third by start date waits behind the link
    assert "Showing the first 2 of 3 items by start date" in page
    assert "items=all" in page
    everything = client.get(f"/roadmaps/{plan.pk}/?zoom=month&items=all").text
    assert "Day 3" in everything.split('class="table roadmap-table"', 1)[1]
    assert "Showing the first" not in everything
