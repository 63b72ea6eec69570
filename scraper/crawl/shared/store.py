"""``RedisRunStore``: one source's queue and the crawl's per-URL state in the shared Redis.

The same contract as the SQLite store (scraper/crawl/store.py), for many worker processes:

- ``claim`` takes a URL with a lease (``[frontier] lease`` seconds) and puts back, first, the
  URLs whose leases expired (their worker died): claim.lua.
- a worker renews the leases it holds (``renew``) every third of the lease, so a slow page is
  never taken from a live worker;
- ``finish``, ``begin_write`` and ``end_write`` act only while the caller still holds the
  lease (finish.lua): a worker whose lease expired learns it (False) and stores nothing more.
  A worker that dies between the sink's commit and ``end_write`` leaves the page's state in
  ``pending``: the next worker to take the URL asks the sink whether the record arrived.

Every script runs atomically in Redis, so no URL is handed to two live workers at once.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable

from scraper.config import SourceConfig
from scraper.crawl.frontier import QueuedURL
from scraper.crawl.shared.client import SharedRedis
from scraper.crawl.shared.runs import SharedRuns
from scraper.crawl.state import KnownPage, PageUpdate

__all__ = ["POLL_SECONDS", "RedisRunStore", "known_page"]

POLL_SECONDS = 0.5  # how often an idle worker asks for work while other workers hold URLs
_EMPTY_FOR = 0.2  # seconds a claim that found nothing answers for the process's other tasks


class RedisRunStore:
    """A source's run in the shared frontier, for one worker process.

    Args:
        shared: the crawl's Redis.
        source: the source's config (name, max_pages).
        token: this worker's lease token (unique per process).
        lease: seconds a claimed URL stays ours without renewal.
    """

    poll: float | None = POLL_SECONDS

    def __init__(self, shared: SharedRedis, source: SourceConfig, token: str, lease: float):
        self._shared = shared
        self._redis = shared.redis
        self._name = source.name
        self._max_pages = source.max_pages
        self._token = token
        self._lease_ms = int(lease * 1000)
        keys = shared.keys
        self._queue, self._leases = keys.of("queue", self._name), keys.of("leases", self._name)
        self._owners, self._depths = keys.of("owners", self._name), keys.of("depths", self._name)
        self._pending, self._seen = keys.of("pending", self._name), keys.of("seen", self._name)
        self._taken, self._counts = keys.of("taken", self._name), keys.of("counts", self._name)
        self._failures = keys.of("failures", self._name)
        self._pages, self._contents = keys.crawl("pages"), keys.crawl("contents")
        self._seq = keys.crawl("seq")
        self._runs = SharedRuns(shared)
        self.held: set[str] = set()  # URLs this worker holds leases on, renewed by renew()
        self._unsent: Counter[str] = Counter()  # outcomes counted here, not yet in Redis
        self._empty_until = 0.0  # time.monotonic() before which a claim need not ask Redis

    async def claim(self, max_pages: int) -> QueuedURL | None:
        if time.monotonic() < self._empty_until:
            return None
        keys = (self._queue, self._leases, self._owners, self._depths, self._pending, self._taken)
        found = await self._shared.run("claim", keys, (self._lease_ms, self._token, max_pages))
        if not found:
            self._empty_until = time.monotonic() + _EMPTY_FOR
            await self.flush_counts()  # about to idle: the coordinator sees complete counts
            return None
        url, depth, pending = found
        self.held.add(url)
        return QueuedURL(url, int(depth), pending or None)

    async def drained(self) -> bool:
        return (await self._runs.backlog(self._name)).drained(self._max_pages)

    async def known(self, url: str) -> KnownPage | None:
        found = await self._shared.call(self._redis.hget(self._pages, url))
        return None if found is None else known_page(str(found))

    async def holder_of(self, content_hash: str) -> str | None:
        found = await self._shared.call(self._redis.hget(self._contents, content_hash))
        return None if found is None else str(found)

    async def duplicates_of(self, url: str) -> list[str]:
        found = await self._shared.call(self._redis.smembers(self._shared.keys.dups(url)))
        return sorted(str(u) for u in found)

    async def finish(
        self, item: QueuedURL, update: PageUpdate | None, links: Iterable[QueuedURL]
    ) -> bool:
        return await self._settle(item, "done", update, links)

    async def begin_write(
        self, item: QueuedURL, update: PageUpdate, links: Iterable[QueuedURL]
    ) -> bool:
        return await self._settle(item, "write", update, links)

    async def end_write(self, item: QueuedURL, update: PageUpdate) -> bool:
        return await self._settle(item, "done", update, ())

    async def record_failure(self, url: str, reason: str) -> None:
        await self._shared.call(self._redis.hset(self._failures, url, reason))

    async def count(self, outcome: str) -> None:
        """Counted here; sent with the next finish.lua call, or when the worker idles."""
        self._unsent[outcome] += 1

    async def flush_counts(self) -> None:
        """Send the outcomes counted since the last call that carried them."""
        if not self._unsent:
            return
        unsent, self._unsent = self._unsent, Counter()
        async with self._redis.pipeline(transaction=True) as pipe:
            for outcome, number in unsent.items():
                pipe.hincrby(self._counts, outcome, number)
            await self._shared.call(pipe.execute())

    async def queued(self) -> int:
        return int(await self._shared.call(self._redis.zcard(self._queue)))

    async def renew(self) -> int:
        """Extend the leases of the URLs this worker holds; returns how many were extended."""
        if not self.held:
            return 0
        args = (self._lease_ms, self._token, *sorted(self.held))
        return int(await self._shared.run("renew", (self._leases, self._owners), args))

    async def _settle(
        self, item: QueuedURL, mode: str, update: PageUpdate | None, links: Iterable[QueuedURL]
    ) -> bool:
        """Run finish.lua for the URL; False when its lease was lost."""
        dup_of = update.duplicate_of if update is not None else None
        keys = (
            self._queue, self._leases, self._owners, self._depths, self._pending, self._seen,
            self._seq, self._pages, self._contents,
            self._shared.keys.dups(dup_of) if dup_of else self._pages, self._counts,
        )  # fmt: skip
        claims = update is not None and update.outcome == "stored" and update.record_id
        queued = [[link.url, link.depth] for link in links]
        unsent, self._unsent = self._unsent, Counter()
        args = (
            item.url, self._token, mode,
            update.to_json() if update is not None else "",
            (update.content_hash or "") if claims and update is not None else "",
            "1" if dup_of else "",
            json.dumps(queued),
            json.dumps(unsent),
        )  # fmt: skip
        ours = bool(await self._shared.run("finish", keys, args))
        if queued:
            self._empty_until = 0.0  # links may have been queued: look again
        if mode == "done" or not ours:
            self.held.discard(item.url)
        return ours


def known_page(text: str) -> KnownPage:
    """The KnownPage of a stored page state (``PageUpdate.to_json``, merged by finish.lua)."""
    data = json.loads(text)
    links = data.get("links") or []  # Lua's cjson writes an empty list as {}
    return KnownPage(
        data["url"], data.get("etag"), data.get("last_modified"), data.get("content_hash"),
        data.get("record_id"), int(data.get("revision") or 0), tuple(links),
    )  # fmt: skip
