"""The one seam for the current time, so tests can move the clock by patching two functions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in UTC."""
    return now().date()
