"""The page loop of one source: take URLs from a ``RunStore`` and fetch, analyse, decide, store.

Used by both crawl modes: ``scraper crawl`` with the SQLite frontier (runner.py opens the run
and closes it) and ``scraper worker`` with the shared Redis frontier (worker.py).

1. **take**: ``crawl.workers`` tasks take URLs breadth-first until the store is drained or
   ``max_pages`` were fetched; the Fetcher applies the global and per-host limits.
2. **settle**: a URL a dead worker was writing (shared frontier only) is first looked up in
   the sink: if its record arrived, the pending state is saved and nothing is fetched.
3. **fetch**: conditional GET with the stored validators; a 304 re-queues the links we stored
   last time; otherwise ``analyse`` (article + links) runs in the process pool, given the
   template of the page's site.
4. **capture**: with ``[crawl] warc`` set, the response is written to a WARC file and fsynced
   (warc.py), before anything of the page reaches the sink.
5. **decide** (decide.py): listing/other pages and empty pages are not stored; the same text
   as the stored revision is unchanged; the same text as another URL's record is a duplicate;
   anything else is a record, revision + 1. A stored or unchanged article's blocks are
   counted for its site (they shape the templates of the next runs).
6. **store**: the page's pending state is saved in the store, the record written and
   committed to the sink, and only then the page marked done.
"""

from __future__ import annotations

import asyncio
import contextlib
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from scraper.config import SourceConfig
from scraper.crawl.analyse import Analysis
from scraper.crawl.decide import decide
from scraper.crawl.frontier import QueuedURL
from scraper.crawl.pool import ExtractionCrashed
from scraper.crawl.records import CrawlInfo, build_record
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.site_blocks import LEARNED_OUTCOMES, SiteBlocks, site_of
from scraper.crawl.state import KnownPage, PageUpdate
from scraper.crawl.store import RunStore
from scraper.crawl.urls import LinkRules, normalise_url
from scraper.crawl.warc import Capture, WarcWriter
from scraper.errors import FetchError, InvalidURLError
from scraper.extract import SiteTemplate
from scraper.fetch import Fetcher
from scraper.models import Page
from scraper.sink import Sink

__all__ = ["CrawlContext", "SourceWork"]

# The queue length shown in the progress display is refreshed every this many pages.
QUEUE_REPORT_EVERY = 10


@dataclass
class CrawlContext:
    """What every source's run shares: fetcher, analysis pool, sink, observer, and the WARC
    writer when raw capture is on."""

    fetcher: Fetcher
    analyse: Callable[[str, str, SiteTemplate | None], Awaitable[Analysis]]
    sink: Sink
    observer: Observer
    workers: int
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    capture: WarcWriter | None = None
    sink_has: Callable[[str], bool] | None = None  # default sink.has; workers see each other's


class SourceWork:
    """The page loop of one source over a store.

    Args:
        source: the [[sources]] entry.
        ctx: fetcher, pool, sink, observer.
        store: the source's queue and the per-URL state.
        report: counts and failures, filled as pages finish.
        site_blocks: where stored articles' blocks are counted (SQLite state only).
        templates: each site's learned template, applied to its pages.
    """

    def __init__(
        self,
        source: SourceConfig,
        ctx: CrawlContext,
        store: RunStore,
        report: SourceReport,
        *,
        site_blocks: SiteBlocks | None = None,
        templates: dict[str, SiteTemplate] | None = None,
    ) -> None:
        self.source = source
        self.ctx = ctx
        self.store = store
        self.report = report
        self.rules = LinkRules.from_source(source)
        self.site_blocks = site_blocks
        self.templates = templates or {}
        self.in_flight = 0
        self.changed = asyncio.Condition()

    async def work(self) -> None:
        """Run the tasks until none has anything left to do; a task's error is raised."""
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self.ctx.workers):
                    group.create_task(self._worker())
        except* Exception as errors:
            raise errors.exceptions[0] from None

    async def _worker(self) -> None:
        """Take URLs and handle them; return when the run is done."""
        while (item := await self._next()) is not None:
            try:
                await self._handle(item)
            finally:
                async with self.changed:
                    self.in_flight -= 1
                    self.changed.notify_all()

    async def _next(self) -> QueuedURL | None:
        """The next URL, waiting while this or another process may still queue links."""
        async with self.changed:
            while not self.ctx.stopping.is_set():
                item = await self.store.claim(self.source.max_pages)
                if item is not None:
                    self.in_flight += 1
                    return item
                if self.in_flight == 0 and await self.store.drained():
                    break
                if self.store.poll is None:
                    await self.changed.wait()
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.changed.wait(), self.store.poll)
            self.changed.notify_all()
            return None

    async def _handle(self, item: QueuedURL) -> None:
        """Fetch, analyse, decide and store one URL."""
        if item.pending is not None and await self._settled(item, item.pending):
            return
        known = await self.store.known(item.url)
        try:
            page = await self.ctx.fetcher.fetch(
                item.url,
                etag=known.etag if known else None,
                last_modified=known.last_modified if known else None,
            )
        except FetchError as exc:
            await self.fail(item.url, exc.reason)
            await self.store.finish(item, None, ())
            return
        await self.count(item.url, "fetched", None)
        if page.not_modified and known is not None:
            update = self._update(item, page, "unchanged", known.links, known)
            await self.store.finish(item, update, self._follow(known.links, item.depth))
            await self.count(item.url, "unchanged", None)
            return
        template = self.templates.get(site_of(page.final_url))
        try:
            analysis = await self.ctx.analyse(page.text, page.final_url, template)
        except ExtractionCrashed:  # the pool has started another process
            await self.fail(item.url, "extraction process died on this page")
            await self.store.finish(item, None, ())
            return
        await self._decide(item, page, analysis, known)

    async def _settled(self, item: QueuedURL, pending: str) -> bool:
        """A dead worker's write: if the sink has its record, save its state and stop here."""
        update = PageUpdate.from_json(pending)
        has = self.ctx.sink_has or self.ctx.sink.has
        if update.record_id is None or not has(update.record_id):
            return False
        if await self.store.end_write(item, update):
            await self.count(item.url, "stored", None)
        return True

    async def _decide(
        self, item: QueuedURL, page: Page, analysis: Analysis, known: KnownPage | None
    ) -> None:
        """Capture the response, then store the article or record why not; queue the links."""
        self._capture(item, page)
        article, links = analysis.article, analysis.links  # normalised in the worker
        holder = await self.store.holder_of(article.content_hash)
        decision = decide(article, item.url, known.content_hash if known else None, holder)
        if decision.outcome in LEARNED_OUTCOMES and self.site_blocks is not None:
            site = site_of(page.final_url)
            self.site_blocks.record(item.url, site, self.source.name, analysis.prints)
        if decision.outcome == "stored":
            await self._store(item, page, analysis, links, known)
            return
        update = self._update(
            item, page, decision.outcome, links, known, duplicate_of=decision.duplicate_of
        )
        if await self.store.finish(item, update, self._follow(links, item.depth)):
            await self.count(item.url, decision.outcome, decision.duplicate_of)

    def _capture(self, item: QueuedURL, page: Page) -> None:
        """Write the response to the WARC files (fsynced) when raw capture is on."""
        if self.ctx.capture is not None:
            self.ctx.capture.write(
                Capture(
                    item.url, page.final_url, page.status, page.headers, page.content,
                    self.source.name, page.fetched_at,
                )
            )  # fmt: skip

    async def _store(
        self,
        item: QueuedURL,
        page: Page,
        analysis: Analysis,
        links: tuple[str, ...],
        known: KnownPage | None,
    ) -> None:
        """Write the record: pending state first, then the sink, then done."""
        revision = (known.revision if known else 0) + 1
        final = _normalise_or_self(page.final_url)
        duplicates = [u for u in (item.url,) if u != final]
        duplicates += await self.store.duplicates_of(item.url)
        info = CrawlInfo(
            self.source.name, page.fetched_at, revision, page.status, page.final_url, duplicates
        )
        record = build_record(analysis.article, item.url, info)
        update = self._update(
            item, page, "stored", links, known,
            content_hash=analysis.article.content_hash, record_id=record["id"], revision=revision,
        )  # fmt: skip
        if not await self.store.begin_write(item, update, self._follow(links, item.depth)):
            return  # our hold on the URL expired and another worker has it now
        self.ctx.sink.write(record)
        self.ctx.sink.commit()
        if await self.store.end_write(item, update):
            await self.count(item.url, "stored", None)

    def _update(
        self,
        item: QueuedURL,
        page: Page,
        outcome: str,
        links: tuple[str, ...],
        known: KnownPage | None,
        *,
        duplicate_of: str | None = None,
        content_hash: str | None = None,
        record_id: str | None = None,
        revision: int = 0,
    ) -> PageUpdate:
        """The page's new state; validators from the response, else the ones we had."""
        headers = {k.lower(): v for k, v in page.headers.items()}
        return PageUpdate(
            url=item.url,
            source=self.source.name,
            final_url=page.final_url,
            etag=headers.get("etag") or (known.etag if known else None),
            last_modified=headers.get("last-modified") or (known.last_modified if known else None),
            outcome=outcome,
            links=links,
            fetched_at=page.fetched_at,
            content_hash=content_hash,
            record_id=record_id,
            revision=revision,
            duplicate_of=duplicate_of,
        )

    def _follow(self, links: Iterable[str], depth: int) -> list[QueuedURL]:
        """The links this source crawls, one level deeper."""
        return [QueuedURL(u, depth + 1) for u in links if self.rules.allows(u, depth + 1)]

    async def fail(self, url: str, reason: str) -> None:
        """Count and remember a failed page."""
        self.report.failures.append((url, reason))
        await self.store.record_failure(url, reason)
        await self.count(url, "failed", reason)

    async def count(self, url: str, outcome: str, detail: str | None) -> None:
        """Count an outcome, locally and in the store, and tell the observer."""
        self.report.counts[outcome] += 1
        await self.store.count(outcome)
        self.ctx.observer.page_done(self.source.name, url, outcome, detail)
        if self.report.counts.total() % QUEUE_REPORT_EVERY == 0:
            host = urllib.parse.urlsplit(url).hostname or ""
            self.ctx.observer.queue_size(self.source.name, host, await self.store.queued())


def _normalise_or_self(url: str) -> str:
    """The URL's normal form, or the URL itself if it has none."""
    try:
        return normalise_url(url)
    except InvalidURLError:
        return url
