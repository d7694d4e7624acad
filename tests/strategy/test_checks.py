"""The strategy check's rules, each on plain facts (no database)."""

from __future__ import annotations

import datetime as dt

from headway.strategy import checks
from headway.strategy.checks import (
    Facts,
    FeatureFact,
    GoalFact,
    IdeaFact,
    InitiativeFact,
    KeyResultFact,
    ReleaseRiskFact,
    RoadmapItemFact,
)

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


def rules(facts: Facts) -> list[tuple[str, str, int]]:
    return [(f.rule, f.level, f.subject_id) for f in checks.run(facts, NOW)]


def test_a_feature_without_an_initiative_is_tied_to_no_goal() -> None:
    facts = Facts(features=[FeatureFact(1, "Dark mode", "/features/1/")])
    [finding] = checks.run(facts, NOW)
    assert (finding.rule, finding.level) == ("feature-without-goal", "warning")
    assert "belongs to no initiative" in finding.message
    assert finding.link == "/features/1/"


def test_a_feature_whose_initiative_has_no_goal_is_tied_to_no_goal() -> None:
    facts = Facts(features=[FeatureFact(1, "Dark mode", "/f/", initiative_id=4)])
    [finding] = checks.run(facts, NOW)
    assert "initiative that serves no goal" in finding.message


def test_a_feature_under_a_goal_is_fine() -> None:
    facts = Facts(features=[FeatureFact(1, "SSO", "/f/", initiative_id=4, goal_id=2)])
    assert checks.run(facts, NOW) == []


def test_a_goal_without_initiatives_has_no_work() -> None:
    facts = Facts(goals=[GoalFact(1, "Open the EU", "/g/")])
    assert rules(facts) == [("goal-without-work", "warning", 1)]


def test_a_goal_whose_initiatives_hold_no_feature_has_no_work() -> None:
    facts = Facts(goals=[GoalFact(1, "Open the EU", "/g/", initiative_count=2, feature_count=0)])
    [finding] = checks.run(facts, NOW)
    assert "no feature" in finding.message


def test_a_goal_with_features_is_fine() -> None:
    facts = Facts(goals=[GoalFact(1, "Grow", "/g/", initiative_count=1, feature_count=3)])
    assert checks.run(facts, NOW) == []


def test_a_key_result_without_a_baseline_is_an_error() -> None:
    facts = Facts(key_results=[KeyResultFact(7, "NRR", "Grow", "/kr/", target=110)])
    [finding] = checks.run(facts, NOW)
    assert (finding.rule, finding.level) == ("key-result-unmeasurable", "error")
    assert "has no baseline," in finding.message


def test_a_key_result_without_baseline_and_target_names_both() -> None:
    facts = Facts(key_results=[KeyResultFact(7, "NRR", "Grow", "/kr/")])
    assert "no baseline and no target" in checks.run(facts, NOW)[0].message


def test_a_measurable_key_result_is_fine() -> None:
    facts = Facts(key_results=[KeyResultFact(7, "NRR", "Grow", "/kr/", baseline=0, target=1)])
    assert checks.run(facts, NOW) == []


def test_an_initiative_over_capacity_is_an_error() -> None:
    facts = Facts(initiatives=[InitiativeFact(3, "Security", "/i/", capacity_points=34, points=39)])
    [finding] = checks.run(facts, NOW)
    assert (finding.rule, finding.level) == ("initiative-over-capacity", "error")
    assert "39 points" in finding.message and "5 over" in finding.message


def test_an_initiative_at_capacity_or_without_one_is_fine() -> None:
    facts = Facts(
        initiatives=[
            InitiativeFact(3, "At", "/i/", capacity_points=34, points=34),
            InitiativeFact(4, "Unbounded", "/i/", capacity_points=None, points=500),
        ]
    )
    assert checks.run(facts, NOW) == []


def test_an_unfinished_feature_past_its_end_date_is_late() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    facts = Facts(features=[FeatureFact(1, "SSO", "/f/", 4, 2, end_date=yesterday)])
    assert rules(facts) == [("past-due", "error", 1)]


def test_a_feature_ending_today_is_not_late_yet() -> None:
    facts = Facts(features=[FeatureFact(1, "SSO", "/f/", 4, 2, end_date=TODAY)])
    assert checks.run(facts, NOW) == []


def test_an_initiative_past_its_end_with_open_features_is_late() -> None:
    past = TODAY - dt.timedelta(days=10)
    late = InitiativeFact(3, "Security", "/i/", end_date=past, open_features=2)
    finished = InitiativeFact(4, "Onboarding", "/i/", end_date=past, open_features=0)
    assert rules(Facts(initiatives=[late, finished])) == [("past-due", "error", 3)]


def test_a_roadmap_item_past_its_end_with_work_left_is_late() -> None:
    past = TODAY - dt.timedelta(days=3)
    open_item = RoadmapItemFact(9, "SSO", "2027", "/roadmaps/1/", past, done=False)
    done_item = RoadmapItemFact(10, "Tour", "2027", "/roadmaps/1/", past, done=True)
    findings = checks.run(Facts(roadmap_items=[open_item, done_item]), NOW)
    assert [(f.rule, f.subject, f.subject_id) for f in findings] == [
        ("past-due", "roadmap_item", 9)
    ]


def idea(votes: int, feedback: int, days: int, status: str = "new") -> IdeaFact:
    return IdeaFact(
        5, "Slack alerts", "/ideas/5/", status, votes, feedback, NOW - dt.timedelta(days)
    )


def test_a_high_demand_idea_untriaged_for_thirty_days_is_flagged() -> None:
    [finding] = checks.run(Facts(ideas=[idea(checks.HIGH_DEMAND_VOTES, 0, 30)]), NOW)
    assert (finding.rule, finding.level) == ("untriaged-demand", "warning")
    assert "waited 30 days" in finding.message


def test_linked_feedback_alone_makes_an_idea_high_demand() -> None:
    assert rules(Facts(ideas=[idea(0, checks.HIGH_DEMAND_FEEDBACK, 45)])) == [
        ("untriaged-demand", "warning", 5)
    ]


def test_an_idea_below_the_demand_thresholds_is_not_flagged() -> None:
    facts = Facts(ideas=[idea(checks.HIGH_DEMAND_VOTES - 1, checks.HIGH_DEMAND_FEEDBACK - 1, 90)])
    assert checks.run(facts, NOW) == []


def test_a_high_demand_idea_younger_than_thirty_days_is_not_flagged() -> None:
    assert checks.run(Facts(ideas=[idea(50, 0, checks.UNTRIAGED_DAYS - 1)]), NOW) == []


def test_a_triaged_idea_is_not_flagged() -> None:
    assert checks.run(Facts(ideas=[idea(50, 9, 90, status="under_review")]), NOW) == []


def test_a_release_with_an_open_high_risk_is_an_error() -> None:
    risk = ReleaseRiskFact(2, "2.4", "/releases/2/", "Ask in English", "Wrong answers", 16)
    [finding] = checks.run(Facts(release_risks=[risk]), NOW)
    assert (finding.rule, finding.level, finding.subject) == (
        "release-high-risk",
        "error",
        "release",
    )
    assert "probability × impact 16" in finding.message


def test_a_release_risk_below_the_threshold_is_fine() -> None:
    risk = ReleaseRiskFact(2, "2.4", "/r/", "F", "R", checks.HIGH_RISK_EXPOSURE - 1)
    assert checks.run(Facts(release_risks=[risk]), NOW) == []


def test_errors_come_before_warnings() -> None:
    facts = Facts(
        goals=[GoalFact(1, "Open the EU", "/g/")],
        key_results=[KeyResultFact(7, "NRR", "Grow", "/kr/")],
    )
    assert [f.level for f in checks.run(facts, NOW)] == ["error", "warning"]
    assert checks.has_errors(checks.run(facts, NOW))


def test_a_finding_prints_as_a_compiler_style_line() -> None:
    finding = checks.Finding("r", "error", "Broken.", "/fix/", "goal", 1)
    assert finding.line("acme") == "acme: error: Broken. (/fix/)"
    assert finding.line() == "error: Broken. (/fix/)"
