"""Backtests: replaying a history, forecasting from the past only, and scoring the result."""

from __future__ import annotations

import json

import numpy as np
import pytest

from headway.forecasting import backtest


def test_a_steady_history_is_always_right_and_perfectly_sharp() -> None:
    report = backtest([6] * 40, horizon=4, window=8, trials=200)
    assert report.hit_rates == {"50": 1.0, "85": 1.0, "95": 1.0}
    assert report.when_hit_rates == {"50": 1.0, "85": 1.0, "95": 1.0}
    assert (report.mean_width_90, report.mean_actual) == (0.0, 24.0)


def test_every_week_with_a_known_outcome_is_replayed_once() -> None:
    report = backtest([3, 5, 4, 6] * 10, horizon=4, window=8, trials=200)
    # Origins 8 to 36: the first with a full window to the last with 4 weeks of outcome.
    assert report.forecasts == 29


def test_the_first_origin_and_step_choose_the_replayed_weeks() -> None:
    report = backtest([3, 5, 4, 6] * 10, horizon=4, window=8, first_origin=20, step=4, trials=200)
    assert report.forecasts == 5


def test_when_forecasts_whose_backlog_was_never_finished_are_left_out() -> None:
    history = [5] * 30 + [0] * 10
    report = backtest(history, horizon=4, window=8, trials=200, method="plain")
    assert report.when_forecasts < report.forecasts


def test_the_plain_method_is_about_calibrated_on_a_stationary_history() -> None:
    history = np.random.default_rng(4).poisson(8, size=120).tolist()
    report = backtest(history, horizon=4, window=26, trials=500, method="plain", step=2)
    assert 0.7 <= report.hit_rates["85"] <= 0.98


def test_the_default_method_is_right_more_often_than_plain_on_a_drifting_history() -> None:
    rng = np.random.default_rng(8)
    # The pace wanders like a random walk, as real teams' throughput does.
    pace = np.exp(np.cumsum(rng.normal(0, 0.08, size=150))) * 8
    history = rng.poisson(pace).tolist()
    plain = backtest(history, horizon=8, window=13, trials=500, method="plain", step=2)
    calibrated = backtest(history, horizon=8, window=13, trials=500, step=2)
    assert calibrated.hit_rates["85"] > plain.hit_rates["85"]
    assert calibrated.mean_width_90 > plain.mean_width_90


def test_a_report_is_json_friendly() -> None:
    report = backtest([3, 5, 4, 6] * 10, horizon=4, window=8, trials=100)
    assert json.loads(json.dumps(report.as_json()))["hit_rates"]["85"] == pytest.approx(
        report.hit_rates["85"]
    )
