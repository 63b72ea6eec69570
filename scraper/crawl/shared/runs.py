"""A source's runs in the shared frontier: start one, queue its entry points, see it drain, close.

A run is *in progress* from ``start`` (before discovery, so that workers wait for its URLs)
until ``finish``; it is *drained* when nothing is queued (or its ``max_pages`` are spent)
and no worker holds a lease. ``scraper crawl`` starts and finishes runs; workers only take
URLs from runs in progress.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from redis.exceptions import RedisError

from scraper.crawl.frontier import QueuedURL
from scraper.crawl.shared.client import SharedRedis

__all__ = ["RUN_KEYS", "Backlog", "SharedRuns"]

# The per-source keys that belong to one run: cleared when a new run starts.
RUN_KEYS: Final = (
    "queue", "leases", "owners", "depths", "pending", "seen", "taken", "counts", "failures",
)  # fmt: skip
_HISTORY: Final = 100  # finished runs kept per source


@dataclass(frozen=True)
class Backlog:
    """What remains of a source's run."""

    queued: int
    leased: int
    taken: int

    def drained(self, max_pages: int) -> bool:
        """Nobody holds a URL, and nothing is queued or the budget is spent."""
        return self.leased == 0 and (self.queued == 0 or self.taken >= max_pages)


class SharedRuns:
    """Runs of every source of a shared crawl.

    Args:
        shared: the crawl's Redis.
    """

    def __init__(self, shared: SharedRedis) -> None:
        self._shared = shared
        self._redis = shared.redis
        self._keys = shared.keys

    async def current(self, source: str) -> dict[str, str]:
        """The source's current or last run (id, started, finished, error); {} if none."""
        found = await self._shared.call(self._redis.hgetall(self._keys.of("run", source)))
        return {str(k): str(v) for k, v in found.items()}

    async def in_progress(self, source: str) -> bool:
        """A run of the source is started and not finished."""
        run = await self.current(source)
        return bool(run) and not run.get("finished")

    async def start(self, source: str, started: str) -> int:
        """Clear the previous run's queue and counts and mark a new run in progress."""
        run_id = int(await self._shared.call(self._redis.incr(self._keys.crawl("run_ids"))))
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(*(self._keys.of(part, source) for part in RUN_KEYS))
                pipe.delete(self._keys.of("run", source))
                pipe.hset(self._keys.of("run", source), mapping={"id": run_id, "started": started})
                await pipe.execute()
        except RedisError as exc:
            raise self._shared.error(exc) from exc
        return run_id

    async def enqueue(self, source: str, entries: Iterable[QueuedURL]) -> int:
        """Queue the run's entry points; returns how many were new."""
        keys = (
            self._keys.of("queue", source), self._keys.of("depths", source),
            self._keys.of("seen", source), self._keys.crawl("seq"),
        )  # fmt: skip
        payload = json.dumps([[e.url, e.depth] for e in entries])
        return int(await self._shared.run("enqueue", keys, (payload,)))

    async def backlog(self, source: str) -> Backlog:
        """Queued and leased URLs and the URLs taken, of the source's run."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.zcard(self._keys.of("queue", source))
                pipe.zcard(self._keys.of("leases", source))
                pipe.get(self._keys.of("taken", source))
                queued, leased, taken = await pipe.execute()
        except RedisError as exc:
            raise self._shared.error(exc) from exc
        return Backlog(int(queued), int(leased), int(taken or 0))

    async def counts(self, source: str) -> Counter[str]:
        """The run's page outcomes, from every worker."""
        found = await self._shared.call(self._redis.hgetall(self._keys.of("counts", source)))
        return Counter({str(k): int(v) for k, v in found.items()})

    async def count(self, source: str, outcome: str) -> None:
        """Count one outcome for the run (the coordinator's own: discovery, seeds)."""
        await self._shared.call(self._redis.hincrby(self._keys.of("counts", source), outcome, 1))

    async def fail(self, source: str, url: str, reason: str) -> None:
        """Record a failed URL of the run."""
        await self._shared.call(self._redis.hset(self._keys.of("failures", source), url, reason))
        await self.count(source, "failed")

    async def failures(self, source: str) -> list[tuple[str, str]]:
        """(url, reason) of the run's failed pages, sorted by URL."""
        found = await self._shared.call(self._redis.hgetall(self._keys.of("failures", source)))
        return sorted((str(u), str(r)) for u, r in found.items())

    async def finish(
        self, source: str, finished: str, counts: Counter[str], error: str | None
    ) -> None:
        """Mark the run finished and keep it in the source's history."""
        run = await self.current(source)
        entry = {**run, "finished": finished, "counts": dict(counts), "error": error}
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self._keys.of("run", source), mapping={"finished": finished})
                pipe.lpush(self._keys.of("runs", source), json.dumps(entry))
                pipe.ltrim(self._keys.of("runs", source), 0, _HISTORY - 1)
                await pipe.execute()
        except RedisError as exc:
            raise self._shared.error(exc) from exc

    async def history(self, source: str, limit: int = 1) -> list[dict[str, Any]]:
        """The source's finished runs, newest first."""
        found = await self._shared.call(
            self._redis.lrange(self._keys.of("runs", source), 0, limit - 1)
        )
        return [json.loads(entry) for entry in found]

    async def last_completed(self, source: str) -> datetime | None:
        """When the source's last run that finished without error started."""
        for entry in await self.history(source, _HISTORY):
            if not entry.get("error"):
                return datetime.fromisoformat(entry["started"])
        return None
