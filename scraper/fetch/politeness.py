"""Politeness: how fast and how many at once we ask each host, and all hosts together.

Per host: at most ``per_host_concurrency`` requests in flight, request starts spaced by the
host's delay, and a cool-down when the host says Retry-After. The delay is the largest of
``per_host_delay`` and robots.txt's Crawl-delay, multiplied by a backoff factor that doubles on
each 429/503 and decays on success, and raised to the host's response time when it gets slow.

Waiting for a host never holds a global slot: a request first takes its host's slot, waits its
turn, and only then takes one of the ``concurrency`` global slots. So a host in cool-down (or
with a long Crawl-delay) makes only its own requests wait; other hosts go on.

``Pacer`` is what the Fetcher asks of politeness; ``Politeness`` keeps the pace in this
process, ``scraper.crawl.shared.politeness.SharedPoliteness`` keeps it in Redis for every
worker of a shared crawl together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from scraper.config import FetchConfig

__all__ = ["Pacer", "Politeness"]

_SLOWDOWN_STATUSES = frozenset({429, 503})  # the host says "too many requests" or "overloaded"
_BACKOFF_GROWTH = 2.0  # factor applied to the host's delay on each slowdown status
_BACKOFF_DECAY = 0.75  # factor applied back towards 1 on each success
_MAX_BACKOFF = 32.0  # the delay never grows past this many times its base
_PENALTY_BASE_DELAY = 0.25  # seconds: the base a backoff multiplies when no delay is set
_MAX_CRAWL_DELAY = 60.0  # seconds; a larger robots.txt Crawl-delay is capped to this
_SLOW_LATENCY = 1.0  # seconds to first byte above which a host counts as slowing down
_LATENCY_WEIGHT = 0.3  # weight of the newest sample in the latency moving average
_MAX_COOL_DOWN = 3600.0  # seconds; a longer Retry-After still cools down for at most this


class Pacer(Protocol):
    """How fast the Fetcher may ask each host: a slot per request, and what the host said."""

    def slot(self, host: str) -> AbstractAsyncContextManager[None]:
        """Hold a request slot for ``host`` while the request runs."""
        ...

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Apply robots.txt's Crawl-delay to the host."""
        ...

    def record(self, host: str, status: int, latency: float, retry_after: float | None) -> None:
        """Adapt the host's pace to a response (called inside the request's slot)."""
        ...

    def record_timeout(self, host: str, seconds: float) -> None:
        """Count a timed-out request as a slow answer (called inside the request's slot)."""
        ...


@dataclass
class _Host:
    """What we know about one host's pace."""

    slots: asyncio.Semaphore
    next_start: float = 0.0  # monotonic time before which no new request may start
    cool_until: float = 0.0  # monotonic end of a Retry-After cool-down
    crawl_delay: float = 0.0
    backoff: float = 1.0
    latency: float = 0.0  # moving average of seconds to response headers


class Politeness:
    """Per-host slots, delays and cool-downs, plus the global concurrency limit.

    Args:
        config: concurrency, per_host_concurrency and per_host_delay are read once here.
    """

    def __init__(self, config: FetchConfig) -> None:
        self._global = asyncio.Semaphore(config.concurrency)
        self._per_host = config.per_host_concurrency
        self._base_delay = config.per_host_delay
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold a request slot for ``host``: its turn has come and a global slot is free."""
        state = self._host(host)
        async with state.slots:
            await self._wait_turn(state)
            async with self._global:
                yield

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Apply robots.txt's Crawl-delay (capped at a minute) to the host."""
        self._host(host).crawl_delay = min(max(seconds or 0.0, 0.0), _MAX_CRAWL_DELAY)

    def record(self, host: str, status: int, latency: float, retry_after: float | None) -> None:
        """Adapt the host's pace to a response: slow down on 429/503, Retry-After or latency.

        Args:
            host: the host that answered.
            status: its status code.
            latency: seconds from sending the request to the response headers.
            retry_after: the Retry-After it sent, in seconds, if any.
        """
        state = self._host(host)
        now = time.monotonic()
        state.latency = _LATENCY_WEIGHT * latency + (1 - _LATENCY_WEIGHT) * state.latency
        if retry_after is not None:
            state.cool_until = max(state.cool_until, now + min(retry_after, _MAX_COOL_DOWN))
        if status in _SLOWDOWN_STATUSES:
            state.backoff = min(state.backoff * _BACKOFF_GROWTH, _MAX_BACKOFF)
            state.next_start = max(state.next_start, now + self._delay(state))
        elif status < 400:
            state.backoff = max(1.0, state.backoff * _BACKOFF_DECAY)

    def record_timeout(self, host: str, seconds: float) -> None:
        """Count a timed-out request as a response that took ``seconds``: the host is slow."""
        state = self._host(host)
        state.latency = _LATENCY_WEIGHT * seconds + (1 - _LATENCY_WEIGHT) * state.latency

    def delay(self, host: str) -> float:
        """Seconds currently kept between request starts to ``host``."""
        return self._delay(self._host(host))

    def _host(self, host: str) -> _Host:
        """The state of a host, created on first use."""
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(self._per_host))
        return state

    def _delay(self, state: _Host) -> float:
        """The host's spacing: base or Crawl-delay, times backoff, at least its latency if slow."""
        base = max(self._base_delay, state.crawl_delay)
        if state.backoff > 1.0:
            base = max(base, _PENALTY_BASE_DELAY)
        delay = base * state.backoff
        return max(delay, state.latency) if state.latency > _SLOW_LATENCY else delay

    async def _wait_turn(self, state: _Host) -> None:
        """Sleep until the host's next start time (and any cool-down) has passed, then take it:
        the next start is set from the delay as it is now. Nothing is booked ahead, so when the
        delay drops (a slow spell ends) the requests already waiting go at the new pace."""
        while (pause := max(state.next_start, state.cool_until) - time.monotonic()) > 0:
            await asyncio.sleep(pause)
        state.next_start = time.monotonic() + self._delay(state)
