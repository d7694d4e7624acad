"""Throughput, Monte Carlo forecasts, PERT estimates and backtests: pure numpy, no Django.

The public functions take and return plain data (lists, dates, frozen dataclasses with an
`as_json()`), so the API and the HTML views call them directly. Bad input raises
`ForecastInputError(field, message)`.
"""

from __future__ import annotations

from headway.forecasting.backtest import BacktestReport, backtest
from headway.forecasting.calibration import Calibration
from headway.forecasting.history import recent_weeks, week_start, weekly_throughput
from headway.forecasting.montecarlo import (
    DEFAULT_WINDOW,
    HowManyForecast,
    WhenForecast,
    forecast_how_many,
    forecast_when,
)
from headway.forecasting.pert import (
    EffortForecast,
    ThreePointEstimate,
    forecast_effort,
    pert_mean,
    pert_sigma,
    sample_pert,
)
from headway.forecasting.validation import ForecastInputError

__all__ = [
    "DEFAULT_WINDOW",
    "BacktestReport",
    "Calibration",
    "EffortForecast",
    "ForecastInputError",
    "HowManyForecast",
    "ThreePointEstimate",
    "WhenForecast",
    "backtest",
    "forecast_effort",
    "forecast_how_many",
    "forecast_when",
    "pert_mean",
    "pert_sigma",
    "recent_weeks",
    "sample_pert",
    "week_start",
    "weekly_throughput",
]
