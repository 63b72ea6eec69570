"""The retry policy: which failures are worth another attempt, how long to wait, when to stop.

The ladder, bounded on both counts:
1. Retry only transient failures: connect errors and resets, timeouts, and the statuses in
   ``RETRY_STATUSES``. Other 4xx, blocked addresses, robots, size and type errors are final.
2. Wait exponentially (``fetch.retry_backoff``, doubling, capped at ``_MAX_BACKOFF``) with
   jitter, or as long as the server's Retry-After says, whichever is longer. (The same
   Retry-After also cools down the whole host in politeness.py, so other URLs of that host
   wait too, while other hosts go on.)
3. Stop after ``fetch.retries`` retries, or when the next attempt would start later than the
   URL's time budget (``total_budget``) allows; the last error is raised as is.
"""

from __future__ import annotations

import email.utils
import logging
import math
from datetime import UTC, datetime

import tenacity

from scraper.config import FetchConfig
from scraper.errors import ConnectError, FetchTimeoutError, HTTPStatusError

__all__ = ["RETRY_STATUSES", "parse_retry_after", "retrying", "total_budget"]

_log = logging.getLogger(__name__)

# Statuses that say "try again later": rate limited, or the server (or its gateway) failing.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_MAX_BACKOFF = 30.0  # seconds; the exponential wait never grows past this
_JITTER = 0.5  # share of the backoff added at random, so retries of many URLs spread out
_BUDGET_PER_ATTEMPT = 2  # a URL may use this many timeouts per attempt, waits included


def total_budget(config: FetchConfig) -> float:
    """Seconds one URL may take from its first attempt to the start of its last."""
    return config.timeout * _BUDGET_PER_ATTEMPT * (config.retries + 1)


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


class _WaitBackoffOrRetryAfter(tenacity.wait.wait_base):
    """Exponential backoff with jitter, but never shorter than the server's Retry-After."""

    def __init__(self, first: float) -> None:
        self._backoff = tenacity.wait_exponential(
            multiplier=first, max=_MAX_BACKOFF
        ) + tenacity.wait_random(0, first * _JITTER)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        """Seconds to sleep before the next attempt."""
        wait = self._backoff(retry_state)
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, HTTPStatusError) and exc.retry_after is not None:
            wait = max(wait, exc.retry_after)
        return wait


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    """Log each retry at INFO: what failed and how long we wait."""
    outcome = retry_state.outcome
    sleep = retry_state.next_action.sleep if retry_state.next_action else 0.0
    _log.info(
        "attempt %d failed (%s); retrying in %.2f s",
        retry_state.attempt_number,
        outcome.exception() if outcome is not None else "?",
        sleep,
    )


def retrying(config: FetchConfig) -> tenacity.AsyncRetrying:
    """The tenacity controller for one URL's attempts, built from the [fetch] section.

    Example:
        >>> page = await retrying(config)(attempt, url)  # doctest: +SKIP
    """
    return tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception(_is_transient),
        wait=_WaitBackoffOrRetryAfter(config.retry_backoff),
        stop=tenacity.stop_after_attempt(config.retries + 1)
        | tenacity.stop_before_delay(total_budget(config)),
        before_sleep=_log_retry,
        reraise=True,
    )
