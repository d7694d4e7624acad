from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from headway.accounts.models import User
from headway.products.models import Product
from headway.web import demo


def test_createuser_reads_the_password_from_stdin(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    call_command(
        "createuser", "ada", "--email", "ada@example.com", "--password-stdin", stdout=io.StringIO()
    )
    user = User.objects.get(username="ada")
    assert user.check_password("a long enough passphrase")
    assert user.email == "ada@example.com"


def test_createuser_refuses_a_weak_password(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "ada", "--password-stdin")
    assert not User.objects.filter(username="ada").exists()


def test_createuser_refuses_a_taken_name(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    User.objects.create(username="ada")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough passphrase\n"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("createuser", "ada", "--password-stdin")


def test_demo_loads_acme_analytics_once(db: None) -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    assert Product.objects.filter(name="Acme Analytics").count() == 1
    assert "demo with password headway-demo" in out.getvalue()
    user = User.objects.get(username=demo.DEMO_USERNAME)
    assert user.check_password(demo.DEMO_PASSWORD)


def test_demo_holds_every_core_record(db: None) -> None:
    loaded = demo.load()
    product = loaded.product
    assert product.goals.count() >= 3
    assert product.ideas.count() >= 5
    assert product.feedback.count() >= 5
    assert product.features.count() >= 10
    assert product.releases.count() >= 2
    assert {r.kind for r in product.roadmaps.all()} == {"timeline", "now_next_later", "technology"}


def test_generate_is_deterministic_and_complete(db: None) -> None:
    from headway.web.synthetic import generate

    first = generate(30, 200, product_name="One", seed=5)
    second = generate(30, 200, product_name="Two", seed=5)
    assert first.counts == second.counts
    assert first.counts["features"] == 30
    assert first.counts["feedback"] == 200
    titles = lambda p: list(p.features.order_by("rank").values_list("title", flat=True))  # noqa: E731
    assert titles(first.product) == titles(second.product)
    assert first.product.feedback.count() == 200
    assert first.product.scorecards.get().ratings.count() == 24  # four features in five
    assert first.product.formulas.count() == 1
    assert first.product.features.exclude(moscow="").exists()
