"""``scraper status`` on the shared frontier: per source its run (in progress or last), URLs
queued (per host) and leased, the run's counts; for the crawl the workers alive and the
memory the URL dedup sets take.

The per-host split reads the queue (``ZSCAN``), at most ``HOST_SCAN_LIMIT`` entries: the
status of a queue of millions stays quick, and says when it counted only part of it.
"""

from __future__ import annotations

import asyncio
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any, Final

from scraper.config import Config
from scraper.crawl.shared.client import SharedRedis
from scraper.crawl.shared.runs import SharedRuns

__all__ = ["HOST_SCAN_LIMIT", "SharedSourceStatus", "SharedStatus", "shared_status"]

HOST_SCAN_LIMIT: Final = 100_000  # queue entries read to split the queue by host
_ALIVE_BEATS: Final = 3  # a worker counts as alive if it beat within this many heartbeats
_BEAT_MS: Final = 5_000


@dataclass(frozen=True)
class SharedSourceStatus:
    """One source of a shared crawl."""

    source: str
    run: str  # never | in progress | finished | failed
    started: str | None
    finished: str | None
    queued: int
    leased: int
    taken: int
    counts: dict[str, int]
    hosts: dict[str, int]  # queued URLs per host (from at most HOST_SCAN_LIMIT entries)
    error: str | None = None


@dataclass(frozen=True)
class SharedStatus:
    """The shared crawl: its sources, its workers, and the dedup sets' memory."""

    redis: str
    workers_alive: list[str]
    seen_bytes: int  # memory of the URL dedup sets of every source, as Redis reports it
    seen_urls: int
    sources: list[SharedSourceStatus]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


def shared_status(config: Config) -> SharedStatus:
    """Read the shared frontier's state (synchronous entry point for the CLI).

    Raises:
        SharedFrontierError: Redis is unreachable.
    """
    return asyncio.run(_status(config))


async def _status(config: Config) -> SharedStatus:
    """Read every source's status and the workers' heartbeats."""
    shared = SharedRedis(config.frontier)
    try:
        await shared.ping()
        runs = SharedRuns(shared)
        keys = shared.keys
        now_s, micros = await shared.call(shared.redis.time())
        alive_since = now_s * 1000 + micros // 1000 - _ALIVE_BEATS * _BEAT_MS
        alive = await shared.call(
            shared.redis.zrangebyscore(keys.crawl("workers"), alive_since, "+inf")
        )
        seen = [keys.of("seen", source.name) for source in config.sources]
        return SharedStatus(
            config.frontier.url,
            sorted(str(w) for w in alive),
            sum([await _memory(shared, key) for key in seen]),
            sum([await _card(shared, key) for key in seen]),
            [await _source(shared, runs, source.name) for source in config.sources],
        )
    finally:
        await shared.close()


async def _source(shared: SharedRedis, runs: SharedRuns, name: str) -> SharedSourceStatus:
    """One source's run and backlog."""
    run = await runs.current(name)
    backlog = await runs.backlog(name)
    last = (await runs.history(name))[:1]
    error = last[0].get("error") if last and run.get("finished") else None
    state = "never" if not run else "in progress" if not run.get("finished") else "finished"
    if error:
        state = "failed"
    return SharedSourceStatus(
        name, state, run.get("started"), run.get("finished") or None,
        backlog.queued, backlog.leased, backlog.taken,
        dict(await runs.counts(name)), await _hosts(shared, shared.keys.of("queue", name)), error,
    )  # fmt: skip


async def _hosts(shared: SharedRedis, queue: str) -> dict[str, int]:
    """Queued URLs per host, from at most HOST_SCAN_LIMIT entries of the queue."""
    hosts: Counter[str] = Counter()
    read = 0
    async for url, _score in shared.redis.zscan_iter(queue, count=1000):
        hosts[urllib.parse.urlsplit(str(url)).hostname or ""] += 1
        read += 1
        if read >= HOST_SCAN_LIMIT:
            break
    return dict(hosts.most_common())


async def _memory(shared: SharedRedis, key: str) -> int:
    """Bytes a key takes in Redis (0 when it does not exist)."""
    found = await shared.call(shared.redis.memory_usage(key, samples=0))
    return int(found or 0)


async def _card(shared: SharedRedis, key: str) -> int:
    """Members of a set."""
    return int(await shared.call(shared.redis.scard(key)))
