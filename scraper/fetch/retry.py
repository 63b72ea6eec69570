"""The retry policy: which failures are worth another attempt, how long to wait, when to stop.

The ladder, bounded on every count:
1. Retry only transient failures: connect errors and resets, timeouts, and the statuses in
   ``RETRY_STATUSES``. Other 4xx, blocked addresses, robots, size and type errors are final.
2. Wait exponentially (``fetch.retry_backoff``, doubling, capped at ``_MAX_BACKOFF``) with
   jitter. A Retry-After is not slept here: it cools down the whole host in politeness.py, and
   the next attempt waits for the host's slot like every other request to that host (other
   hosts go on meanwhile).
3. Stop after ``fetch.retries`` retries; or when the next attempt would start past the URL's
   own time budget (``total_budget``), which counts only the time in its attempts and backoff
   sleeps, never the time spent waiting for the host's turn (delay, cool-down, slowdown), so a
   page queued behind a 429/503 storm keeps its retries; or when the wait (backoff or
   Retry-After) would outlast the fetch's wall-time cap (``wall_cap``). The last error is
   raised as is.
4. The fetcher holds the whole fetch (redirects and waits for the host included) to
   ``wall_cap`` as a hard deadline, so a host that answers 503 forever, or cools down for an
   hour, still ends in a FetchError.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import tenacity

from scraper.config import FetchConfig
from scraper.errors import ConnectError, FetchTimeoutError, HTTPStatusError

__all__ = [
    "RETRY_STATUSES",
    "RetryClock",
    "parse_retry_after",
    "retrying",
    "total_budget",
    "wall_cap",
]

_log = logging.getLogger(__name__)

# Statuses that say "try again later": rate limited, or the server (or its gateway) failing.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_MAX_BACKOFF = 30.0  # seconds; the exponential wait never grows past this
_JITTER = 0.5  # share of the backoff added at random, so retries of many URLs spread out
_BUDGET_PER_ATTEMPT = 2  # a URL may use this many timeouts per attempt, backoff included
# A URL may take this many budgets of wall time in all: the rest is for waiting for its host
# (Retry-After cool-downs, 429/503 slowdown, the queue of its other URLs). With the defaults
# (30 s timeout, 3 retries) the budget is 240 s and the cap 16 minutes.
_WALL_CAP_PER_BUDGET = 4


def total_budget(config: FetchConfig) -> float:
    """Seconds one URL may spend in its own attempts and backoff sleeps, host waits excluded."""
    return config.timeout * _BUDGET_PER_ATTEMPT * (config.retries + 1)


def wall_cap(config: FetchConfig) -> float:
    """Seconds one fetch may take in all, waits for its host and redirects included."""
    return total_budget(config) * _WALL_CAP_PER_BUDGET


@dataclass
class RetryClock:
    """One URL's time as the retry policy counts it.

    Attributes:
        deadline: the ``time.monotonic()`` by which the whole fetch must be over (its wall cap).
        started: when the URL's first attempt began.
        queued: seconds spent so far waiting for the host's turn (the politeness slot).
    """

    deadline: float
    started: float = field(default_factory=time.monotonic)
    queued: float = 0.0

    def own(self) -> float:
        """Seconds spent in our attempts and backoff sleeps: wall time less the queueing."""
        return time.monotonic() - self.started - self.queued

    def left(self) -> float:
        """Seconds left before the deadline."""
        return self.deadline - time.monotonic()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date.

    Returns None when the header is absent or unreadable; a date in the past gives 0.

    Example:
        >>> parse_retry_after("120")
        120.0
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _is_transient(exc: BaseException) -> bool:
    """True for failures that a later attempt may not repeat."""
    if isinstance(exc, HTTPStatusError):
        return exc.status in RETRY_STATUSES
    return isinstance(exc, ConnectError | FetchTimeoutError)


def _retry_after(retry_state: tenacity.RetryCallState) -> float:
    """The Retry-After of the failure just seen, in seconds; 0 when it sent none."""
    outcome = retry_state.outcome
    exc = outcome.exception() if outcome is not None else None
    if isinstance(exc, HTTPStatusError) and exc.retry_after is not None:
        return exc.retry_after
    return 0.0


class _StopOnBudgetOrCap(tenacity.stop.stop_base):
    """Stop when the next attempt would start past the own-time budget or the wall-time cap."""

    def __init__(self, budget: float, clock: RetryClock) -> None:
        self._budget = budget
        self._clock = clock

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        """True when the URL should give up now (tenacity then raises the last error)."""
        backoff = retry_state.upcoming_sleep
        if self._clock.own() + backoff >= self._budget:
            return True
        # The host's cool-down is waited for in the slot, not here, but it still has to end
        # before the cap: if it cannot, waiting for it only delays the same error.
        return self._clock.left() <= max(backoff, _retry_after(retry_state))


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    """Log each retry at INFO: what failed, the backoff, and the host's cool-down if any."""
    outcome = retry_state.outcome
    sleep = retry_state.next_action.sleep if retry_state.next_action else 0.0
    cool_down = _retry_after(retry_state)
    _log.info(
        "attempt %d failed (%s); retrying in %.2f s%s",
        retry_state.attempt_number,
        outcome.exception() if outcome is not None else "?",
        sleep,
        f", once the host's {cool_down:g} s cool-down is over" if cool_down else "",
    )


def retrying(config: FetchConfig, clock: RetryClock) -> tenacity.AsyncRetrying:
    """The tenacity controller for one URL's attempts, built from the [fetch] section.

    Args:
        config: retries and retry_backoff; timeout sets the time budget.
        clock: the URL's clock; each attempt adds the time it waited for its host's turn to
            ``clock.queued``, so that waiting is not charged to the budget.

    Example:
        >>> clock = RetryClock(deadline=time.monotonic() + wall_cap(config))  # doctest: +SKIP
        >>> page = await retrying(config, clock)(attempt, url, clock)  # doctest: +SKIP
    """
    first = config.retry_backoff
    return tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception(_is_transient),
        wait=tenacity.wait_exponential(multiplier=first, max=_MAX_BACKOFF)
        + tenacity.wait_random(0, first * _JITTER),
        stop=tenacity.stop_after_attempt(config.retries + 1)
        | _StopOnBudgetOrCap(total_budget(config), clock),
        before_sleep=_log_retry,
        reraise=True,
    )
