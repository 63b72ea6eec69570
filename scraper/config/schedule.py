"""When a source runs under ``scraper run``: ``"every 30m"``, ``"every 6h"`` or a cron expression.

A ``Schedule`` is parsed once from the config value and answers one question: the next time
after a given moment. Intervals count from the previous run's start; cron expressions (five
fields, via croniter) are read in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from croniter import croniter

__all__ = ["DEFAULT_SCHEDULE", "Schedule", "parse_schedule"]

DEFAULT_SCHEDULE = "every 1h"  # a polite default for a news source
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}  # suffixes of "every N<unit>"
_EVERY = re.compile(r"^every\s+(\d+)\s*([smhd])$")
_MIN_INTERVAL = 60  # seconds; anything more often than this is not polite crawling


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: ``interval`` seconds, or a ``cron`` expression."""

    text: str
    interval: float | None = None
    cron: str | None = None

    def next_after(self, moment: datetime) -> datetime:
        """The first run time strictly after ``moment`` (timezone-aware, UTC)."""
        if self.cron is None:
            return moment + timedelta(seconds=self.interval or 0)
        next_time: datetime = croniter(self.cron, moment).get_next(datetime)
        return next_time

    def __str__(self) -> str:
        return self.text


def parse_schedule(value: Any) -> Schedule:
    """``"every 30m"``, ``"every 6h"``, ``"every 1d"`` or a five-field cron expression.

    Raises:
        ValueError: the value is neither.

    Example:
        >>> parse_schedule("every 30m").interval
        1800.0
    """
    if isinstance(value, Schedule):
        return value
    if not isinstance(value, str):
        raise TypeError(value)
    text = value.strip()
    every = _EVERY.match(text)
    if every:
        seconds = float(int(every.group(1)) * _UNITS[every.group(2)])
        if seconds < _MIN_INTERVAL:
            raise ValueError(text)
        return Schedule(text, interval=seconds)
    if len(text.split()) == 5 and croniter.is_valid(text):
        return Schedule(text, cron=text)
    raise ValueError(text)
