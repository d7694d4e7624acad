"""Feedback from CSV: the pure reader (mapping, checks with line and column) and the upload
page (two steps, all or nothing)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from headway.discovery import csvimport
from headway.discovery.models import Customer, Feedback
from headway.interchange.errors import ImportFailed
from tests.conftest import World

GOOD = (
    "Comment,Channel,Customer,E-mail,Company,ARR,Date\n"
    'Exports are slow,Sales call,Ada Lovelace,ADA@initech.example,Initech,"120,000",2024-03-05\n'
    '"Dark mode,\nplease",,Raj Patel,,Globex,,\n'
    "Need SSO,support_ticket,,raj@globex.example,,450000.50,2024-03-06 10:15\n"
)


def read(text: str, mapping: dict[str, str] | None = None, **options: Any) -> list[Any]:
    return csvimport.read(io.BytesIO(text.encode()), mapping or GUESSED, **options)


GUESSED = csvimport.guess_mapping(
    ("Comment", "Channel", "Customer", "E-mail", "Company", "ARR", "Date")
)


def errors(text: str, mapping: dict[str, str] | None = None) -> list[tuple[int, int | None]]:
    with pytest.raises(ImportFailed) as failure:
        read(text, mapping or {"text": "Comment", "source": "Channel"})
    return [(e.line, e.column) for e in failure.value.errors]


def test_the_mapping_is_guessed_from_the_header() -> None:
    assert GUESSED == {
        "text": "Comment",
        "source": "Channel",
        "customer_name": "Customer",
        "customer_email": "E-mail",
        "customer_company": "Company",
        "customer_revenue": "ARR",
        "received_at": "Date",
    }


def test_rows_are_read_with_their_values() -> None:
    rows = read(GOOD, default_source="survey")
    assert [row.line for row in rows] == [2, 3, 5]
    first, second, third = rows
    assert (first.source, first.customer_email, first.customer_revenue) == (
        "sales_call",
        "ada@initech.example",
        Decimal("120000.00"),
    )
    assert first.received_at.isoformat() == "2024-03-05T00:00:00+00:00"
    assert second.text == "Dark mode,\nplease"
    assert second.source == "survey"
    assert third.customer_revenue == Decimal("450000.50")


def test_header_is_read_from_a_semicolon_file_with_a_byte_order_mark() -> None:
    data = "\ufeffText;Source\nhello;email\n".encode()
    assert csvimport.header(io.BytesIO(data)) == ("Text", "Source")


def test_empty_text_is_an_error_with_line_and_column() -> None:
    assert errors("Comment,Channel\n,email\n") == [(2, 1)]


def test_unknown_source_is_an_error() -> None:
    assert errors("Comment,Channel\nx,pigeon\n") == [(2, 2)]


def test_bad_email_is_an_error() -> None:
    assert errors(
        "Comment,E-mail\nx,not-mail\n", {"text": "Comment", "customer_email": "E-mail"}
    ) == [(2, 2)]


def test_bad_revenue_is_an_error() -> None:
    mapping = {"text": "Comment", "customer_revenue": "ARR"}
    assert errors("Comment,ARR\nx,12k\ny,-5\n", mapping) == [(2, 2), (3, 2)]


def test_bad_date_is_an_error() -> None:
    assert errors("Comment,Date\nx,yesterday\n", {"text": "Comment", "received_at": "Date"}) == [
        (2, 2)
    ]


def test_too_long_customer_name_is_an_error() -> None:
    mapping = {"text": "Comment", "customer_name": "Customer"}
    assert errors(f"Comment,Customer\nx,{'n' * 201}\n", mapping) == [(2, 2)]


def test_every_bad_row_is_listed_not_just_the_first() -> None:
    text = "Comment,Channel\n,email\nok,email\n,pigeon\n"
    assert errors(text) == [(2, 1), (4, 1), (4, 2)]


def test_a_mapped_column_missing_from_the_header_is_an_error() -> None:
    assert errors("Text\nx\n", {"text": "Comment"}) == [(1, None)]


def test_the_text_must_be_mapped() -> None:
    assert errors("Comment\nx\n", {"source": "Comment"}) == [(1, None)]


def test_a_header_without_rows_is_refused() -> None:
    assert errors("Comment\n", {"text": "Comment"}) == [(1, None)]


def test_a_ragged_row_is_reported() -> None:
    assert errors("Comment,Channel\nx,email,extra\n") == [(2, None)]


# --- the page -------------------------------------------------------------------------------------


def upload(client: Client, world: World, text: str) -> Any:
    url = f"/products/{world.product.pk}/feedback/import/"
    file = SimpleUploadedFile("feedback.csv", text.encode(), content_type="text/csv")
    return client.post(url, {"file": file})


def token_of(response: Any) -> str:
    marker = 'name="token" value="'
    start = response.text.index(marker) + len(marker)
    return response.text[start : response.text.index('"', start)]


@pytest.fixture
def contributor(world: World) -> Client:
    client = Client()
    client.force_login(world.contributor)
    return client


def test_upload_then_mapping_imports_every_row(
    world: World, contributor: Client, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    mapping_page = upload(contributor, world, GOOD)
    assert mapping_page.status_code == 200
    assert '<option value="Comment" selected>' in mapping_page.text
    response = contributor.post(
        f"/products/{world.product.pk}/feedback/import/",
        {"token": token_of(mapping_page), **{f"map_{k}": v for k, v in GUESSED.items()}},
    )
    assert response.status_code == 302
    assert Feedback.objects.filter(product=world.product).count() == 3
    assert Customer.objects.filter(workspace=world.workspace).count() == 3
    assert not list(tmp_path.rglob("*.csv"))


def test_a_bad_file_imports_nothing_and_lists_the_problems(
    world: World, contributor: Client, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    text = "Comment,Channel\ngood row,email\n,email\nbad,pigeon\n"
    mapping_page = upload(contributor, world, text)
    response = contributor.post(
        f"/products/{world.product.pk}/feedback/import/",
        {"token": token_of(mapping_page), "map_text": "Comment", "map_source": "Channel"},
    )
    assert response.status_code == 422
    assert '<td class="num">3</td><td class="num">1</td>' in response.text
    assert '<td class="num">4</td><td class="num">2</td>' in response.text
    assert not Feedback.objects.exists()


def test_an_unreadable_upload_is_refused_at_once(world: World, contributor: Client) -> None:
    response = upload(contributor, world, "")
    assert response.status_code == 422
    assert "empty" in response.text


def test_a_token_of_another_session_is_refused(
    world: World, contributor: Client, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    token = token_of(upload(contributor, world, GOOD))
    other = Client()
    other.force_login(world.pm)
    response = other.post(
        f"/products/{world.product.pk}/feedback/import/", {"token": token, "map_text": "Comment"}
    )
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_viewer_cannot_import(world: World) -> None:
    client = Client()
    client.force_login(world.viewer)
    assert client.get(f"/products/{world.product.pk}/feedback/import/").status_code == 403
