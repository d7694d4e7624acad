"""`headway forecast when|how-many|backtest`: forecasts and calibration from the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.forecasting import (
    ForecastInputError,
    backtest,
    forecast_how_many,
    forecast_when,
    week_start,
    weekly_throughput,
)
from headway.products.models import Product
from headway.releases import forecasts


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date like 2026-03-31.") from None


class Command(BaseCommand):
    help = "Forecast when work is done or how much gets done, or replay history (backtest)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="question", required=True)
        when = sub.add_parser("when", help="When will the remaining items be done?")
        when.add_argument("--product", type=int, required=True, help="Product id.")
        when.add_argument("--remaining", type=int, help="Items left (default: open stories).")
        when.add_argument("--target", help="Target date (YYYY-MM-DD): the chance of making it.")
        when.add_argument("--unit", choices=["stories", "features"], default="stories")
        when.add_argument("--seed", type=int, default=0)
        how = sub.add_parser("how-many", help="How many items in the next N weeks?")
        how.add_argument("--product", type=int, required=True, help="Product id.")
        how.add_argument("--weeks", type=int, required=True)
        how.add_argument("--unit", choices=["stories", "features"], default="stories")
        how.add_argument("--seed", type=int, default=0)
        replay = sub.add_parser("backtest", help="Replay history and report calibration.")
        source = replay.add_mutually_exclusive_group(required=True)
        source.add_argument("--product", type=int, help="Product id.")
        source.add_argument("--jira-csv", type=Path, help="A Jira CSV export (Resolved dates).")
        replay.add_argument("--horizon", type=int, default=4, help="Weeks ahead (default 4).")
        replay.add_argument("--window", type=int, default=26, help="Weeks resampled (26).")
        replay.add_argument("--from", dest="replay_from", help="First forecast date (YYYY-MM-DD).")
        replay.add_argument("--trials", type=int, default=2_000)
        replay.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["question"] == "when":
                self._when(options)
            elif options["question"] == "how-many":
                self._how_many(options)
            else:
                self._backtest(options)
        except ForecastInputError as error:
            raise CommandError(f"{error.field}: {error.message}") from None

    def _product(self, product_id: int) -> Product:
        try:
            return Product.objects.get(pk=product_id)
        except Product.DoesNotExist:
            raise CommandError(f"There is no product {product_id}.") from None

    def _when(self, options: dict[str, Any]) -> None:
        product = self._product(options["product"])
        history = forecasts.forecast_history(product, options["unit"])
        remaining = options["remaining"]
        if remaining is None:
            remaining = forecasts.open_items(product, options["unit"])
        target = _date(options["target"]) if options["target"] else None
        result = forecast_when(
            history.counts,
            remaining,
            start_date=forecasts.today(),
            target_date=target,
            seed=options["seed"],
        )
        self.stdout.write(
            f"{product.name}: {remaining} {history.unit} left, "
            f"{len(history.counts)} weeks of history ({history.source})."
        )
        for level, day in result.dates.items():
            self.stdout.write(
                f"  {level} %: done by {day.isoformat() if day else 'not in ten years'}"
            )
        if result.probability_by is not None and target:
            self.stdout.write(f"  Chance of finishing by {target}: {result.probability_by:.0%}")
        if result.calibration:
            self.stdout.write(f"  {result.calibration.note}")

    def _how_many(self, options: dict[str, Any]) -> None:
        product = self._product(options["product"])
        history = forecasts.forecast_history(product, options["unit"])
        result = forecast_how_many(history.counts, options["weeks"], seed=options["seed"])
        self.stdout.write(f"{product.name}, next {options['weeks']} weeks:")
        for level, items in result.items.items():
            self.stdout.write(f"  {level} %: at least {items} {history.unit}")

    def _backtest(self, options: dict[str, Any]) -> None:
        if options["jira_csv"] is not None:
            start, counts = jira_throughput(options["jira_csv"])
            label = str(options["jira_csv"])
        else:
            history = forecasts.forecast_history(self._product(options["product"]))
            if history.start is None:
                raise CommandError("The product has no finished work to replay.")
            start, counts, label = history.start, history.counts, f"product {options['product']}"
        first_origin = None
        if options["replay_from"]:
            # The first Monday on or after the date: forecasts are made at the start of a week.
            days = (_date(options["replay_from"]) - start).days
            first_origin = max(1, -(-days // 7))
        self.stdout.write(
            f"{label}: {len(counts)} weeks from {start}, {sum(counts) / max(len(counts), 1):.1f} "
            f"a week; horizon {options['horizon']} weeks, window {options['window']} weeks."
        )
        self.stdout.write(
            f"{'method':<11}{'forecasts':>10}{'50 %':>8}{'85 %':>8}{'95 %':>8}"
            f"{'when 85 %':>11}{'90 % width':>12}"
        )
        for method in ("plain", "calibrated"):
            report = backtest(
                counts,
                horizon=options["horizon"],
                window=options["window"],
                method=method,
                first_origin=first_origin,
                trials=options["trials"],
                seed=options["seed"],
            )
            rates = report.hit_rates
            self.stdout.write(
                f"{'Headway' if method == 'calibrated' else 'plain':<11}{report.forecasts:>10}"
                f"{rates['50']:>8.1%}{rates['85']:>8.1%}{rates['95']:>8.1%}"
                f"{report.when_hit_rates['85']:>11.1%}{report.mean_width_90:>12.1f}"
            )
        self.stdout.write("Share of past forecasts that came true at each confidence level.")


def jira_throughput(path: Path) -> tuple[dt.date, list[int]]:
    """The first Monday and weekly counts of resolved issues in a Jira CSV export."""
    from headway.interchange.errors import ImportFailed
    from headway.interchange.jira import iter_jira_csv

    if not path.exists():
        raise CommandError(f"No such file: {path}")
    try:
        resolved = [issue.resolved for issue in iter_jira_csv(path) if issue.resolved]
    except ImportFailed as error:
        raise CommandError(f"The Jira CSV was refused: {error}") from None
    if not resolved:
        raise CommandError("The Jira CSV has no resolved issues.")
    first, last = min(resolved).date(), max(resolved).date()
    return week_start(first), weekly_throughput(resolved, first, last)
