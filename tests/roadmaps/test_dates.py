"""Where roadmap dates come from: each step of the chain, its order, and the at-risk flag."""

from __future__ import annotations

import datetime as dt

from headway.planning.models import Feature, Team
from headway.roadmaps import services
from headway.roadmaps.dates import (
    DateFacts,
    from_forecast,
    from_own,
    from_release,
    from_schedule,
    resolve,
)
from tests.conftest import World
from tests.roadmaps.factories import TODAY, depends, feature, release

D = dt.date


def test_own_dates_come_first() -> None:
    facts = DateFacts(own_start=D(2030, 2, 1), own_end=D(2030, 3, 1), release_date=D(2030, 4, 1))
    resolved = resolve(facts, TODAY)
    assert (resolved.start, resolved.end, resolved.source) == (D(2030, 2, 1), D(2030, 3, 1), "own")


def test_an_own_start_alone_is_a_one_day_span() -> None:
    assert from_own(DateFacts(own_start=D(2030, 2, 1))) == (D(2030, 2, 1), D(2030, 2, 1))


def test_the_release_date_is_the_end_when_the_item_has_none() -> None:
    resolved = resolve(DateFacts(release_date=D(2030, 4, 1)), TODAY)
    assert (resolved.start, resolved.end, resolved.source) == (None, D(2030, 4, 1), "release")


def test_the_release_step_starts_where_the_schedule_starts() -> None:
    facts = DateFacts(release_date=D(2030, 4, 1), scheduled=(D(2030, 3, 1), D(2030, 3, 20)))
    assert from_release(facts) == (D(2030, 3, 1), D(2030, 4, 1))


def test_the_release_step_ignores_a_schedule_that_starts_after_the_release() -> None:
    facts = DateFacts(release_date=D(2030, 4, 1), scheduled=(D(2030, 5, 1), D(2030, 5, 20)))
    assert from_release(facts) == (None, D(2030, 4, 1))


def test_the_schedule_comes_after_the_release() -> None:
    resolved = resolve(DateFacts(scheduled=(D(2030, 3, 1), D(2030, 3, 20))), TODAY)
    assert (resolved.start, resolved.end, resolved.source) == (
        D(2030, 3, 1),
        D(2030, 3, 20),
        "schedule",
    )
    assert from_schedule(DateFacts()) is None


def test_the_forecast_is_the_last_resort() -> None:
    resolved = resolve(DateFacts(forecast_end=D(2030, 6, 1)), TODAY)
    assert (resolved.end, resolved.source) == (D(2030, 6, 1), "forecast")
    assert from_forecast(DateFacts()) is None


def test_without_any_source_the_item_is_undated() -> None:
    resolved = resolve(DateFacts(), TODAY)
    assert not resolved.is_dated
    assert resolved.source is None


def test_an_item_whose_schedule_ends_after_its_release_is_at_risk() -> None:
    facts = DateFacts(release_date=D(2030, 4, 1), scheduled=(D(2030, 3, 1), D(2030, 4, 10)))
    assert resolve(facts, TODAY).at_risk


def test_an_item_whose_forecast_ends_after_its_own_end_is_at_risk() -> None:
    facts = DateFacts(own_end=D(2030, 4, 1), forecast_end=D(2030, 4, 2))
    assert resolve(facts, TODAY).at_risk


def test_an_item_expected_in_time_is_not_at_risk() -> None:
    facts = DateFacts(own_end=D(2030, 4, 1), scheduled=(D(2030, 3, 1), D(2030, 4, 1)))
    assert not resolve(facts, TODAY).at_risk


def test_an_unfinished_item_past_its_end_is_at_risk() -> None:
    assert resolve(DateFacts(own_end=TODAY - dt.timedelta(days=1)), TODAY).at_risk


def test_a_done_item_is_never_at_risk() -> None:
    facts = DateFacts(own_end=TODAY - dt.timedelta(days=30), done=True)
    assert not resolve(facts, TODAY).at_risk


def test_resolve_dates_runs_the_chain_over_features(world: World) -> None:
    ship = release(world, "1.0", D(2030, 6, 30))
    own = feature(world, "Own", start_date=D(2030, 2, 1), end_date=D(2030, 2, 28))
    by_release = feature(world, "Release", release=ship)
    nothing = feature(world, "Nothing")
    resolved = services.resolve_dates(world.product, [own, by_release, nothing], TODAY)
    assert resolved[own.pk].source == "own"
    assert resolved[by_release.pk].source == "release"
    assert resolved[nothing.pk].source is None


def test_the_schedule_uses_points_and_team_capacity(world: World) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    first = feature(world, "First", points=10, team=team, rank="a")
    second = feature(world, "Second", points=5, team=team, rank="b")
    resolved = services.resolve_dates(world.product, [first, second], TODAY)
    # 10 points at 5 a week: two weeks; the second waits for the team, then takes one.
    assert (resolved[first.pk].start, resolved[first.pk].end) == (TODAY, TODAY + dt.timedelta(13))
    assert resolved[second.pk].start == TODAY + dt.timedelta(weeks=2)
    assert resolved[second.pk].end == TODAY + dt.timedelta(weeks=3) - dt.timedelta(days=1)
    assert resolved[second.pk].source == "schedule"


def test_the_schedule_waits_for_dependencies_and_flags_a_late_release(world: World) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    ship = release(world, "1.0", TODAY + dt.timedelta(days=10))
    base = feature(world, "Base", points=10, team=team, rank="a")
    top = feature(world, "Top", points=5, team=team, rank="b", release=ship)
    depends(top, base)
    resolved = services.resolve_dates(world.product, [base, top], TODAY)
    # The schedule starts it after the release date, so only the release's end is drawn.
    assert (resolved[top.pk].start, resolved[top.pk].end) == (None, ship.target_date)
    assert resolved[top.pk].expected_end == TODAY + dt.timedelta(weeks=3, days=-1)
    assert resolved[top.pk].at_risk


def test_the_forecast_dates_features_the_schedule_cannot_place(world: World) -> None:
    from headway.planning.models import Story

    done_feature = feature(world, "Shipped", status="done")
    now = dt.datetime(2030, 1, 14, 12, tzinfo=dt.UTC)
    Story.objects.bulk_create(
        [
            Story(
                feature=done_feature,
                title=f"s{i}",
                status="done",
                done_at=now - dt.timedelta(weeks=i // 2),
            )
            for i in range(40)
        ]
    )
    first = feature(world, "First", rank="a")  # no points: the schedule cannot place it
    second = feature(world, "Second", rank="b", release=release(world, "1.0", TODAY))
    Story.objects.bulk_create([Story(feature=second, title=f"o{i}") for i in range(30)])
    resolved = services.resolve_dates(world.product, [first, second], TODAY)
    assert resolved[first.pk].source == "forecast"
    assert TODAY < resolved[first.pk].end <= TODAY + dt.timedelta(weeks=2)
    # 31 items at about two a week: well after the release due today, so at risk.
    assert resolved[second.pk].source == "release"
    assert resolved[second.pk].expected_end > TODAY + dt.timedelta(weeks=8)
    assert resolved[second.pk].at_risk


def test_without_throughput_there_is_no_forecast(world: World) -> None:
    lonely = feature(world, "Lonely")
    resolved = services.resolve_dates(world.product, [lonely], TODAY)
    assert resolved[lonely.pk].source is None


def test_a_kept_schedule_follows_a_rank_move(world: World) -> None:
    team = Team.objects.create(product=world.product, name="Core", capacity_per_week=5)
    first = feature(world, "First", points=5, team=team, rank="a")
    second = feature(world, "Second", points=5, team=team, rank="b")
    assert services.resolve_dates(world.product, [first, second], TODAY)[first.pk].start == TODAY
    # A manual reorder writes the rank alone, without a version bump; the schedule sees it.
    Feature.objects.filter(pk=second.pk).update(rank="0")
    moved = services.resolve_dates(world.product, [first, second], TODAY)
    assert moved[second.pk].start == TODAY
    assert moved[first.pk].start == TODAY + dt.timedelta(weeks=1)
