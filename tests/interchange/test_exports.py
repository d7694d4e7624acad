"""Exports: CSV and XLSX of features, stories, ideas and feedback, a product as JSON, the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea
from headway.planning.models import Feature, Story
from headway.products.models import Component
from headway.releases.models import Release
from tests.conftest import Api, World
from tests.interchange.conftest import FIXTURES


def csv_rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def backlog(world: World) -> list[Feature]:
    release = Release.objects.create(product=world.product, name="2.0")
    web = Component.objects.create(product=world.product, name="Web")
    made = []
    for number, (title, status, kind) in enumerate(
        [
            ("Dark mode", "planned", "customer_feature"),
            ("Faster search", "in_progress", "enhancement"),
            ("=HYPERLINK(evil)", "done", "tech_debt"),
        ]
    ):
        feature = Feature.objects.create(
            product=world.product,
            title=title,
            status=status,
            kind=kind,
            release=release,
            labels=["ui", f"n{number}"],
        )
        feature.components.add(web)
        Story.objects.create(feature=feature, title=f"Story of {title}", status="todo")
        made.append(feature)
    Feature.objects.create(product=world.other_product, title="Secret plan")
    return made


def test_features_export_as_csv_with_their_relations(
    viewer_api: Api, world: World, backlog: list[Feature]
) -> None:
    response = viewer_api.get(f"/products/{world.product.pk}/features/export?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rocket-features.csv"'
    rows = csv_rows(response)
    assert [row["title"] for row in rows] == ["Dark mode", "Faster search", "'=HYPERLINK(evil)"]
    assert rows[0]["release"] == "2.0"
    assert rows[0]["components"] == "Web"
    assert rows[0]["labels"] == "ui, n0"


def test_export_honours_q_status_and_kind(
    viewer_api: Api, world: World, backlog: list[Feature]
) -> None:
    base = f"/products/{world.product.pk}/features/export?format=csv"
    assert [r["title"] for r in csv_rows(viewer_api.get(base + "&q=dark"))] == ["Dark mode"]
    assert [r["title"] for r in csv_rows(viewer_api.get(base + "&status=in_progress"))] == [
        "Faster search"
    ]
    assert [r["title"] for r in csv_rows(viewer_api.get(base + "&kind=tech_debt"))] == [
        "'=HYPERLINK(evil)"
    ]
    both = csv_rows(viewer_api.get(base + "&status=planned&status=done"))
    assert len(both) == 2


def test_features_export_as_xlsx_keeps_formulas_as_text(
    viewer_api: Api, world: World, backlog: list[Feature]
) -> None:
    response = viewer_api.get(f"/products/{world.product.pk}/features/export?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("id", "title")
    assert [row[1] for row in rows[1:]] == ["Dark mode", "Faster search", "=HYPERLINK(evil)"]
    assert sheet.cell(row=4, column=2).data_type == "s"


def test_stories_ideas_and_feedback_export(
    viewer_api: Api, world: World, backlog: list[Feature]
) -> None:
    idea = Idea.objects.create(product=world.product, title="Offline mode", vote_count=4)
    customer = Customer.objects.create(workspace=world.workspace, name="Ada", company="Initech")
    feedback = Feedback.objects.create(
        product=world.product, text="Need offline", customer=customer, source="sales_call"
    )
    FeedbackLink.objects.create(feedback=feedback, idea=idea)
    stories = csv_rows(viewer_api.get(f"/products/{world.product.pk}/stories/export"))
    assert [row["feature"] for row in stories] == [
        "Dark mode",
        "Faster search",
        "'=HYPERLINK(evil)",
    ]
    ideas = csv_rows(viewer_api.get(f"/products/{world.product.pk}/ideas/export"))
    assert ideas[0]["votes"] == "4"
    rows = csv_rows(
        viewer_api.get(f"/products/{world.product.pk}/feedback/export?source=sales_call")
    )
    assert rows[0]["company"] == "Initech"
    assert rows[0]["ideas"] == "Offline mode"
    assert (
        csv_rows(viewer_api.get(f"/products/{world.product.pk}/feedback/export?source=survey"))
        == []
    )


def test_unknown_export_format_is_422(viewer_api: Api, world: World) -> None:
    response = viewer_api.get(f"/products/{world.product.pk}/features/export?format=pdf")
    assert response.status_code == 422


def test_outsider_cannot_export(outsider_api: Api, world: World, backlog: list[Feature]) -> None:
    for what in ("features", "stories", "ideas", "feedback"):
        assert outsider_api.get(f"/products/{world.product.pk}/{what}/export").status_code == 404
    assert outsider_api.get(f"/products/{world.product.pk}/export").status_code == 404


def test_feature_export_queries_do_not_grow(viewer_api: Api, world: World) -> None:
    web = Component.objects.create(product=world.product, name="Web")
    release = Release.objects.create(product=world.product, name="1.0")
    url = f"/products/{world.product.pk}/features/export"
    counts = []
    for rows in (3, 30):
        for number in range(rows - Feature.objects.count()):
            feature = Feature.objects.create(
                product=world.product, title=f"F{number}", release=release
            )
            feature.components.add(web)
        csv_rows(viewer_api.get(url))
        with CaptureQueriesContext(connection) as queries:
            assert len(csv_rows(viewer_api.get(url))) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_whole_product_exports_as_one_json_document(
    viewer_api: Api, world: World, backlog: list[Feature]
) -> None:
    response = viewer_api.get(f"/products/{world.product.pk}/export?format=json")
    assert response.status_code == 200
    document = json.loads(b"".join(response.streaming_content))
    assert document["format"] == "headway-product"
    assert document["product"]["name"] == "Rocket"
    records = document["records"]
    assert [f["title"] for f in records["planning.feature"]] == [f.title for f in backlog]
    assert len(records["planning.story"]) == 3
    assert len(records["planning.feature_components"]) == 3
    assert records["releases.release"][0]["name"] == "2.0"
    assert "Secret plan" not in json.dumps(document)


# --- the command line -------------------------------------------------------------------------


def test_headway_export_writes_csv_xlsx_and_json(
    world: World, backlog: list[Feature], tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("export", "--product", str(world.product.pk), "--what", "features", stdout=out)
    assert "Dark mode" in out.getvalue()
    path = tmp_path / "stories.xlsx"
    call_command(
        "export", "--product", str(world.product.pk), "--format", "xlsx", "--what", "stories",
        "--output", str(path),
    )  # fmt: skip
    assert load_workbook(path).active.max_row == 4
    path = tmp_path / "product.json"
    call_command(
        "export", "--product", str(world.product.pk), "--format", "json", "--output", str(path)
    )
    assert json.loads(path.read_text())["product"]["id"] == world.product.pk


def test_headway_import_prints_counts(world: World) -> None:
    out = io.StringIO()
    call_command(
        "import", "jira_csv", str(FIXTURES / "jira-quirky.csv"), "--product", str(world.product.pk),
        stdout=out,
    )  # fmt: skip
    assert "features 4 created" in out.getvalue()
    assert "stories 4 created" in out.getvalue()
    assert "note: line 13" in out.getvalue()


def test_headway_import_prints_each_error_with_line_and_column_and_exits_1(world: World) -> None:
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "import", "jira_csv", str(FIXTURES / "jira-broken.csv"),
            "--product", str(world.product.pk), stderr=err,
        )  # fmt: skip
    assert exited.value.code == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("jira-broken.csv: line 5, column 4: Created:")
    assert lines[-1] == "Nothing was imported (5 problems)."
    assert not Feature.objects.exists()


def test_headway_import_takes_a_mapping_from_a_file(world: World, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"target": "ideas", "columns": {"title": "Name", "votes": "Votes"}})
    )
    data = tmp_path / "ideas.csv"
    data.write_text("Name,Votes\nOffline mode,12\nDark mode,3\n")
    call_command(
        "import", "csv", str(data), "--product", str(world.product.pk), "--mapping", f"@{mapping}",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert dict(Idea.objects.values_list("title", "vote_count")) == {
        "Offline mode": 12,
        "Dark mode": 3,
    }
