"""Generic CSV import through a column mapping, and the shared CSV reading and value parsers."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.interchange.csvmap import (
    check_mapping,
    iter_csv_records,
    iter_mapped_csv,
    parse_date_text,
    parse_datetime_text,
    parse_number_text,
)
from headway.interchange.errors import ErrorCollector, ImportFailed, MappingInvalid

FIXTURES = Path(__file__).parent / "fixtures"

FEEDBACK_MAPPING = {
    "text": "What they said",
    "source": "Channel",
    "customer_name": "Customer",
    "customer_company": "Company",
    "customer_revenue": "ARR",
    "importance": "How important",
    "received_at": "When",
}


def mapped(
    text: str, kind: str, mapping: dict[str, str], delimiter: str | None = None
) -> list[dict[str, object]]:
    rows = iter_mapped_csv(io.BytesIO(text.encode()), kind, mapping, delimiter=delimiter)
    return [dict(row.values) for row in rows]


def failure(text: str, kind: str, mapping: dict[str, str]) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        mapped(text, kind, mapping)
    return caught.value


# --- the fixture: semicolons, BOM, CRLF, a multi-line cell ---------------------------------


def test_feedback_fixture_is_read_with_its_delimiter_sniffed() -> None:
    rows = list(iter_mapped_csv(FIXTURES / "feedback-semicolon.csv", "feedback", FEEDBACK_MAPPING))
    assert [row.line for row in rows] == [2, 3, 5]
    first, second, third = (row.values for row in rows)
    assert first["text"] == "Exports to Excel would save us an hour a week"
    assert first["source"] == "sales_call"
    assert first["importance"] == "critical"
    assert first["customer_revenue"] == 120000.0
    assert first["received_at"] == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert second["text"] == "The roadmap page is slow;\nvery slow on Mondays"
    assert second["source"] == "support_ticket"
    assert second["customer_company"] is None
    assert second["received_at"] == datetime(2021, 9, 30, 17, 20, tzinfo=UTC)
    assert third["received_at"] is None


# --- mapping checks ------------------------------------------------------------------------


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(MappingInvalid) as caught:
        check_mapping("bugs", {"title": "Title"})
    assert caught.value.field == "kind"


def test_an_unknown_target_field_is_refused_naming_it() -> None:
    with pytest.raises(MappingInvalid) as caught:
        check_mapping("ideas", {"title": "Title", "votez": "Votes"})
    assert caught.value.field == "mapping.votez"


def test_an_unmapped_required_field_is_refused() -> None:
    with pytest.raises(MappingInvalid) as caught:
        check_mapping("feedback", {"source": "Channel"})
    assert caught.value.field == "mapping.text"


def test_a_story_needs_a_title_or_i_want_mapped() -> None:
    with pytest.raises(MappingInvalid) as caught:
        check_mapping("stories", {"feature": "Epic"})
    assert caught.value.field == "mapping.title"
    assert check_mapping("stories", {"feature": "Epic", "i_want": "Want"})


def test_a_mapped_header_missing_from_the_file_is_reported_on_line_1() -> None:
    error = failure("Title,Votes\nA,1\n", "ideas", {"title": "Title", "votes": "Vote count"})
    assert [(d.line, d.column) for d in error.errors] == [(1, None)]
    assert '"Vote count" (mapped to votes) is not in the header' in error.errors[0].message


# --- values --------------------------------------------------------------------------------


def test_header_names_match_case_and_spacing_insensitively() -> None:
    rows = mapped("  TITLE ,votes\nA,3\n", "ideas", {"title": "Title", "votes": "Votes"})
    assert rows == [{"title": "A", "votes": 3}]


def test_every_bad_value_is_listed_with_line_column_and_expectation() -> None:
    text = (
        "Title,Votes,Status,Created\n"
        "Good,1,new,2024-01-01\n"
        "Bad votes,many,new,2024-01-01\n"
        '"Multi\nline",2,maybe,2024-01-01\n'
        ",3,new,yesterday\n"
    )
    mapping = {"title": "Title", "votes": "Votes", "status": "Status", "created_at": "Created"}
    error = failure(text, "ideas", mapping)
    assert [(d.line, d.column) for d in error.errors] == [(3, 2), (4, 3), (6, 1), (6, 4)]
    messages = [d.message for d in error.errors]
    assert messages[0] == 'column "Votes" (votes): "many" is not valid; expected a whole number'
    assert messages[1].startswith(
        'column "Status" (status): "maybe" is not valid; expected one of new,'
    )
    assert messages[2] == 'column "Title" (title) needs a value'
    assert "expected a date and time like 30/Sep/21 17:20" in messages[3]


def test_choices_accept_labels_as_people_write_them() -> None:
    rows = mapped(
        "Title,Status\nA,Under review\nB,IN-PROGRESS\n",
        "ideas",
        {"title": "Title", "status": "Status"},
    )
    assert [row["status"] for row in rows] == ["under_review", "in_progress"]


def test_moscow_accepts_wont_with_an_apostrophe() -> None:
    rows = mapped("Title,M\nA,Won't\n", "features", {"title": "Title", "moscow": "M"})
    assert rows[0]["moscow"] == "wont"


def test_list_fields_split_cells_and_join_repeated_columns() -> None:
    rows = mapped(
        'Title,Tags,Tags\nA,"ui, api",mobile\nB,,\n',
        "features",
        {"title": "Title", "labels": "Tags"},
    )
    assert [row["labels"] for row in rows] == [("ui", "api", "mobile"), None]


def test_dates_and_numbers_in_features() -> None:
    rows = mapped(
        "Title,Pts,Start,End\nA,2.5,2024-02-01,30/Sep/24\n",
        "features",
        {"title": "Title", "points": "Pts", "start_date": "Start", "end_date": "End"},
    )
    assert rows == [
        {"title": "A", "points": 2.5, "start_date": date(2024, 2, 1), "end_date": date(2024, 9, 30)}
    ]


def test_a_story_row_without_title_or_i_want_is_reported() -> None:
    text = "Feature,Title,Want\nF,,\nF,,to sleep\n"
    error = failure(text, "stories", {"feature": "Feature", "title": "Title", "i_want": "Want"})
    assert [(d.line, d.column) for d in error.errors] == [(2, None)]


def test_an_explicit_delimiter_is_respected() -> None:
    rows = mapped(
        "Title|Votes\nA|4\n", "ideas", {"title": "Title", "votes": "Votes"}, delimiter="|"
    )
    assert rows == [{"title": "A", "votes": 4}]


def test_an_empty_csv_is_refused() -> None:
    error = failure("", "ideas", {"title": "Title"})
    assert "empty" in error.errors[0].message


# --- shared reading layer ------------------------------------------------------------------


def test_records_know_their_starting_physical_line_across_blank_and_multi_line_rows() -> None:
    text = 'a,b\n\n1,"x\ny\nz"\n2,w\n\n\n3,v\n'
    errors = ErrorCollector()
    records = list(iter_csv_records(io.BytesIO(text.encode()), errors))
    assert [line for line, _ in records] == [1, 3, 6, 9]
    assert not errors


def test_a_lone_quote_inside_a_quoted_field_is_broken_quoting() -> None:
    errors = ErrorCollector()
    list(iter_csv_records(io.BytesIO(b'a,b\n1,"x"y\n2,z\n'), errors))
    assert errors.failure().errors[0].line == 2
    assert "broken quoting" in errors.failure().errors[0].message


# --- value parsers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/Sep/21 17:20", datetime(2021, 9, 30, 17, 20, tzinfo=UTC)),
        ("12/Jan/26 9:30 AM", datetime(2026, 1, 12, 9, 30, tzinfo=UTC)),
        ("12/jan/26 9:30 pm", datetime(2026, 1, 12, 21, 30, tzinfo=UTC)),
        ("12/Jan/26 12:05 AM", datetime(2026, 1, 12, 0, 5, tzinfo=UTC)),
        ("30/Sep/2021 17:20:05", datetime(2021, 9, 30, 17, 20, 5, tzinfo=UTC)),
        ("30/Sep/21", datetime(2021, 9, 30, tzinfo=UTC)),
        ("01/Jan/70 00:00", datetime(1970, 1, 1, tzinfo=UTC)),
        ("2021-09-30 17:20", datetime(2021, 9, 30, 17, 20, tzinfo=UTC)),
        ("2021-09-30T17:20:00Z", datetime(2021, 9, 30, 17, 20, tzinfo=UTC)),
        ("2021-09-30T19:20:00+02:00", datetime(2021, 9, 30, 17, 20, tzinfo=UTC)),
    ],
)
def test_datetime_formats(text: str, expected: datetime) -> None:
    assert parse_datetime_text(text) == expected


@pytest.mark.parametrize(
    "text", ["31/Feb/21 10:00", "30/Foo/21 10:00", "30/Sep/21 25:00", "0/Jan/21", "yesterday", ""]
)
def test_impossible_datetimes_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime_text(text)


def test_dates_refuse_a_time_part() -> None:
    assert parse_date_text("30/Sep/21") == date(2021, 9, 30)
    with pytest.raises(ValueError):
        parse_date_text("30/Sep/21 10:00")


@pytest.mark.parametrize("text", ["nan", "inf", "1.2.3", "1,2,3", ""])
def test_numbers_must_be_finite_and_plain(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number_text(text)


@settings(max_examples=150)
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2068, 12, 31)))
def test_jira_format_round_trips_to_the_minute(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    for text in (moment.strftime("%d/%b/%y %H:%M"), moment.strftime("%d/%b/%y %I:%M %p")):
        assert parse_datetime_text(text) == moment.replace(tzinfo=UTC)
