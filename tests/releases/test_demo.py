"""The demo shows releases with forecasts, readiness under way and the notes of 2.3."""

from __future__ import annotations

from headway.releases.api import release_forecast_body
from headway.releases.models import ReadinessItem, Release
from headway.releases.notes import notes_for
from headway.web import demo


def test_the_demo_has_forecasts_readiness_and_notes(db: None) -> None:
    loaded = demo.load()
    releases = {r.name: r for r in Release.objects.filter(product=loaded.product)}
    for name in ("2.4", "3.0"):
        forecast = release_forecast_body(releases[name])
        assert forecast["remaining"] > 0
        assert forecast["probability"] is not None
    ticked = ReadinessItem.objects.filter(release=releases["2.4"], done=True).count()
    assert 0 < ticked < ReadinessItem.objects.filter(release=releases["2.4"]).count()
    notes = notes_for([releases["2.3"]])[releases["2.3"].pk]
    assert "Guided first dashboard." in notes.markdown()
