"""The Jira CSV parser and planner, on hand-made quirky files and on the real Hadoop export."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.interchange.errors import ImportFailed
from headway.interchange.jira import JiraIssue, iter_jira_csv, plan_jira
from tests.shared_data import shared_data

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = "Summary,Issue key,Issue Type,Created,Resolved,Labels,Labels,Sprint,Description"


def parse(text: str, *, bom: bool = False, newline: str = "\n") -> list[JiraIssue]:
    data = text.replace("\n", newline).encode()
    return list(iter_jira_csv(io.BytesIO((b"\xef\xbb\xbf" if bom else b"") + data)))


def failure(text: str) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        parse(text)
    return caught.value


def positions(error: ImportFailed) -> list[tuple[int, int | None]]:
    return [(detail.line, detail.column) for detail in error.errors]


# --- the quirky fixture: BOM, CRLF, repeated columns, multi-line fields -----------------------


@pytest.fixture(scope="module")
def quirky() -> list[JiraIssue]:
    return list(iter_jira_csv(FIXTURES / "jira-quirky.csv"))


def test_quirky_export_reads_every_issue_in_file_order(quirky: list[JiraIssue]) -> None:
    keys = [issue.key for issue in quirky]
    assert keys == ["PAY-1", "PAY-2", "PAY-3", "PAY-5", "PAY-4", "PAY-6", "PAY-7", "PAY-8"]


def test_line_numbers_count_the_physical_lines_of_multi_line_descriptions(
    quirky: list[JiraIssue],
) -> None:
    assert [issue.line for issue in quirky] == [2, 4, 8, 9, 10, 11, 12, 13]


def test_byte_order_mark_does_not_hide_the_first_column(quirky: list[JiraIssue]) -> None:
    assert quirky[0].summary == "Checkout v2"


def test_repeated_columns_become_lists(quirky: list[JiraIssue]) -> None:
    story = quirky[1]
    assert story.labels == ("ui", "forms")
    assert story.components == ("Web", "API")
    assert story.sprints == ("PAY Sprint 1", "PAY Sprint 2")
    assert story.fix_versions == ("2.0",)


def test_empty_repeated_cells_are_dropped(quirky: list[JiraIssue]) -> None:
    assert quirky[0].labels == ("payments",)
    assert quirky[3].labels == ()


def test_multi_line_description_keeps_its_lines_with_plain_newlines(
    quirky: list[JiraIssue],
) -> None:
    assert quirky[1].description == (
        'As a buyer, I want my card checked.\n\n* check "MM/YY"\n* reject past dates'
    )
    assert quirky[6].description == 'Everything about refunds, with a comma, and "quotes"'


def test_custom_fields_parent_and_epic_link_are_read(quirky: list[JiraIssue]) -> None:
    by_key = {issue.key: issue for issue in quirky}
    assert by_key["PAY-2"].epic_link == "PAY-1"
    assert by_key["PAY-3"].parent == "10002"
    assert by_key["PAY-2"].story_points == 3.0
    assert by_key["PAY-4"].story_points == 2.5  # a decimal comma, as some locales export
    assert by_key["PAY-1"].is_epic
    assert by_key["PAY-3"].is_subtask
    assert by_key["PAY-3"].source_id == "10003"


def test_every_jira_date_format_parses_to_utc(quirky: list[JiraIssue]) -> None:
    by_key = {issue.key: issue for issue in quirky}
    assert by_key["PAY-1"].created == datetime(2021, 9, 30, 17, 20, tzinfo=UTC)
    assert by_key["PAY-2"].created == datetime(2021, 10, 1, 9, 5, tzinfo=UTC)
    assert by_key["PAY-2"].resolved == datetime(2022, 1, 12, 16, 30, tzinfo=UTC)
    assert by_key["PAY-3"].created == datetime(2021, 10, 2, 10, 0, tzinfo=UTC)
    assert by_key["PAY-6"].created == datetime(2021, 10, 4, 12, 0, tzinfo=UTC)  # 12:00 PM
    assert by_key["PAY-7"].created == datetime(2021, 10, 4, 0, 0, tzinfo=UTC)  # 12:00 AM


def test_times_without_zone_are_read_in_the_given_zone() -> None:
    plus_two = timezone(timedelta(hours=2))
    text = "Summary,Issue id,Created\nA,1,30/Sep/21 17:20\n"
    (issue,) = iter_jira_csv(io.BytesIO(text.encode()), tz=plus_two)
    assert issue.created == datetime(2021, 9, 30, 15, 20, tzinfo=UTC)


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_bom_and_line_endings_give_the_same_issues(bom: bool, newline: str) -> None:
    text = HEADER + '\nA,K-1,Task,30/Sep/21 17:20,,x,y,S1,"one\ntwo"\nB,K-2,Bug,,,,,,\n'
    issues = parse(text, bom=bom, newline=newline)
    assert [(i.key, i.line, i.labels, i.description) for i in issues] == [
        ("K-1", 2, ("x", "y"), "one\ntwo"),
        ("K-2", 4, (), ""),
    ]


def test_a_huge_description_is_accepted() -> None:
    description = "word " * 20_000 + "\n" * 50
    text = f'Summary,Issue id,Description\nBig,1,"{description}"\nNext,2,\n'
    first, second = parse(text)
    assert len(first.description) == len(description.strip())
    assert second.line == 53


def test_missing_issue_type_means_a_plain_issue() -> None:
    (issue,) = parse("Summary,Issue id\nA,1\n")
    assert issue.issue_type is None
    assert not issue.is_epic and not issue.is_subtask


# --- errors --------------------------------------------------------------------------------


def test_broken_fixture_lists_every_bad_row_with_line_and_column() -> None:
    with pytest.raises(ImportFailed) as caught:
        list(iter_jira_csv(FIXTURES / "jira-broken.csv"))
    errors = caught.value.errors
    assert positions(caught.value) == [(5, 4), (6, 1), (9, 6), (10, 2), (11, 5)]
    assert errors[0].message.startswith('Created: "31/Foo/21 10:00" is not a date and time')
    assert errors[1].message == "Summary: needs a value"
    assert errors[2].message == 'Custom field (Story Points): "lots" is not a number'
    assert errors[3].message == "Issue id: 100 already appears on line 2"
    assert errors[4].message.startswith('Resolved: "2021-13-01 10:00"')
    assert caught.value.total == 5


def test_a_bad_date_reports_its_line_and_column() -> None:
    error = failure(HEADER + "\nA,K-1,Task,30/Sep/21 17:20,,,,,\nB,K-2,Task,32/Sep/21 17:20,,,,,\n")
    assert positions(error) == [(3, 4)]
    assert "Created" in error.errors[0].message


def test_an_hour_past_twelve_with_pm_is_refused() -> None:
    error = failure("Summary,Issue id,Created\nA,1,12/Jan/26 13:30 PM\n")
    assert positions(error) == [(2, 3)]


def test_missing_summary_column_is_refused_naming_it() -> None:
    error = failure("Issue key,Status\nK-1,Open\n")
    assert positions(error) == [(1, None)]
    assert '"Summary"' in error.errors[0].message


def test_missing_key_and_id_columns_are_refused() -> None:
    error = failure("Summary,Status\nA,Open\n")
    assert "Issue key" in error.errors[0].message


def test_an_empty_file_is_refused() -> None:
    assert positions(failure("")) == [(1, None)]


def test_a_record_with_too_few_fields_is_reported() -> None:
    error = failure("Summary,Issue id,Status\nA,1,Open\nB,2\n")
    assert positions(error) == [(3, None)]
    assert "2 fields but the header has 3" in error.errors[0].message


def test_an_unclosed_quote_is_reported_where_its_record_starts() -> None:
    error = failure('Summary,Issue id,Description\nA,1,ok\nB,2,"never closed\nmore\n')
    assert positions(error) == [(3, None)]
    assert "never closed" in error.errors[0].message


def test_a_file_that_is_not_utf8_is_reported_on_its_line() -> None:
    data = b"Summary,Issue id\nA,1\nCaf\xe9,2\n"  # a Latin-1 "é"
    with pytest.raises(ImportFailed) as caught:
        list(iter_jira_csv(io.BytesIO(data)))
    assert positions(caught.value) == [(3, None)]
    assert "UTF-8" in caught.value.errors[0].message


def test_no_issue_is_yielded_after_a_bad_row() -> None:
    text = "Summary,Issue id,Created\nA,1,nonsense\nB,2,30/Sep/21 17:20\n"
    seen: list[str] = []
    with pytest.raises(ImportFailed):
        for issue in iter_jira_csv(io.BytesIO(text.encode())):
            seen.append(issue.key)
    assert seen == []


def test_error_list_is_capped_but_counts_everything() -> None:
    rows = "".join(f"Row {n},{n},bad\n" for n in range(30))
    with pytest.raises(ImportFailed) as caught:
        list(iter_jira_csv(io.BytesIO(f"Summary,Issue id,Created\n{rows}".encode()), max_errors=10))
    assert len(caught.value.errors) == 10
    assert caught.value.total == 30
    assert "first 10 are listed" in caught.value.message


# --- planning ------------------------------------------------------------------------------


def test_plan_places_epics_stories_and_sub_tasks(quirky: list[JiraIssue]) -> None:
    plan = plan_jira(quirky)
    placements = {issue.key: plan.placement_of(issue) for issue in quirky}
    assert {key: (p.kind, p.feature_key) for key, p in placements.items()} == {
        "PAY-1": ("feature", "PAY-1"),
        "PAY-2": ("story", "PAY-1"),  # its epic is PAY-1
        "PAY-3": ("story", "PAY-1"),  # sub-task of PAY-2, which is in PAY-1
        "PAY-5": ("story", "PAY-4"),  # sub-task whose parent comes later in the file
        "PAY-4": ("feature", "PAY-4"),  # a bug with no epic
        "PAY-6": ("story", "PAY-7"),  # epic link to an epic further down
        "PAY-7": ("feature", "PAY-7"),
        "PAY-8": ("feature", "PAY-8"),  # parent not exported
    }
    assert (plan.feature_count, plan.story_count) == (4, 4)


def test_plan_notes_a_parent_missing_from_the_file(quirky: list[JiraIssue]) -> None:
    plan = plan_jira(quirky)
    assert plan.unresolved_parents == {"PAY-8": "99999"}
    assert [(note.line, note.message) for note in plan.notes] == [
        (13, "PAY-8: parent 99999 is not in this file; imported as a feature")
    ]


def test_records_carry_done_time_points_labels_and_components(quirky: list[JiraIssue]) -> None:
    plan = plan_jira(quirky)
    records = {issue.key: plan.record_for(issue) for issue in quirky}
    story = records["PAY-2"]
    assert story.kind == "story"
    assert story.source_key == "jira:PAY-2"
    assert story.feature_source_key == "jira:PAY-1"
    assert story.done_at == datetime(2022, 1, 12, 16, 30, tzinfo=UTC)
    assert story.status == "done"
    assert story.points == 3.0
    assert story.labels == ("ui", "forms")
    assert story.components == ("Web", "API")
    assert records["PAY-1"].status == "in_progress"
    assert records["PAY-6"].status == "in_progress"  # "In Review" counts as in progress
    assert records["PAY-7"].status == "idea"
    assert records["PAY-8"].status == "cancelled"  # resolved as Won't Do


def test_plan_survives_a_parent_loop() -> None:
    text = "Summary,Issue key,Parent id\nA,K-1,K-2\nB,K-2,K-1\n"
    plan = plan_jira(parse(text))
    kinds = sorted(plan.placement_of(issue).kind for issue in parse(text))
    assert kinds == ["feature", "story"]
    assert "loop" in plan.notes[0].message


def test_epic_with_a_parent_stays_a_feature() -> None:
    text = "Summary,Issue key,Issue Type,Parent\nInitiative,K-1,Initiative,\nEpic,K-2,Epic,K-1\n"
    issues = parse(text)
    plan = plan_jira(issues)
    assert [plan.placement_of(issue).kind for issue in issues] == ["feature", "feature"]


def test_a_long_summary_is_shortened_for_the_title_and_kept_in_the_description() -> None:
    summary = "x" * 250
    (issue,) = parse(f"Summary,Issue id,Description\n{summary},1,body\n")
    record = plan_jira([issue]).record_for(issue)
    assert len(record.title) == 200
    assert record.description == f"{summary}\n\nbody"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.one_of(st.none(), st.integers(0, 14))), min_size=1, max_size=15
    )
)
def test_every_story_points_at_an_issue_that_is_a_feature(
    shape: list[tuple[bool, int | None]],
) -> None:
    rows = [
        f"Issue {n},K-{n},{'Epic' if epic else 'Task'},{'' if parent is None else f'K-{parent}'}"
        for n, (epic, parent) in enumerate(shape)
    ]
    issues = parse("Summary,Issue key,Issue Type,Parent id\n" + "\n".join(rows) + "\n")
    plan = plan_jira(issues)
    for issue in issues:
        placement = plan.placement_of(issue)
        assert plan.feature_of[placement.feature_key] == placement.feature_key
        if issue.is_epic:
            assert placement.kind == "feature"


# --- the real Hadoop export ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hadoop() -> list[JiraIssue]:
    return list(iter_jira_csv(shared_data("hadoop-jira-bugs.csv")))


def test_hadoop_export_has_2503_issues_and_1733_resolved(hadoop: list[JiraIssue]) -> None:
    assert len(hadoop) == 2503
    assert sum(issue.resolved is not None for issue in hadoop) == 1733


def test_hadoop_export_uses_issue_id_as_key_and_has_no_types(hadoop: list[JiraIssue]) -> None:
    assert all(issue.key == issue.source_id for issue in hadoop)
    assert all(issue.issue_type is None for issue in hadoop)
    assert len({issue.key for issue in hadoop}) == 2503


def test_hadoop_export_dates_span_2020_to_2024(hadoop: list[JiraIssue]) -> None:
    created = [issue.created for issue in hadoop if issue.created is not None]
    assert len(created) == 2503
    assert min(created) >= datetime(2020, 1, 1, tzinfo=UTC)
    assert max(created) < datetime(2025, 1, 1, tzinfo=UTC)
    first = hadoop[0]
    assert first.key == "13404344"
    assert first.created == datetime(2021, 9, 30, 17, 20, tzinfo=UTC)
    assert first.resolved == datetime(2022, 7, 20, 20, 51, tzinfo=UTC)
    assert first.affects_versions == ("2.9.2",)


def test_hadoop_longest_description_survives_whole(hadoop: list[JiraIssue]) -> None:
    longest = max(hadoop, key=lambda issue: len(issue.description))
    assert len(longest.description) > 70_000
    assert "\r" not in longest.description


def test_hadoop_issues_all_become_features(hadoop: list[JiraIssue]) -> None:
    plan = plan_jira(hadoop)
    assert (plan.feature_count, plan.story_count) == (2503, 0)
    done = [plan.record_for(issue) for issue in hadoop if issue.resolved is not None]
    assert {record.status for record in done} <= {"done", "cancelled"}
