"""The GitHub issues parser: JSON arrays and JSON lines, pull requests, time zones, broken JSON."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.interchange import github
from headway.interchange.errors import ImportFailed
from headway.interchange.github import GitHubIssueReader, GitHubMilestone, iter_github_issues
from tests.shared_data import shared_data

FIXTURES = Path(__file__).parent / "fixtures"


def issue_object(number: int, **extra: object) -> dict[str, object]:
    return {
        "number": number,
        "title": f"Issue {number}",
        "body": "text",
        "state": "open",
        "created_at": "2024-01-01T00:00:00Z",
        "closed_at": None,
        "labels": [],
        "milestone": None,
        "html_url": f"https://github.com/acme/widgets/issues/{number}",
        **extra,
    }


def failure(data: bytes) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        list(iter_github_issues(io.BytesIO(data)))
    return caught.value


# --- a REST array -------------------------------------------------------------------------


def test_array_skips_pull_requests_and_counts_them() -> None:
    reader = GitHubIssueReader(FIXTURES / "github-issues.json")
    issues = list(reader)
    assert [issue.number for issue in issues] == [12, 14]
    assert reader.skipped_pull_requests == 1


def test_array_issue_fields_are_read() -> None:
    first, second = iter_github_issues(FIXTURES / "github-issues.json")
    assert first.line == 2
    assert first.title == "Dark mode for the dashboard"
    assert first.body == "Please add dark mode.\nOur team works at night."
    assert first.state == "closed"
    assert first.labels == ("enhancement", "ui")
    assert first.milestone == GitHubMilestone("v1.4", datetime(2024, 3, 31, 7, tzinfo=UTC))
    assert first.repository == "acme/widgets"
    assert first.source_key == "github:acme/widgets#12"
    assert second.body == ""
    assert second.milestone is None
    assert second.closed_at is None


def test_z_and_offset_time_zones_both_give_aware_utc() -> None:
    first, second = iter_github_issues(FIXTURES / "github-issues.json")
    assert first.created_at == datetime(2024, 1, 5, 9, 30, tzinfo=UTC)
    assert first.closed_at == datetime(2024, 3, 20, 16, 45, 10, tzinfo=UTC)
    assert second.created_at == datetime(2024, 4, 2, 21, 59, 59, tzinfo=UTC)  # from +02:00
    assert all(issue.created_at.tzinfo is UTC for issue in (first, second))


def test_repository_comes_from_html_url_when_repository_url_is_absent() -> None:
    data = json.dumps([issue_object(7)]).encode()
    (issue,) = iter_github_issues(io.BytesIO(data))
    assert issue.repository == "acme/widgets"


def test_labels_may_be_plain_strings() -> None:
    data = json.dumps([issue_object(7, labels=["bug", {"name": "ui"}])]).encode()
    (issue,) = iter_github_issues(io.BytesIO(data))
    assert issue.labels == ("bug", "ui")


def test_an_empty_array_holds_no_issues() -> None:
    assert list(iter_github_issues(io.BytesIO(b"  [ ]\n"))) == []


def test_elements_larger_than_a_chunk_stream_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github, "_CHUNK_BYTES", 64)
    objects = [issue_object(n, body="é" * (n * 37)) for n in range(1, 30)]
    data = json.dumps(objects, indent=2).encode()
    issues = list(iter_github_issues(io.BytesIO(data)))
    assert [issue.number for issue in issues] == list(range(1, 30))
    assert issues[5].body == "é" * (6 * 37)
    starts = [n + 1 for n, line in enumerate(data.decode().splitlines()) if line == "  {"]
    assert [issue.line for issue in issues] == starts


@settings(max_examples=40, deadline=None)
@given(chunk=st.integers(8, 300), count=st.integers(0, 8), indent=st.sampled_from([None, 1, 4]))
def test_array_parsing_does_not_depend_on_chunk_size(
    chunk: int, count: int, indent: int | None
) -> None:
    objects = [issue_object(n + 1, body="x\n" * n) for n in range(count)]
    data = json.dumps(objects, indent=indent).encode()
    original = github._CHUNK_BYTES
    github._CHUNK_BYTES = chunk
    try:
        issues = list(iter_github_issues(io.BytesIO(data)))
    finally:
        github._CHUNK_BYTES = original
    assert [issue.number for issue in issues] == [n + 1 for n in range(count)]


# --- broken input --------------------------------------------------------------------------


def test_broken_array_reports_line_and_column_of_the_syntax_error() -> None:
    data = b'[\n  {"number": 1, "title": "a",\n   "state": "open" "x": 1}\n]'
    error = failure(data)
    assert [(d.line, d.column) for d in error.errors] == [(3, 20)]
    assert "not valid JSON" in error.errors[0].message


def test_array_never_closed_is_reported() -> None:
    data = json.dumps([issue_object(1)]).encode()[:-1]
    assert "never closed" in failure(data).errors[0].message


def test_text_after_the_array_is_reported() -> None:
    data = json.dumps([issue_object(1)]).encode() + b"\n[]"
    error = failure(data)
    assert [(d.line, d.column) for d in error.errors] == [(2, 1)]


def test_broken_json_lines_are_all_reported_with_their_line_numbers() -> None:
    with pytest.raises(ImportFailed) as caught:
        list(iter_github_issues(FIXTURES / "github-broken.jsonl"))
    errors = caught.value.errors
    line_two = (FIXTURES / "github-broken.jsonl").read_text().splitlines()[1]
    assert [(d.line, d.column) for d in errors] == [(2, line_two.index('"body"') + 1), (4, None)]
    assert errors[0].message == "not valid JSON: Expecting ',' delimiter"
    assert errors[1].message.startswith('created_at: "2024-01-01T00:00:00" has no time zone')


def test_missing_title_is_reported_naming_the_field() -> None:
    data = (json.dumps(issue_object(1)) + "\n" + json.dumps(issue_object(2, title=""))).encode()
    error = failure(data)
    assert [(d.line, d.message) for d in error.errors] == [(2, "title: needs a value")]


def test_a_bad_state_is_reported() -> None:
    error = failure(json.dumps(issue_object(1, state="merged")).encode())
    assert error.errors[0].message == "state: expected open or closed, not 'merged'"


def test_the_same_issue_twice_is_reported() -> None:
    data = json.dumps([issue_object(1), issue_object(1)], indent=1).encode()
    error = failure(data)
    assert error.errors[0].message == "issue #1 already appears on line 2"


def test_an_empty_file_is_refused() -> None:
    assert failure(b"\n \n").errors[0].message == "the file is empty"


def test_a_non_object_element_is_reported() -> None:
    assert failure(b'[1, "two"]').errors[0].message == "expected an issue object"


# --- the real npm export -------------------------------------------------------------------


@pytest.fixture(scope="module")
def npm() -> list[github.GitHubIssue]:
    return list(iter_github_issues(shared_data("npm-github-closed-issues.jsonl")))


def test_npm_export_has_428_closed_issues(npm: list[github.GitHubIssue]) -> None:
    assert len(npm) == 428
    assert all(issue.state == "closed" and issue.closed_at is not None for issue in npm)
    assert [issue.line for issue in npm] == list(range(1, 429))


def test_npm_export_mixed_time_zones_all_become_utc(npm: list[github.GitHubIssue]) -> None:
    assert all(issue.created_at.tzinfo is UTC for issue in npm)
    first = npm[0]
    assert first.created_at == datetime(2018, 3, 9, 15, 33, 37, tzinfo=UTC)
    assert first.closed_at == datetime(2019, 4, 12, 3, 0, 37, tzinfo=UTC)
    assert first.repository == "jsx-eslint/eslint-plugin-react"
    assert first.labels == ("bug", "help wanted")


def test_npm_export_milestones_and_labels(npm: list[github.GitHubIssue]) -> None:
    assert sum(issue.milestone is not None for issue in npm) == 8
    assert sum(not issue.labels for issue in npm) == 428 - 179
    assert len({issue.source_key for issue in npm}) == 428


def test_npm_export_as_an_array_gives_the_same_issues(npm: list[github.GitHubIssue]) -> None:
    objects = [
        json.loads(line)
        for line in shared_data("npm-github-closed-issues.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    data = json.dumps(objects, indent=2).encode()
    from_array = list(iter_github_issues(io.BytesIO(data)))
    assert [(i.number, i.title, i.closed_at) for i in from_array] == [
        (i.number, i.title, i.closed_at) for i in npm
    ]
