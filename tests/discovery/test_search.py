"""Full-text search: one interface, the same answers on SQLite (FTS5) and PostgreSQL (GIN).

The suite runs on both databases; every expected result below is written once, so both
databases must return exactly these rows for these queries.
"""

from __future__ import annotations

import pytest
from django.db import connection

from headway.discovery import search
from headway.discovery.models import Feedback, Idea
from tests.conftest import World

CORPUS = [
    "Export dashboards to PowerPoint for the board",
    "Our board wants slides; exporting is painful today",
    "Dark mode for the dashboard, please",
    "Scheduled reports by e-mail every Monday",
    "The query editor times out on large tables",
    "Alerts when revenue drops overnight",
    "Alerting rules should be configured generously",
    "Connections to Snowflake keep dropping",
    "Café owners want a simpler menu",
    "Nothing to do with anything else",
]

QUERIES = {
    "export": [0, 1],
    "exports": [0, 1],
    "EXPORTING": [0, 1],
    "dashboards": [0, 2],
    "dash": [0, 2],
    "export dash": [0],
    "board": [0, 1],
    "alert": [5, 6],
    "alerts revenue": [5],
    "connect": [7],
    "connection": [7],
    "drop": [5, 7],
    "mail": [3],
    # PostgreSQL's English configuration keeps accents, so FTS5 is told to keep them too.
    "cafe": [],
    "café": [8],
    "large tables": [4],
    "tables large": [4],
    "the board": [0, 1],
    "powerpoint slides": [],
    "zebra": [],
    '"export" OR *': [0, 1],
    "export) AND (NOT": [0, 1],
}


@pytest.fixture
def corpus(world: World) -> list[Feedback]:
    return [Feedback.objects.create(product=world.product, text=text) for text in CORPUS]


@pytest.mark.parametrize(("q", "expected"), list(QUERIES.items()))
def test_both_databases_find_the_same_feedback(
    corpus: list[Feedback], q: str, expected: list[int]
) -> None:
    found = search.matching(Feedback.objects.all(), q).order_by("id")
    assert list(found.values_list("id", flat=True)) == [corpus[i].pk for i in expected]


def test_blank_query_changes_nothing(corpus: list[Feedback]) -> None:
    assert search.matching(Feedback.objects.all(), "  ").count() == len(CORPUS)
    assert search.matching(Feedback.objects.all(), None).count() == len(CORPUS)


def test_stop_words_and_punctuation_alone_match_nothing(corpus: list[Feedback]) -> None:
    assert not search.matching(Feedback.objects.all(), "the and with").exists()
    assert not search.matching(Feedback.objects.all(), "?!,;").exists()


def test_ideas_are_searched_by_title_and_description(world: World) -> None:
    titled = Idea.objects.create(product=world.product, title="Export to PowerPoint")
    described = Idea.objects.create(
        product=world.product, title="Slides", description="exports for the board"
    )
    Idea.objects.create(product=world.product, title="Dark mode")
    found = search.matching(Idea.objects.all(), "exports").order_by("id")
    assert list(found) == [titled, described]


def test_the_index_follows_edits_and_deletes(world: World) -> None:
    feedback = Feedback.objects.create(product=world.product, text="slow exports")
    idea = Idea.objects.create(product=world.product, title="Slow exports")
    feedback.text = "fast imports"
    feedback.save()
    idea.description = "imports too"
    idea.save()
    assert not search.matching(Feedback.objects.all(), "exports").exists()
    assert search.matching(Feedback.objects.all(), "imports").get() == feedback
    assert search.matching(Idea.objects.all(), "imports").get() == idea
    feedback.delete()
    idea.delete()
    assert not search.matching(Feedback.objects.all(), "imports").exists()
    assert not search.matching(Idea.objects.all(), "imports").exists()


def test_bulk_created_rows_are_searchable(world: World) -> None:
    Feedback.objects.bulk_create(
        [Feedback(product=world.product, text=f"bulk row {i} about sso") for i in range(50)]
    )
    assert search.matching(Feedback.objects.all(), "sso").count() == 50


def test_a_join_with_another_title_column_stays_unambiguous(world: World) -> None:
    from headway.planning.models import Feature

    feature = Feature.objects.create(product=world.product, title="Exports")
    Idea.objects.create(product=world.product, title="Export", feature=feature)
    found = search.matching(Idea.objects.select_related("feature"), "export")
    assert found.get().feature == feature


def test_search_is_answered_from_the_index(corpus: list[Feedback]) -> None:
    queryset = search.matching(Feedback.objects.all(), "export")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Tiny tables are cheaper to scan; forbid that to see whether the index *matches*.
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "discovery_feedback_fts VIRTUAL TABLE INDEX" in plan
    else:
        assert "discovery_feedback_search" in plan


def _plan(queryset: object, count: bool = False) -> str:
    query = queryset.query.clone()  # type: ignore[attr-defined]
    if count:
        query.clear_ordering(force=True)
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        return " ".join(str(row) for row in cursor.fetchall())


def test_a_search_page_reads_the_recency_index_and_a_count_the_matches(
    world: World, corpus: list[Feedback]
) -> None:
    from headway.discovery.services import feedback_of

    page = feedback_of(world.product, q="export")
    if connection.vendor == "sqlite":
        # The page walks newest-first and stops after a page; the count starts from the matches.
        assert "USING INDEX feedback_recent" in _plan(page)
        assert "TEMP B-TREE FOR ORDER BY" not in _plan(page)
        assert "USING INTEGER PRIMARY KEY" in _plan(page, count=True)
    # Both plans find the same rows (PostgreSQL has one plan, checked by the test above).
    assert page.count() == len(list(page)) == 2


def test_query_words_become_terms_with_a_prefix_for_the_last() -> None:
    assert search.terms("The Exports, of DASH") == search.Terms(("exports", "dash"), True)
    assert search.terms("go ux").prefix is False
    assert not search.terms("the of and")
