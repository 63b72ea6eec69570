"""The work behind the routes: fetch (guarded, async), then extract in a worker process.

``ExtractService`` owns the server process's one ``Fetcher`` (so politeness and robots.txt
are shared by every request), its pool of extraction processes and its concurrency slots.
Every extraction, of posted HTML or of a fetched page, runs within ``serve.timeout``:

1. take a slot (``Slots``: 503 at once when none is free);
2. fetch, when given a URL: the Fetcher with [serve]'s address guard (private, loopback,
   link-local and reserved addresses refused on every redirect hop unless allowed);
3. extract and render in a worker process, so the event loop stays free for other requests;
4. past the budget, 504 ``time_budget`` (a worker already busy finishes its page unseen).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import multiprocessing
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Final, TypeVar

from scraper.config import Config
from scraper.fetch import Fetcher, Resolver
from scraper.models import Page
from scraper.serve.errors import ApiError, as_api_error
from scraper.serve.guards import Slots
from scraper.serve.metrics import Metrics
from scraper.serve.work import Rendered, explain_page, extract_page, ready

__all__ = ["BATCH_PARALLEL", "ExtractService"]

BATCH_PARALLEL: Final = 4  # URLs of one batch fetched and extracted at once
_T = TypeVar("_T")


class ExtractService:
    """Fetch-and-extract for the API, within its limits.

    Args:
        config: the whole configuration; [fetch] for the fetcher, [serve] for everything else.
        metrics: where timings and batch-line errors are counted.
        resolver: how the fetcher resolves host names (tests pin names to 127.0.0.1).
    """

    def __init__(
        self, config: Config, metrics: Metrics, *, resolver: Resolver | None = None
    ) -> None:
        serve = config.serve
        self._fetch_config = dataclasses.replace(
            config.fetch,
            allow_private_addresses=serve.allow_private_addresses,
            allowed_networks=serve.allowed_networks,
        )
        self._resolver = resolver
        self._timeout = serve.timeout
        self._processes = serve.extract_processes
        self._metrics = metrics
        self.slots = Slots(serve.concurrency)
        self._fetcher: Fetcher | None = None
        self._pool: ProcessPoolExecutor | None = None

    async def start(self) -> None:
        """Open the fetcher and start every worker process (forkserver: no inherited threads)."""
        self._fetcher = Fetcher(self._fetch_config, resolver=self._resolver)
        context = multiprocessing.get_context("forkserver")
        self._pool = ProcessPoolExecutor(self._processes, mp_context=context)
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            *(loop.run_in_executor(self._pool, ready) for _ in range(self._processes))
        )

    async def close(self) -> None:
        """Close the fetcher's connections and stop the workers."""
        if self._fetcher is not None:
            await self._fetcher.aclose()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of serve.concurrency slots, or raise ApiError 503 when none is free."""
        self.slots.acquire()
        self._metrics.in_flight.inc()
        try:
            yield
        finally:
            self._metrics.in_flight.dec()
            self.slots.release()

    async def extract_html(self, html: str, url: str | None, fmt: str) -> Rendered:
        """Extract posted HTML (``url`` only resolves links; it is not fetched)."""
        return await self._within_budget(lambda: self._extract(extract_page, html, url, None, fmt))

    async def extract_url(self, url: str, fmt: str) -> Rendered:
        """Fetch ``url`` and extract it."""
        return await self._within_budget(lambda: self._fetch_then(extract_page, url, fmt))

    async def explain(self, html: str | None, url: str | None) -> Rendered:
        """Record and explain report, of posted HTML or of the page at ``url``."""
        if html is not None:
            return await self._within_budget(lambda: self._extract(explain_page, html, url, None))
        assert url is not None, "the request model requires url or html"
        return await self._within_budget(lambda: self._fetch_then(explain_page, url))

    async def batch(self, urls: list[str]) -> AsyncIterator[str]:
        """One JSON line per URL, in the order they finish; a failure is an error line."""
        gate = asyncio.Semaphore(BATCH_PARALLEL)

        async def one(index: int, url: str) -> str:
            async with gate:
                return await self._batch_line(index, url)

        tasks = [asyncio.ensure_future(one(i, url)) for i, url in enumerate(urls)]
        try:
            for finished in asyncio.as_completed(tasks):
                yield await finished + "\n"
        finally:
            for task in tasks:
                task.cancel()

    async def _batch_line(self, index: int, url: str) -> str:
        """The JSON line for one URL of a batch: its record, or its error."""
        try:
            rendered = await self.extract_url(url, "json")
        except Exception as exc:  # every failure becomes that URL's error line
            error = as_api_error(exc)
            self._metrics.errors.labels(error.type).inc()
            detail = {"type": error.type, "message": error.message, "status": error.status}
            return json.dumps({"index": index, "url": url, "error": detail}, ensure_ascii=False)
        head = json.dumps({"index": index, "url": url}, ensure_ascii=False)[:-1]
        return f'{head}, "record": {rendered.body}}}'

    async def _within_budget(self, work: Callable[[], Awaitable[_T]]) -> _T:
        """Run ``work`` within serve.timeout, or raise ApiError 504."""
        try:
            async with asyncio.timeout(self._timeout):
                return await work()
        except TimeoutError as exc:
            raise ApiError(
                504,
                "time_budget",
                f"not done within {self._timeout:g} s (serve.timeout); the page is too slow "
                "or too large, or the server too busy; try later",
            ) from exc

    async def _fetch_then(self, job: Callable[..., Rendered], url: str, *args: str) -> Rendered:
        """Fetch ``url``, then run ``job`` on its body in a worker."""
        page = await self._fetch(url)
        return await self._extract(job, page.content, page.final_url, page.encoding, *args)

    async def _fetch(self, url: str) -> Page:
        """The page at ``url``, timed."""
        assert self._fetcher is not None, "start() the service first"
        started = time.monotonic()
        try:
            return await self._fetcher.fetch(url)
        finally:
            self._metrics.fetch_seconds.observe(time.monotonic() - started)

    async def _extract(self, job: Callable[..., Rendered], *args: object) -> Rendered:
        """``job(*args)`` in a worker process, timed."""
        assert self._pool is not None, "start() the service first"
        started = time.monotonic()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, job, *args)
        finally:
            self._metrics.extract_seconds.observe(time.monotonic() - started)
