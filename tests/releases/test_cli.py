"""`headway forecast`: when, how-many and backtest, from a product or a Jira CSV."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import World
from tests.releases.factories import history
from tests.shared_data import shared_data


def run(*args: str) -> str:
    out = StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


def test_when_prints_dates_and_the_chance_of_a_target(world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4, 3, 5])
    target = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    out = run("when", "--product", str(world.product.pk), "--remaining", "20", "--target", target)
    assert "85 %: done by" in out
    assert f"Chance of finishing by {target}" in out


def test_how_many_prints_counts_reached_at_least(world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4, 3, 5])
    out = run("how-many", "--product", str(world.product.pk), "--weeks", "4")
    assert "85 %: at least" in out


def test_a_product_without_history_is_a_clear_error(world: World) -> None:
    with pytest.raises(CommandError, match="throughput"):
        run("when", "--product", str(world.product.pk), "--remaining", "5")


def test_an_unknown_product_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="no product"):
        run("how-many", "--product", "999", "--weeks", "4")


def test_backtest_replays_a_product_history(world: World) -> None:
    history(world.product, [3, 4, 2, 5, 3, 4, 3, 5, 4, 3, 5, 4, 3, 4, 2, 5])
    out = run("backtest", "--product", str(world.product.pk), "--window", "8", "--trials", "200")
    assert "Headway" in out and "plain" in out


def test_backtest_refuses_a_missing_csv(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run("backtest", "--jira-csv", str(tmp_path / "nope.csv"))


def test_backtest_on_the_hadoop_history_matches_the_documented_calibration(db: None) -> None:
    path = shared_data("hadoop-jira-bugs.csv")
    out = run("backtest", "--jira-csv", str(path), "--from", "2021-01-01")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line[:1] in "pH"}
    # docs/forecasting.md, 4 weeks, 26-week window: plain 71.6 %, Headway 86.5 % at 85 %.
    assert rows["plain"][1] == "215"
    assert 68.0 <= float(rows["plain"][3].rstrip("%")) <= 76.0
    assert 83.0 <= float(rows["Headway"][3].rstrip("%")) <= 90.0
