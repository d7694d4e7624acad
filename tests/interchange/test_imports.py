"""Imports written to the database: real exports, broken files, re-imports, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from headway.interchange import services
from headway.interchange.models import ImportJob, ImportKind, ImportStatus
from headway.planning.models import Feature, FeatureStatus, Story
from headway.products.models import Component
from headway.releases.models import Release
from tests.conftest import World
from tests.interchange.conftest import FIXTURES, HADOOP, NPM


def run(world: World, kind: str, path: Path, mapping: Any = None, **options: Any) -> ImportJob:
    """Start an import as the product manager; the immediate backend runs it at once."""
    with path.open("rb") as source:
        job = services.start_import(
            world.product,
            world.pm,
            kind=kind,
            chunks=iter(lambda: source.read(65536), b""),
            file_name=path.name,
            mapping=mapping,
            **options,
        )
    job.refresh_from_db()
    return job


def features(world: World) -> Any:
    return Feature.objects.filter(product=world.product)


# --- the real Hadoop Jira export ------------------------------------------------------------


@pytest.fixture
def hadoop(world: World) -> ImportJob:
    return run(world, ImportKind.JIRA_CSV, HADOOP)


def test_hadoop_export_becomes_2503_features(world: World, hadoop: ImportJob) -> None:
    assert hadoop.status == ImportStatus.DONE, hadoop.errors
    assert features(world).count() == 2503
    assert Story.objects.filter(feature__product=world.product).count() == 0
    assert hadoop.counts["features"] == {"created": 2503, "updated": 0, "unchanged": 0}


def test_hadoop_resolved_issues_are_done_at_their_resolved_time(
    world: World, hadoop: ImportJob
) -> None:
    assert features(world).exclude(done_at=None).count() == 1733
    first = features(world).get(source_key="jira:13404344")
    assert first.title == "JAR in conflict with timestamp check causes AM errors"
    assert first.done_at == datetime(2022, 7, 20, 20, 51, tzinfo=UTC)
    assert first.created == datetime(2021, 9, 30, 17, 20, tzinfo=UTC)
    # Resolved as a duplicate: done, but not delivered.
    assert first.status == FeatureStatus.CANCELLED


def test_hadoop_multi_line_description_is_kept_whole(world: World, hadoop: ImportJob) -> None:
    first = features(world).get(source_key="jira:13404344")
    assert first.description.startswith("After an init action pulls down a new JAR")
    assert "FSDownload.java#L255-L258" in first.description
    assert "\r" not in first.description


def test_reimporting_the_same_export_changes_nothing(world: World, hadoop: ImportJob) -> None:
    versions = dict(features(world).values_list("id", "version"))
    again = run(world, ImportKind.JIRA_CSV, HADOOP)
    assert again.status == ImportStatus.DONE
    assert again.counts["features"] == {"created": 0, "updated": 0, "unchanged": 2503}
    assert features(world).count() == 2503
    assert dict(features(world).values_list("id", "version")) == versions


# --- the quirky hand-made Jira export ----------------------------------------------------------


@pytest.fixture
def quirky(world: World) -> ImportJob:
    return run(world, ImportKind.JIRA_CSV, FIXTURES / "jira-quirky.csv")


def test_epics_become_features_and_their_issues_stories(world: World, quirky: ImportJob) -> None:
    assert quirky.status == ImportStatus.DONE, quirky.errors
    assert sorted(features(world).values_list("source_key", flat=True)) == [
        "jira:PAY-1",
        "jira:PAY-4",
        "jira:PAY-7",
        "jira:PAY-8",
    ]
    stories = dict(
        Story.objects.filter(feature__product=world.product).values_list(
            "source_key", "feature__source_key"
        )
    )
    assert stories == {
        "jira:PAY-2": "jira:PAY-1",  # its epic link
        "jira:PAY-3": "jira:PAY-1",  # a sub-task of PAY-2, so of PAY-2's feature
        "jira:PAY-5": "jira:PAY-4",  # a sub-task listed before its parent
        "jira:PAY-6": "jira:PAY-7",  # an epic listed after its story
    }
    assert [note["line"] for note in quirky.notes] == [13]


def test_story_points_status_and_done_time_carry_over(world: World, quirky: ImportJob) -> None:
    story = Story.objects.get(source_key="jira:PAY-2")
    assert story.points == 3
    assert story.status == "done"
    assert story.done_at == datetime(2022, 1, 12, 16, 30, tzinfo=UTC)
    assert Feature.objects.get(source_key="jira:PAY-4").points == 2.5
    assert Feature.objects.get(source_key="jira:PAY-1").status == FeatureStatus.IN_PROGRESS


def test_labels_and_components_are_kept_on_features(world: World, quirky: ImportJob) -> None:
    epic = Feature.objects.get(source_key="jira:PAY-1")
    # The epic's own label, then those of its story.
    assert epic.labels == ["payments", "ui", "forms"]
    assert sorted(epic.components.values_list("name", flat=True)) == ["API", "Web"]
    assert sorted(
        Component.objects.filter(product=world.product).values_list("name", flat=True)
    ) == [
        "API",
        "Web",
    ]


def test_fix_versions_become_releases(world: World, quirky: ImportJob) -> None:
    release = Release.objects.get(product=world.product, name="2.0")
    assert Feature.objects.get(source_key="jira:PAY-1").release == release
    assert Story.objects.get(source_key="jira:PAY-2").release == release


def test_reimport_updates_a_changed_issue_and_bumps_its_version(
    world: World, quirky: ImportJob, tmp_path: Path
) -> None:
    text = (FIXTURES / "jira-quirky.csv").read_text(encoding="utf-8-sig")
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("Totals round wrongly", "Totals round badly"))
    before = Feature.objects.get(source_key="jira:PAY-4")
    job = run(world, ImportKind.JIRA_CSV, changed)
    after = Feature.objects.get(source_key="jira:PAY-4")
    assert job.counts["features"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert job.counts["stories"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert after.pk == before.pk
    assert after.title == "Totals round badly"
    assert after.version == before.version + 1
    assert features(world).count() == 4


# --- broken files change nothing ---------------------------------------------------------------


def test_broken_jira_file_lists_every_bad_row_and_writes_nothing(world: World) -> None:
    job = run(world, ImportKind.JIRA_CSV, FIXTURES / "jira-broken.csv")
    assert job.status == ImportStatus.FAILED
    assert [(error["line"], error["column"]) for error in job.errors] == [
        (5, 4),
        (6, 1),
        (9, 6),
        (10, 2),
        (11, 5),
    ]
    assert job.error_count == 5
    assert features(world).count() == 0
    assert not Release.objects.filter(product=world.product).exists()


def test_broken_github_file_lists_line_accurate_errors_and_writes_nothing(world: World) -> None:
    job = run(world, ImportKind.GITHUB_JSON, FIXTURES / "github-broken.jsonl")
    assert job.status == ImportStatus.FAILED
    assert [error["line"] for error in job.errors] == [2, 4]
    assert features(world).count() == 0


def test_a_bad_last_row_refuses_a_file_whose_other_rows_are_fine(
    world: World, tmp_path: Path
) -> None:
    good = "".join(f"Issue {n},{n},30/Sep/21 17:20\n" for n in range(1, 1200))
    path = tmp_path / "late-error.csv"
    path.write_text("Summary,Issue id,Created\n" + good + "Last,9999,yesterday\n")
    job = run(world, ImportKind.JIRA_CSV, path)
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {
            "line": 1201,
            "column": 3,
            "message": 'Created: "yesterday" is not a date and time like 30/Sep/21 17:20, '
            "12/Jan/26 9:30 AM or 2021-09-30 17:20",
        }
    ]
    assert features(world).count() == 0


def test_a_crash_while_writing_leaves_nothing_behind(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("headway.interchange.loader.link_components", explode)
    job = run(world, ImportKind.JIRA_CSV, FIXTURES / "jira-quirky.csv")
    assert job.status == ImportStatus.FAILED
    assert "disk on fire" in job.errors[0]["message"]
    assert job.attempts == 3
    assert features(world).count() == 0
    assert not Story.objects.exists()
    assert not Release.objects.filter(product=world.product).exists()


def test_the_stored_file_is_deleted_once_the_job_is_done(world: World, quirky: ImportJob) -> None:
    assert quirky.file_path == ""
    assert list((Path(services.imports_dir())).glob("*.csv")) == []


# --- GitHub -----------------------------------------------------------------------------------


@pytest.fixture
def npm(world: World) -> ImportJob:
    return run(world, ImportKind.GITHUB_JSON, NPM)


def test_npm_issues_become_428_done_features_at_their_closed_time(
    world: World, npm: ImportJob
) -> None:
    assert npm.status == ImportStatus.DONE, npm.errors
    assert features(world).count() == 428
    assert features(world).filter(status=FeatureStatus.DONE).count() == 428
    first = features(world).get(source_key="github:jsx-eslint/eslint-plugin-react#1717")
    assert first.title == "Spaces get condensed by --fix when they are alone in a <span>"
    assert first.created == datetime(2018, 3, 9, 15, 33, 37, tzinfo=UTC)
    assert first.done_at == datetime(2019, 4, 12, 3, 0, 37, tzinfo=UTC)
    assert "\r" not in first.description


def test_npm_reimport_updates_instead_of_duplicating(world: World, npm: ImportJob) -> None:
    again = run(world, ImportKind.GITHUB_JSON, NPM)
    assert again.counts["features"]["unchanged"] == 428
    assert features(world).count() == 428


def test_github_array_skips_pull_requests_and_makes_milestones_releases(world: World) -> None:
    job = run(world, ImportKind.GITHUB_JSON, FIXTURES / "github-issues.json")
    assert job.status == ImportStatus.DONE, job.errors
    assert job.counts["pull_requests_skipped"] == 1
    with_milestone = features(world).exclude(release=None)
    assert with_milestone.exists()
    assert all(feature.release.product_id == world.product.pk for feature in with_milestone)
    labelled = features(world).exclude(labels=[]).first()
    assert labelled is not None and labelled.labels


def test_records_created_after_an_import_get_fresh_ids(world: World, quirky: ImportJob) -> None:
    imported = max(features(world).values_list("id", flat=True))
    feature = Feature.objects.create(product=world.product, title="Made by hand")
    story = Story.objects.create(feature=feature, title="Also by hand")
    assert feature.pk > imported
    assert story.pk > max(
        Story.objects.exclude(pk=story.pk).values_list("id", flat=True), default=0
    )
