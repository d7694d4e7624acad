"""The sentences of the feed, the history and the notifications (no database)."""

from __future__ import annotations

import datetime as dt

from headway.activity.sentences import (
    Change,
    FeedEvent,
    by_day,
    describe,
    differences,
    notification,
    quoted,
)

STATUS = {"status": {"planned": "Planned", "in_progress": "In progress"}}


def change(action: str = "update", **kwargs: object) -> Change:
    values: dict[str, object] = {
        "actor": "maya",
        "action": action,
        "model": "feature",
        "label": "feature",
        "title": "SSO",
        "choices": STATUS,
    }
    values.update(kwargs)
    return Change(**values)  # type: ignore[arg-type]


def test_a_status_move_reads_like_a_person_said_it() -> None:
    assert (
        describe(change(changes={"status": ["planned", "in_progress"]}))
        == "maya moved 'SSO' to In progress"
    )


def test_a_status_move_with_other_changes_says_so() -> None:
    sentence = describe(
        change(
            changes={"status": ["planned", "in_progress"], "description": ["", "x"]},
            field_labels={"description": "description"},
        )
    )
    assert sentence == "maya moved 'SSO' to In progress and changed its description"


def test_creation_and_deletion() -> None:
    assert describe(change("create")) == "maya added feature 'SSO'"
    assert describe(change("delete")) == "maya deleted feature 'SSO'"


def test_a_rename_names_both() -> None:
    assert (
        describe(change(changes={"title": ["SSO", "SAML SSO"]}))
        == "maya renamed feature 'SSO' to 'SAML SSO'"
    )


def test_a_reorder_is_not_an_edit() -> None:
    assert describe(change(changes={"rank": ["a", "b"]})) == "maya reordered feature 'SSO'"


def test_many_changed_fields_are_summed_up() -> None:
    names = ["title", "description", "points", "kind", "team"]
    sentence = describe(change(changes={name: [1, 2] for name in names}))
    assert sentence == "maya changed the title, description and 3 more fields of feature 'SSO'"


def test_comments_read_as_comments() -> None:
    assert describe(change("create", model="comment")) == "maya commented on 'SSO'"
    assert (
        describe(change(model="comment", changes={"body": ["a", "b"]}))
        == "maya edited a comment on 'SSO'"
    )
    assert (
        describe(change(model="comment", changes={"deleted": [None, "2026"]}))
        == "maya deleted a comment on 'SSO'"
    )


def test_nobody_is_someone() -> None:
    assert describe(change("create", actor=None)) == "Someone added feature 'SSO'"


def test_long_titles_are_shortened() -> None:
    assert quoted("x" * 100, 10) == "'xxxxxxxxx…'"


def test_differences_use_choice_labels() -> None:
    rows = differences(change(changes={"status": ["planned", "in_progress"], "body_html": [1, 2]}))
    assert rows == [("Status", "Planned", "In progress")]


def test_notification_sentences() -> None:
    assert (
        notification("mentioned", "maya", "feature", "SSO") == "maya mentioned you on feature 'SSO'"
    )
    assert notification("replied", "tom", "idea", "X") == "tom replied to your comment on idea 'X'"
    assert notification("commented", None, "story", "S") == "Someone commented on story 'S'"
    assert notification("shipped", "tom", "feature", "SSO").startswith("Feature 'SSO' is done")


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC)


def event(when: dt.datetime, title: str, action: str = "create", actor: str = "priya") -> FeedEvent:
    return FeedEvent(
        at=when,
        actor=actor,
        action=action,
        label="story",
        plural="stories",
        title=title,
        sentence=f"{actor} {action}d story '{title}'",
    )


def test_the_feed_groups_by_day_and_collapses_a_run_of_additions() -> None:
    days = by_day(
        [
            event(at(25, 12), "A"),
            event(at(25, 11), "B"),
            event(at(25, 10), "C"),
            event(at(25, 9), "D"),
            event(at(25, 8), "E", action="update"),
            event(at(24, 8), "F"),
        ]
    )
    assert [day for day, _ in days] == [dt.date(2026, 11, 25), dt.date(2026, 11, 24)]
    first_day = [entry.sentence for entry in days[0][1]]
    assert first_day == ["priya added 4 stories: 'A', 'B' and 2 more", "priya updated story 'E'"]
    assert days[0][1][0].count == 4
    assert [entry.sentence for entry in days[1][1]] == ["priya created story 'F'"]


def test_additions_by_different_people_are_not_collapsed() -> None:
    days = by_day([event(at(25, 12), "A"), event(at(25, 11), "B", actor="tom")])
    assert len(days[0][1]) == 2


def test_a_change_of_a_list_field_reads_as_its_items() -> None:
    change = Change(
        actor="maya",
        action="update",
        model="feature",
        label="feature",
        title="SSO",
        changes={"labels": [["a"], ["a", "b"]]},
    )
    assert change.value("labels", 1) == "a, b"
