"""Full-text search indexes for feedback and ideas, one per database vendor.

SQLite: FTS5 tables with external content (the rows live once, in the real tables), kept in sync
by triggers, so every write path — the ORM, bulk_create, raw SQL — updates the index.
PostgreSQL: GIN indexes on the very `to_tsvector('english', …)` expressions that
`headway.discovery.search` queries with, so the planner uses them. FTS5 keeps diacritics
(remove_diacritics 0) because PostgreSQL's English configuration does: both then agree.
"""

from django.db import migrations

SQLITE = [
    (
        """
        CREATE VIRTUAL TABLE discovery_feedback_fts USING fts5(
            text, content='discovery_feedback', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 0'
        )
        """,
        "DROP TABLE IF EXISTS discovery_feedback_fts",
    ),
    (
        """
        CREATE TRIGGER discovery_feedback_fts_insert AFTER INSERT ON discovery_feedback BEGIN
            INSERT INTO discovery_feedback_fts(rowid, text) VALUES (new.id, new.text);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_feedback_fts_insert",
    ),
    (
        """
        CREATE TRIGGER discovery_feedback_fts_delete AFTER DELETE ON discovery_feedback BEGIN
            INSERT INTO discovery_feedback_fts(discovery_feedback_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_feedback_fts_delete",
    ),
    (
        """
        CREATE TRIGGER discovery_feedback_fts_update AFTER UPDATE OF text ON discovery_feedback
        BEGIN
            INSERT INTO discovery_feedback_fts(discovery_feedback_fts, rowid, text)
            VALUES ('delete', old.id, old.text);
            INSERT INTO discovery_feedback_fts(rowid, text) VALUES (new.id, new.text);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_feedback_fts_update",
    ),
    (
        "INSERT INTO discovery_feedback_fts(discovery_feedback_fts) VALUES ('rebuild')",
        "",
    ),
    (
        """
        CREATE VIRTUAL TABLE discovery_idea_fts USING fts5(
            title, description, content='discovery_idea', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 0'
        )
        """,
        "DROP TABLE IF EXISTS discovery_idea_fts",
    ),
    (
        """
        CREATE TRIGGER discovery_idea_fts_insert AFTER INSERT ON discovery_idea BEGIN
            INSERT INTO discovery_idea_fts(rowid, title, description)
            VALUES (new.id, new.title, new.description);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_idea_fts_insert",
    ),
    (
        """
        CREATE TRIGGER discovery_idea_fts_delete AFTER DELETE ON discovery_idea BEGIN
            INSERT INTO discovery_idea_fts(discovery_idea_fts, rowid, title, description)
            VALUES ('delete', old.id, old.title, old.description);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_idea_fts_delete",
    ),
    (
        """
        CREATE TRIGGER discovery_idea_fts_update AFTER UPDATE OF title, description
        ON discovery_idea BEGIN
            INSERT INTO discovery_idea_fts(discovery_idea_fts, rowid, title, description)
            VALUES ('delete', old.id, old.title, old.description);
            INSERT INTO discovery_idea_fts(rowid, title, description)
            VALUES (new.id, new.title, new.description);
        END
        """,
        "DROP TRIGGER IF EXISTS discovery_idea_fts_update",
    ),
    ("INSERT INTO discovery_idea_fts(discovery_idea_fts) VALUES ('rebuild')", ""),
]

POSTGRESQL = [
    (
        "CREATE INDEX discovery_feedback_search ON discovery_feedback "
        "USING gin (to_tsvector('english'::regconfig, text))",
        "DROP INDEX IF EXISTS discovery_feedback_search",
    ),
    (
        "CREATE INDEX discovery_idea_search ON discovery_idea "
        "USING gin (to_tsvector('english'::regconfig, title || ' ' || description))",
        "DROP INDEX IF EXISTS discovery_idea_search",
    ),
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def forwards(apps, schema_editor):
    for sql, _ in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for _, sql in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        if sql:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_evidence_versions_and_followers")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
