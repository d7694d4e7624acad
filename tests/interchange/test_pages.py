"""The Import / export tab, an import's page, and the webhook pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from headway.interchange.models import ImportJob, Webhook, WebhookDelivery
from headway.planning.models import Feature
from tests.conftest import World
from tests.interchange.conftest import FIXTURES


def signed_in(world: World, who: str = "pm") -> Client:
    client = Client()
    client.force_login(getattr(world, who))
    return client


def upload(client: Client, world: World, name: str, **fields: Any) -> Any:
    data: dict[str, Any] = {"kind": "jira_csv", "timezone": "UTC", "target": "features", **fields}
    data["file"] = io.BytesIO((FIXTURES / name).read_bytes())
    data["file"].name = name
    return client.post(f"/products/{world.product.pk}/interchange/", data)


def test_the_product_nav_has_an_import_export_tab(world: World) -> None:
    page = signed_in(world).get(f"/products/{world.product.pk}/").text
    assert f'href="/products/{world.product.pk}/interchange/"' in page
    assert "Import / export" in page


def test_product_manager_sees_the_upload_form_and_the_exports(world: World) -> None:
    page = signed_in(world).get(f"/products/{world.product.pk}/interchange/").text
    assert 'enctype="multipart/form-data"' in page
    assert "Export features" in page
    assert f"/api/v1/products/{world.product.pk}/export?format=json" in page


def test_viewer_sees_no_upload_form_and_cannot_post_one(world: World) -> None:
    client = signed_in(world, "viewer")
    page = client.get(f"/products/{world.product.pk}/interchange/").text
    assert 'enctype="multipart/form-data"' not in page
    assert upload(client, world, "jira-quirky.csv").status_code == 403
    assert not ImportJob.objects.exists()


def test_outsider_gets_404(world: World) -> None:
    client = signed_in(world, "outsider")
    assert client.get(f"/products/{world.product.pk}/interchange/").status_code == 404
    job = ImportJob.objects.create(product=world.product, kind="csv")
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def test_upload_leads_to_the_import_page_with_its_counts(world: World) -> None:
    client = signed_in(world)
    response = upload(client, world, "jira-quirky.csv")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    page = client.get(response["Location"]).text
    assert "What was imported" in page
    assert 'value="100"' in page
    assert "hx-trigger" not in page  # done: no more polling
    assert Feature.objects.count() == 4


def test_a_broken_upload_lists_line_column_and_message(world: World) -> None:
    client = signed_in(world)
    response = upload(client, world, "jira-broken.csv")
    page = client.get(response["Location"]).text
    assert "Nothing was imported." in page
    assert '<td class="num">5</td><td class="num">4</td>' in page
    assert "31/Foo/21 10:00" in page


def test_a_csv_upload_uses_the_mapping_fields(world: World, tmp_path: Any) -> None:
    client = signed_in(world)
    data = {
        "kind": "csv",
        "timezone": "UTC",
        "target": "ideas",
        "map_ideas_title": "Name",
        "map_features_title": "Ignored because the target is ideas",
        "file": io.BytesIO(b"Name\nOffline mode\n"),
    }
    data["file"].name = "ideas.csv"
    response = client.post(f"/products/{world.product.pk}/interchange/", data)
    assert response.status_code == 302, response.text
    job = ImportJob.objects.get()
    assert job.status == "done", job.errors
    assert job.mapping == {"target": "ideas", "columns": {"title": "Name"}}
    # The mapping is remembered for the next CSV import into ideas.
    page = client.get(f"/products/{world.product.pk}/interchange/").text
    assert 'name="map_ideas_title" value="Name"' in page


def test_a_csv_upload_without_a_mapping_says_what_is_missing(world: World) -> None:
    response = upload(signed_in(world), world, "jira-quirky.csv", kind="csv")
    assert response.status_code == 422
    assert "mapping.columns.title" in response.text


def test_too_large_upload_is_refused_on_the_page(world: World, settings: Any) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 100
    response = upload(signed_in(world), world, "jira-quirky.csv")
    assert response.status_code == 413
    assert "larger than" in response.text


def test_a_running_import_polls_and_htmx_gets_only_the_fragment(world: World) -> None:
    job = ImportJob.objects.create(product=world.product, kind="jira_csv", status="running")
    client = signed_in(world, "viewer")
    page = client.get(f"/imports/{job.pk}/").text
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").text
    assert fragment.strip().startswith('<section id="job"')
    assert "<html" not in fragment


def test_the_tab_queries_do_not_grow_with_imports(world: World) -> None:
    client = signed_in(world)
    counts = []
    for rows in (3, 30):
        for number in range(rows - ImportJob.objects.count()):
            ImportJob.objects.create(
                product=world.product,
                kind="jira_csv",
                file_name=f"{number}.csv",
                created_by=world.pm,
            )
        client.get(f"/products/{world.product.pk}/interchange/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/products/{world.product.pk}/interchange/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- webhooks ---------------------------------------------------------------------------------


def test_admin_adds_a_webhook_and_sees_its_secret_once(world: World) -> None:
    client = signed_in(world, "owner")
    response = client.post(
        f"/workspaces/{world.workspace.pk}/webhooks/",
        {"url": "https://hooks.example.com/in", "events": ["idea.created"]},
    )
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.text
    assert webhook.secret not in client.get(f"/workspaces/{world.workspace.pk}/webhooks/").text


def test_a_bad_webhook_url_is_refused_on_the_page(world: World) -> None:
    response = signed_in(world, "owner").post(
        f"/workspaces/{world.workspace.pk}/webhooks/",
        {"url": "ftp://example.com", "events": ["idea.created"]},
    )
    assert response.status_code == 422
    assert "must start with http:// or https://" in response.text
    assert not Webhook.objects.exists()


def test_webhook_pages_are_for_admins(world: World) -> None:
    webhook = Webhook.objects.create(
        workspace=world.workspace, url="https://example.com", events=["idea.created"]
    )
    assert (
        signed_in(world, "pm").get(f"/workspaces/{world.workspace.pk}/webhooks/").status_code == 403
    )
    assert signed_in(world, "pm").get(f"/webhooks/{webhook.pk}/").status_code == 403
    assert signed_in(world, "outsider").get(f"/webhooks/{webhook.pk}/").status_code == 404
    assert signed_in(world, "pm").post(f"/webhooks/{webhook.pk}/delete/").status_code == 403
    assert Webhook.objects.exists()


def test_send_test_over_htmx_returns_the_log_with_the_response_code(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from headway.interchange import http

    monkeypatch.setattr(http, "post", lambda url, body, headers: http.Response(204, "", 3))
    webhook = Webhook.objects.create(
        workspace=world.workspace, url="https://example.com", events=["idea.created"]
    )
    response = signed_in(world, "owner").post(
        f"/webhooks/{webhook.pk}/test/", HTTP_HX_REQUEST="true"
    )
    assert response.text.strip().startswith('<section id="log"')
    assert "webhook.test" in response.text
    assert '<td class="num">204</td>' in response.text


def test_deleting_a_webhook_from_its_page(world: World) -> None:
    webhook = Webhook.objects.create(
        workspace=world.workspace, url="https://example.com", events=["idea.created"]
    )
    response = signed_in(world, "owner").post(f"/webhooks/{webhook.pk}/delete/")
    assert response.status_code == 302
    assert not Webhook.objects.exists()


def test_the_delivery_log_queries_do_not_grow(world: World) -> None:
    webhook = Webhook.objects.create(
        workspace=world.workspace, url="https://example.com", events=["idea.created"]
    )
    client = signed_in(world, "owner")
    counts = []
    for rows in (3, 30):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=webhook, event="idea.created", body="{}", response_code=200)
            for _ in range(rows - webhook.deliveries.count())
        )
        client.get(f"/webhooks/{webhook.pk}/")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/webhooks/{webhook.pk}/").text
        assert page.count("<code>idea.created</code>") == rows
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
