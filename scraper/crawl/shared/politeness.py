"""``SharedPoliteness``: per-host pace kept in Redis, so it holds for every worker together.

The rules are those of scraper/fetch/politeness.py (per-host concurrency and delay, robots.txt
Crawl-delay, Retry-After cool-downs, backoff on 429/503, slow hosts), with one difference
that makes the delay hold across processes and machines: a request's slot is granted only
when the previous request to the host has had its answer (acquire.lua, the "gate"), and the
delay counts from that answer (settle.lua). However late a granted request is sent, it
cannot reach the host sooner than the delay after the one before. With ``per_host_delay =
0`` and no backoff there is no gate: only the concurrency limit applies.

A request costs two Redis calls (acquire, then settle when its slot is released); with a
delay, a third one reports the answer as soon as its headers arrive, to open the gate.

In each process one task per host asks Redis (the others wait on a local lock), so a host
that makes everyone wait costs one Redis call per wait, not one per waiting page. The
concurrency limit of all hosts together (``[fetch] concurrency``) stays per process.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from contextlib import asynccontextmanager
from typing import Any, Final

from redis.exceptions import RedisError

from scraper.config import FetchConfig
from scraper.crawl.shared.client import SharedRedis

__all__ = ["SharedPoliteness"]

_MAX_CRAWL_DELAY_MS: Final = 60_000  # a larger robots.txt Crawl-delay is capped to a minute
_SLOT_TTL_FLOOR_MS: Final = 30_000  # a dead worker's slot and gate expire after its timeout
_RETRY_WAIT: Final = 0.05  # seconds: the first wait when acquire reports no wait
_log = logging.getLogger(__name__)
_current: contextvars.ContextVar[str] = contextvars.ContextVar("scraper_shared_slot")


class SharedPoliteness:
    """The Fetcher's ``Pacer`` for a shared crawl.

    Args:
        shared: the crawl's Redis.
        config: the [fetch] section (concurrency, per_host_concurrency, per_host_delay, and
            timeout, which bounds how long a dead worker's slot is held).
    """

    def __init__(self, shared: SharedRedis, config: FetchConfig) -> None:
        self._shared = shared
        self._global = asyncio.Semaphore(config.concurrency)
        self._per_host = config.per_host_concurrency
        self._base_ms = int(config.per_host_delay * 1000)
        self._ttl_ms = max(_SLOT_TTL_FLOOR_MS, int(config.timeout * 3 * 1000))
        self._asking: dict[str, asyncio.Lock] = {}
        self._reports: dict[str, list[asyncio.Task[None]]] = {}
        self._answers: dict[str, tuple[int, float, float | None]] = {}  # sent with the release
        self._background: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Wait until Redis grants a slot for ``host``, then hold it (and a local global slot)."""
        token = uuid.uuid4().hex
        await self._acquire(host, token)
        reset = _current.set(token)
        self._reports[token] = []
        try:
            async with self._global:
                yield
        finally:
            _current.reset(reset)
            reports = self._reports.pop(token, [])
            await asyncio.gather(*reports, return_exceptions=True)
            status, latency, retry_after = self._answers.pop(token, (-1, None, None))
            await self._settle(host, token, status, latency, retry_after, release=True)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Store robots.txt's Crawl-delay for the host, for every worker."""
        millis = min(max(int((seconds or 0.0) * 1000), 0), _MAX_CRAWL_DELAY_MS)
        hash_key, _ = self._shared.keys.host(host)
        self._spawn(self._hset(hash_key, "crawl", millis), None)

    def record(self, host: str, status: int, latency: float, retry_after: float | None) -> None:
        """Report the answer's status, latency and Retry-After: opens the gate for the next."""
        self._report(host, status, latency, retry_after)

    def record_timeout(self, host: str, seconds: float) -> None:
        """Report a request that timed out as an answer that took ``seconds``."""
        self._report(host, 0, seconds, None)

    def _report(self, host: str, status: int, latency: float, retry_after: float | None) -> None:
        """Send a report in the background; the slot's exit waits for it."""
        token = _current.get(None)
        if token is None:
            return  # not inside a slot of ours: nothing to attribute it to
        if self._base_ms == 0:  # no delay counts from this answer: one call, at the release
            self._answers[token] = (status, latency, retry_after)
            return
        report = self._settle(host, token, status, latency, retry_after, release=False)
        self._spawn(report, self._reports.get(token))

    async def _acquire(self, host: str, token: str) -> None:
        """Ask Redis until the slot is granted; one asking task per host in this process."""
        keys = self._shared.keys.host(host)
        args = (token, self._base_ms, self._per_host, self._ttl_ms)
        async with self._asking.setdefault(host, asyncio.Lock()):
            while (wait := int(await self._shared.run("acquire", keys, args))) > 0:
                await asyncio.sleep(wait / 1000)

    async def _settle(
        self,
        host: str,
        token: str,
        status: int,
        latency: float | None,
        retry_after: float | None,
        *,
        release: bool,
    ) -> None:
        """Run settle.lua: the host's pace after an answer, the gate opened, the slot freed."""
        args: Sequence[object] = (
            token, self._base_ms, status,
            -1 if latency is None else int(latency * 1000),
            -1 if retry_after is None else int(retry_after * 1000),
            "1" if release else "",
        )  # fmt: skip
        await self._shared.run("settle", self._shared.keys.host(host), args)

    async def _hset(self, key: str, field: str, value: int) -> None:
        """One HSET, its failure raised as the shared frontier's error."""
        try:
            await self._shared.redis.hset(key, field, str(value))
        except RedisError as exc:
            raise self._shared.error(exc) from exc

    def _spawn(
        self, report: Coroutine[Any, Any, None], into: list[asyncio.Task[None]] | None
    ) -> None:
        """Run a report as a task kept referenced until it ends; a failure is logged."""
        task = asyncio.create_task(report)
        self._background.add(task)
        task.add_done_callback(self._done)
        if into is not None:
            into.append(task)

    def _done(self, task: asyncio.Task[None]) -> None:
        """Forget a finished report; log why it failed, if it did (the pace is advisory)."""
        self._background.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            _log.warning("a politeness report to Redis was lost: %s", exc)
