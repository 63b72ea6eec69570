"""What the page loop (pages.py) needs of a frontier and its per-URL state: the ``RunStore``.

Two implementations hold the same contract:

- ``SqliteRunStore`` (here): one source's queue in the SQLite state file (frontier.py,
  state.py), for one crawler process. ``poll`` is None: only this process queues links, so
  the loop waits for its own pages instead of polling.
- ``RedisRunStore`` (shared/store.py): the queue, leases and state in Redis, shared by any
  number of ``scraper worker`` processes. ``poll`` is how often an idle worker asks again,
  since links may arrive from other processes.

Every method is a coroutine so that a store that talks to a server never blocks the event
loop; the SQLite one runs inline, as its transactions take well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from scraper.crawl.frontier import Frontier, QueuedURL
from scraper.crawl.state import KnownPage, PageUpdate, State

__all__ = ["RunStore", "SqliteRunStore"]


class RunStore(Protocol):
    """One source's queue and the crawl's memory of every URL, as seen by the page loop."""

    poll: float | None  # seconds between claims while other processes may queue links

    async def claim(self, max_pages: int) -> QueuedURL | None:
        """The next URL to fetch (held for us), or None when nothing is ready now."""
        ...

    async def drained(self) -> bool:
        """True when nothing is queued (or the budget is spent) and nobody holds a URL."""
        ...

    async def known(self, url: str) -> KnownPage | None:
        """What earlier fetches left of ``url``."""
        ...

    async def holder_of(self, content_hash: str) -> str | None:
        """The URL whose stored record holds this content."""
        ...

    async def duplicates_of(self, url: str) -> list[str]:
        """URLs recorded as serving the same text as ``url``."""
        ...

    async def finish(
        self, item: QueuedURL, update: PageUpdate | None, links: Iterable[QueuedURL]
    ) -> bool:
        """Save the page's state, queue its links, mark it done; False if it was not ours."""
        ...

    async def begin_write(
        self, item: QueuedURL, update: PageUpdate, links: Iterable[QueuedURL]
    ) -> bool:
        """Hold the page's new state while its record goes to the sink; queue its links."""
        ...

    async def end_write(self, item: QueuedURL, update: PageUpdate) -> bool:
        """The sink committed the record: save the page's state and mark it done."""
        ...

    async def record_failure(self, url: str, reason: str) -> None:
        """Remember why a page failed in this run."""
        ...

    async def count(self, outcome: str) -> None:
        """Count a page's outcome where every process of the crawl can read it."""
        ...

    async def queued(self) -> int:
        """URLs waiting."""
        ...


class SqliteRunStore:
    """A source's run in the SQLite state file, for one crawler process.

    Args:
        state: the open state file.
        frontier: the source's frontier on it.
        run_id: the run failures are recorded under.
    """

    poll: float | None = None

    def __init__(self, state: State, frontier: Frontier, run_id: int) -> None:
        self._state = state
        self._frontier = frontier
        self._run_id = run_id

    async def claim(self, max_pages: int) -> QueuedURL | None:
        return self._frontier.claim(max_pages)

    async def drained(self) -> bool:
        return True  # called when this process holds nothing: nobody else adds links

    async def known(self, url: str) -> KnownPage | None:
        return self._state.known(url)

    async def holder_of(self, content_hash: str) -> str | None:
        return self._state.holder_of(content_hash)

    async def duplicates_of(self, url: str) -> list[str]:
        return self._state.duplicates_of(url)

    async def finish(
        self, item: QueuedURL, update: PageUpdate | None, links: Iterable[QueuedURL]
    ) -> bool:
        self._frontier.finish(item, update, links)
        return True

    async def begin_write(
        self, item: QueuedURL, update: PageUpdate, links: Iterable[QueuedURL]
    ) -> bool:
        self._frontier.begin_write(item, update, links)
        return True

    async def end_write(self, item: QueuedURL, update: PageUpdate) -> bool:
        self._frontier.end_write(item, update)
        return True

    async def record_failure(self, url: str, reason: str) -> None:
        self._state.record_failure(self._run_id, url, reason)

    async def count(self, outcome: str) -> None:
        """Nothing to share: the run's counts are saved with the run when it finishes."""

    async def queued(self) -> int:
        return self._frontier.queued()
