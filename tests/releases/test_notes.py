"""Release notes, the public changelog, its Atom feed and the releases' iCalendar feed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import icalendar
from django.test import Client

from headway.core import clock
from headway.products.models import Product
from headway.releases.models import ReleaseStatus
from tests.conftest import Api, World
from tests.releases.factories import feature, release

ATOM = "{http://www.w3.org/2005/Atom}"


def _shipped(world: World) -> int:
    r = release(world.product, "2.3", status=ReleaseStatus.RELEASED, released_at=clock.now())
    feature(
        world.product,
        "A",
        release=r,
        status="done",
        release_note="Dark mode",
        release_note_kind="new",
    )
    feature(
        world.product,
        "B",
        release=r,
        status="done",
        release_note="Faster search",
        release_note_kind="improved",
    )
    feature(
        world.product,
        "C",
        release=r,
        status="done",
        release_note="Crash on <save>",
        release_note_kind="fixed",
    )
    feature(
        world.product, "D", release=r, status="done", release_note="Export", release_note_kind="new"
    )
    feature(
        world.product, "Not shipped", release=r, status="in_progress", release_note="Secret plan"
    )
    feature(world.product, "Internal", release=r, status="done", release_note="")
    return r.pk


def test_notes_group_shipped_features_new_improved_fixed(pm_api: Api, world: World) -> None:
    release_id = _shipped(world)
    text = pm_api.get(f"/releases/{release_id}/notes?format=markdown").content.decode()
    assert text.index("## New") < text.index("## Improved") < text.index("## Fixed")
    assert "- Dark mode\n- Export" in text
    assert "Secret plan" not in text


def test_html_notes_escape_text(pm_api: Api, world: World) -> None:
    release_id = _shipped(world)
    response = pm_api.get(f"/releases/{release_id}/notes?format=html")
    assert response["Content-Type"].startswith("text/html")
    assert "Crash on &lt;save&gt;" in response.content.decode()


def test_an_unknown_notes_format_is_refused(pm_api: Api, world: World) -> None:
    release_id = _shipped(world)
    response = pm_api.get(f"/releases/{release_id}/notes?format=pdf")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


def _portal(world: World, enabled: bool = True) -> Product:
    Product.objects.filter(pk=world.product.pk).update(portal_enabled=enabled)
    return Product.objects.get(pk=world.product.pk)


def test_the_public_changelog_lists_released_releases_only(world: World) -> None:
    _shipped(world)
    release(world.product, "9.9")
    product = _portal(world)
    page = Client().get(f"/portal/{product.slug}/changelog/").content.decode()
    assert "2.3" in page and "Dark mode" in page
    assert "9.9" not in page


def test_the_changelog_is_404_when_the_portal_is_off(world: World) -> None:
    product = _portal(world, enabled=False)
    assert Client().get(f"/portal/{product.slug}/changelog/").status_code == 404
    assert Client().get(f"/portal/{product.slug}/changelog.atom").status_code == 404


def test_the_atom_feed_is_valid_atom_1_0(world: World) -> None:
    _shipped(world)
    product = _portal(world)
    response = Client().get(f"/portal/{product.slug}/changelog.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output, in a test
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    for required in ("id", "title", "updated", "content"):
        assert entries[0].find(f"{ATOM}{required}") is not None, required
    dt.datetime.fromisoformat(entries[0].findtext(f"{ATOM}updated", ""))
    assert "Dark mode" in entries[0].findtext(f"{ATOM}content", "")


def test_the_ics_feed_parses_back_with_one_event_per_dated_release(world: World) -> None:
    release(world.product, "Spring; early, \\ok", target_date=dt.date(2031, 3, 1))
    release(world.product, "Undated", target_date=None)
    release(world.product, "Dropped", status=ReleaseStatus.CANCELLED)
    client = Client()
    client.force_login(world.viewer)
    response = client.get(f"/products/{world.product.pk}/releases.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(event["SUMMARY"]) for event in events] == ["Release Spring; early, \\ok"]
    assert events[0].decoded("DTSTART") == dt.date(2031, 3, 1)


def test_the_ics_feed_is_not_for_outsiders(world: World) -> None:
    client = Client()
    client.force_login(world.outsider)
    assert client.get(f"/products/{world.product.pk}/releases.ics").status_code == 404
