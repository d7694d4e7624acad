"""Release and forecast pages: what they show, ticking from the page, query counts."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.accounts.models import Membership
from headway.releases.models import ReadinessItem, Release
from headway.releases.services import create_release
from tests.conftest import World
from tests.releases.factories import feature, history, release, story


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _release_with_scope(world: World, name: str = "2.4") -> Release:
    r = create_release(
        world.pm, world.product, name=name, target_date=dt.date.today() + dt.timedelta(days=56)
    )
    work = feature(world.product, f"Work {name}", release=r)
    for n in range(6):
        story(work, f"{name}-{n}", points=3)
    return r


def test_the_release_page_shows_readiness_scope_and_the_chance_of_the_date(world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4, 3, 4, 5, 3])
    r = _release_with_scope(world)
    page = _client(world.viewer).get(f"/releases/{r.pk}/").content.decode()
    assert "Readiness per function" in page
    assert "Sales enablement" in page
    assert "% </strong>" not in page
    assert "likely to finish the remaining 6 items" in page
    assert "<svg" in page and "Burn-up of release 2.4" in page
    assert "Mark done" not in page  # a viewer ticks nothing


def test_a_contributor_ticks_their_function_from_the_page(world: World) -> None:
    Membership.objects.filter(user=world.contributor).update(function="engineering")
    r = _release_with_scope(world)
    item = ReadinessItem.objects.filter(release=r, function="engineering").first()
    assert item is not None
    client = _client(world.contributor)
    response = client.post(f"/readiness/{item.pk}/tick", {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "1 of 2" in response.content.decode()
    other = ReadinessItem.objects.filter(release=r, function="qa").first()
    assert other is not None
    assert client.post(f"/readiness/{other.pk}/tick", {"done": "1"}).status_code == 403


def test_the_release_list_page_lists_releases_with_their_chance(world: World) -> None:
    history(world.product, [3, 4, 2, 5])
    _release_with_scope(world, "2.4")
    page = _client(world.pm).get(f"/products/{world.product.pk}/releases/").content.decode()
    assert "2.4" in page and "New release" in page
    assert 'aria-current="page">Releases' in page


def test_the_forecast_page_shows_dates_charts_and_scenarios(world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4])
    _release_with_scope(world)
    target = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    page = (
        _client(world.pm)
        .get(f"/products/{world.product.pk}/forecast/?remaining=20&target_date={target}")
        .content.decode()
    )
    assert "Histogram of completion dates" in page
    assert "Burn-up" in page
    assert "Start a scenario" in page


def test_the_forecast_page_explains_a_missing_history(world: World) -> None:
    page = _client(world.pm).get(f"/products/{world.product.pk}/forecast/").content.decode()
    assert "alert alert--error" in page


def test_the_forecast_page_reports_a_bad_remaining_count(world: World) -> None:
    page = _client(world.pm).get(f"/products/{world.product.pk}/forecast/?remaining=many")
    assert "Enter a whole number" in page.content.decode()


def test_the_scenario_page_adds_a_change_and_applies_it(world: World) -> None:
    history(world.product, [3, 4, 2, 5])
    r = _release_with_scope(world, "2.4")
    later = release(world.product, "3.0")
    client = _client(world.pm)
    response = client.post(f"/products/{world.product.pk}/scenarios/new", {"name": "Cut"})
    scenario_url = response["Location"]
    work = r.features.get()
    changed = client.post(
        f"{scenario_url}change", {"kind": "feature", "feature": work.pk, "release": later.pk}
    )
    assert changed.status_code == 302, changed.content
    page = client.get(scenario_url).content.decode()
    assert "6 → 0" in page, page[page.find("<main") :]
    work.refresh_from_db()
    assert work.release_id == r.pk
    client.post(f"{scenario_url}apply")
    work.refresh_from_db()
    assert work.release_id == later.pk


def _page_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_release_list_page_takes_the_same_queries_for_3_and_30_releases(world: World) -> None:
    client = _client(world.pm)
    url = f"/products/{world.product.pk}/releases/"
    for n in range(3):
        _release_with_scope(world, f"a{n}")
    few = _page_queries(client, url)
    for n in range(27):
        _release_with_scope(world, f"b{n}")
    assert _page_queries(client, url) == few


def test_the_release_page_takes_the_same_queries_for_3_and_30_items(world: World) -> None:
    client = _client(world.pm)
    r = _release_with_scope(world)
    url = f"/releases/{r.pk}/"
    few = _page_queries(client, url)
    work = feature(world.product, "More", release=r)
    for n in range(27):
        story(work, f"more {n}", points=1, status="done", done_at=None)
        ReadinessItem.objects.create(release=r, function="support", title=f"check {n}")
    assert _page_queries(client, url) == few
