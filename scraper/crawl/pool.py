"""Where ``analyse`` runs: a pool of two worker processes (the machine's two cores).

Measured on 300 pages of the wcxb-dev benchmark set (real pages, 2 cores): inline in the event
loop 4.7 s, in a 2-process pool 2.9 s (1.6x), so the crawl keeps the pool. The workers are
forked from the crawler (a fork server outlived a kill -9 of the crawler in our tests), and
each watches its parent: when the crawler is killed, they exit instead of lingering. They run
only ``analyse`` (no logging, no I/O), so forking a process that has threads is safe here.
The pool starts its workers on entry, before the crawl opens its state and sink, so that no
worker inherits their files or the sink folder's lock.

Measured on the 2,000-page crawl benchmark and not kept: workers started as fresh lean Pythons
(importing only ``analyse``, not the fetcher, config, sinks and CLI) hold as much RSS as forked
ones (72 against 75 MB each: their memory is extraction's working set, not imports) and more
PSS (179 against 172 MB for the whole crawl). One lean worker instead of two: 161 MB of RSS and
127 MB of PSS, but extraction on one core.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Final

from scraper.crawl.analyse import Analysis, analyse
from scraper.errors import ScraperError
from scraper.extract import SiteTemplate

__all__ = ["EXTRACT_PROCESSES", "AnalysePool", "AnalysePoolError"]

EXTRACT_PROCESSES: Final = 2  # one per core of the machine
_PARENT_CHECK = 0.5  # seconds between a worker's checks that the crawler is still alive


def _watch_parent(parent: int) -> None:
    """Exit the worker when the crawler that started it is gone."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
    os._exit(0)


def _start_worker() -> None:
    """Worker initialiser: watch the crawler in a thread."""
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


def _ready() -> None:
    """A no-op run in each worker at start, so that all of them exist before files are opened."""


class AnalysePoolError(ScraperError):
    """An extraction worker process died (out of memory, killed); the run stops."""


class AnalysePool:
    """``await pool.analyse(html, url)`` in a worker process; an async context manager."""

    def __init__(self, processes: int = EXTRACT_PROCESSES) -> None:
        self._processes = processes
        self._executor = ProcessPoolExecutor(
            processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
        )

    async def __aenter__(self) -> AnalysePool:
        loop = asyncio.get_running_loop()
        started = [loop.run_in_executor(self._executor, _ready) for _ in range(self._processes)]
        await asyncio.gather(*started)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    async def analyse(self, html: str, url: str, template: SiteTemplate | None) -> Analysis:
        """The page's article (without ``template``) and links, computed in a worker process."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, analyse, html, url, template)
        except BrokenProcessPool as exc:
            raise AnalysePoolError(
                f"{url}: an extraction worker process died ({exc}); check memory and run the "
                "crawl again (it resumes where it stopped)"
            ) from exc
