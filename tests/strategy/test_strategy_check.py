"""The strategy check against the database: each rule finds its mistake in real records."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from headway.core import clock
from headway.discovery.models import Feedback, FeedbackLink, Idea, Vote
from headway.planning.models import Feature, Risk
from headway.releases.models import Release
from headway.roadmaps.models import ItemKind, Roadmap, RoadmapItem
from headway.strategy import checks, services
from headway.strategy.models import Goal, Initiative, KeyResult
from tests.conftest import Api, World, make_user
from tests.queries import flat


def found(world: World) -> list[tuple[str, str, int]]:
    return [(f.rule, f.subject, f.subject_id) for f in services.strategy_check(world.product)]


@pytest.fixture
def served(world: World) -> Initiative:
    """A goal with a measurable key result and an initiative holding one feature: no findings."""
    goal = Goal.objects.create(product=world.product, title="Grow")
    KeyResult.objects.create(goal=goal, name="Users", baseline=1, target=2)
    initiative = Initiative.objects.create(product=world.product, goal=goal, title="Onboarding")
    Feature.objects.create(product=world.product, title="Tour", initiative=initiative, points=3)
    return initiative


def test_a_well_tied_strategy_has_no_findings(world: World, served: Initiative) -> None:
    assert services.strategy_check(world.product) == []


def test_features_tied_to_no_goal_are_found(world: World, served: Initiative) -> None:
    loose = Feature.objects.create(product=world.product, title="Dark mode")
    orphan = Initiative.objects.create(product=world.product, title="Misc")
    under_orphan = Feature.objects.create(product=world.product, title="Export", initiative=orphan)
    Feature.objects.create(product=world.product, title="Old", status="done")
    assert ("feature-without-goal", "feature", loose.pk) in found(world)
    assert ("feature-without-goal", "feature", under_orphan.pk) in found(world)
    assert len([f for f in found(world) if f[0] == "feature-without-goal"]) == 2


def test_goals_without_initiatives_or_features_are_found(world: World, served: Initiative) -> None:
    empty = Goal.objects.create(product=world.product, title="Open the EU")
    hollow = Goal.objects.create(product=world.product, title="Cut costs")
    Initiative.objects.create(product=world.product, goal=hollow, title="Cheaper queries")
    assert ("goal-without-work", "goal", empty.pk) in found(world)
    assert ("goal-without-work", "goal", hollow.pk) in found(world)


def test_key_results_without_baseline_or_target_are_errors(
    world: World, served: Initiative
) -> None:
    goal = Goal.objects.get(title="Grow")
    kr = KeyResult.objects.create(goal=goal, name="NRR", target=110)
    [finding] = services.strategy_check(world.product)
    assert (finding.rule, finding.level, finding.subject_id) == (
        "key-result-unmeasurable",
        "error",
        kr.pk,
    )
    assert finding.link == f"/strategy/key-results/{kr.pk}/edit/"


def test_initiatives_over_capacity_are_errors(world: World, served: Initiative) -> None:
    served.capacity_points = 10
    served.save()
    Feature.objects.create(product=world.product, title="More", initiative=served, points=8)
    Feature.objects.create(
        product=world.product, title="Dropped", initiative=served, points=50, status="cancelled"
    )
    [finding] = services.strategy_check(world.product)
    assert (finding.rule, finding.subject_id) == ("initiative-over-capacity", served.pk)
    assert "11 points" in finding.message


def test_work_past_its_dates_is_found(world: World, served: Initiative) -> None:
    past = clock.today() - dt.timedelta(days=5)
    late = Feature.objects.create(
        product=world.product, title="Late", initiative=served, end_date=past
    )
    Feature.objects.create(
        product=world.product, title="Shipped", initiative=served, end_date=past, status="done"
    )
    served.end_date = past
    served.save()
    roadmap = Roadmap.objects.create(product=world.product, name="2027")
    item = RoadmapItem.objects.create(roadmap=roadmap, feature=late, end_date=past)
    RoadmapItem.objects.create(
        roadmap=roadmap, kind=ItemKind.MILESTONE, title="Launch", end_date=past
    )
    assert sorted(f for f in found(world) if f[0] == "past-due") == sorted(
        [
            ("past-due", "feature", late.pk),
            ("past-due", "initiative", served.pk),
            ("past-due", "roadmap_item", item.pk),
        ]
    )


def test_high_demand_ideas_left_untriaged_are_found(world: World, served: Initiative) -> None:
    old = clock.now() - dt.timedelta(days=checks.UNTRIAGED_DAYS + 1)
    wanted = Idea.objects.create(product=world.product, title="Slack alerts", status_changed=old)
    voters = [make_user(f"voter{i}") for i in range(checks.HIGH_DEMAND_VOTES)]
    Vote.objects.bulk_create([Vote(idea=wanted, user=user) for user in voters])
    evidenced = Idea.objects.create(product=world.product, title="PowerPoint", status_changed=old)
    for n in range(checks.HIGH_DEMAND_FEEDBACK):
        feedback = Feedback.objects.create(product=world.product, text=f"Please {n}")
        FeedbackLink.objects.create(feedback=feedback, idea=evidenced)
    fresh = Idea.objects.create(product=world.product, title="Fresh")
    Vote.objects.bulk_create([Vote(idea=fresh, user=user) for user in voters])
    quiet = Idea.objects.create(product=world.product, title="Quiet", status_changed=old)
    assert sorted(f for f in found(world) if f[0] == "untriaged-demand") == sorted(
        [("untriaged-demand", "idea", wanted.pk), ("untriaged-demand", "idea", evidenced.pk)]
    )
    assert quiet.pk not in [f[2] for f in found(world)]


def test_releases_with_open_high_risks_are_errors(world: World, served: Initiative) -> None:
    release = Release.objects.create(product=world.product, name="2.4")
    shipped = Release.objects.create(product=world.product, name="2.3", status="released")
    feature = Feature.objects.get(title="Tour")
    feature.release = release
    feature.save()
    Risk.objects.create(feature=feature, title="Wrong answers", probability=4, impact=4)
    Risk.objects.create(feature=feature, title="Mild", probability=2, impact=4)
    Risk.objects.create(
        feature=feature, title="Handled", probability=5, impact=5, status="mitigated"
    )
    old = Feature.objects.create(
        product=world.product, title="Old", initiative=served, release=shipped
    )
    Risk.objects.create(feature=old, title="Shipped already", probability=5, impact=5)
    [finding] = services.strategy_check(world.product)
    assert (finding.rule, finding.subject_id, finding.link) == (
        "release-high-risk",
        release.pk,
        f"/releases/{release.pk}/",
    )
    assert "Wrong answers" in finding.message


def test_the_check_looks_at_one_product_only(world: World) -> None:
    Goal.objects.create(product=world.other_product, title="Secret")
    assert services.strategy_check(world.product) == []


# --- API ------------------------------------------------------------------------------------------


def test_lint_endpoint_lists_findings_with_counts(world: World, viewer_api: Api) -> None:
    Goal.objects.create(product=world.product, title="Open the EU")
    goal = Goal.objects.create(product=world.product, title="Grow")
    KeyResult.objects.create(goal=goal, name="NRR")
    body = viewer_api.get(f"/products/{world.product.pk}/lint").json()
    assert (body["count"], body["errors"], body["warnings"]) == (3, 1, 2)
    first = body["items"][0]
    assert first["level"] == "error"
    assert first["rule"] == "key-result-unmeasurable"
    assert set(first) == {"rule", "level", "message", "link", "subject", "subject_id"}


def test_lint_endpoint_is_404_for_an_outsider(world: World, outsider_api: Api) -> None:
    assert outsider_api.get(f"/products/{world.product.pk}/lint").status_code == 404


def add_mistakes(world: World, n: int) -> None:
    """n of each kind of mistake the check finds."""
    past = clock.today() - dt.timedelta(days=3)
    old = clock.now() - dt.timedelta(days=60)
    release = Release.objects.create(product=world.product, name=f"R{Release.objects.count()}")
    roadmap = Roadmap.objects.create(product=world.product, name="R")
    for i in range(n):
        goal = Goal.objects.create(product=world.product, title=f"G{i}")
        KeyResult.objects.create(goal=goal, name="k")
        initiative = Initiative.objects.create(
            product=world.product, title=f"I{i}", capacity_points=1, end_date=past
        )
        feature = Feature.objects.create(
            product=world.product,
            title=f"F{i}",
            initiative=initiative,
            points=5,
            end_date=past,
            release=release,
        )
        Risk.objects.create(feature=feature, title="r", probability=5, impact=5)
        RoadmapItem.objects.create(roadmap=roadmap, feature=feature, end_date=past)
        idea = Idea.objects.create(product=world.product, title=f"Idea {i}", status_changed=old)
        for j in range(checks.HIGH_DEMAND_FEEDBACK):
            feedback = Feedback.objects.create(product=world.product, text=f"f{j}")
            FeedbackLink.objects.create(feedback=feedback, idea=idea)


def test_lint_endpoint_queries_do_not_grow_with_rows(world: World, pm_api: Api) -> None:
    few, many = flat(
        lambda: pm_api.get(f"/products/{world.product.pk}/lint?limit=500"),
        lambda n: add_mistakes(world, n),
    )
    assert few == many


# --- CLI ------------------------------------------------------------------------------------------


def test_lint_prints_findings_and_exits_1_on_errors(world: World) -> None:
    goal = Goal.objects.create(product=world.product, title="Grow")
    kr = KeyResult.objects.create(goal=goal, name="NRR", target=110)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("lint", stdout=out, stderr=err)
    assert exit_status.value.code == 1
    lines = out.getvalue().splitlines()
    assert (
        f"rocket: error: Key result “NRR” of goal “Grow” has no baseline, so its progress cannot "
        f"be measured. (/strategy/key-results/{kr.pk}/edit/)"
    ) in lines
    assert "1 error, 1 warning in 2 products." in err.getvalue()


def test_lint_exits_0_when_only_warnings_are_found(world: World) -> None:
    Goal.objects.create(product=world.product, title="Open the EU")
    out = io.StringIO()
    call_command("lint", "--product", "rocket", stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("rocket: warning: Goal “Open the EU”")


def test_lint_takes_a_product_id(world: World) -> None:
    Goal.objects.create(product=world.other_product, title="Secret goal")
    out = io.StringIO()
    call_command("lint", "--product", str(world.product.pk), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == ""


def test_lint_refuses_an_unknown_product(world: World) -> None:
    with pytest.raises(CommandError, match="No product") as error:
        call_command("lint", "--product", "nope")
    assert error.value.returncode == 2
