"""One run of one source: the crawl loop.

1. **open the run**: settle what a killed run left (``Frontier.recover``: records the sink has
   are marked done, the rest fetched again); resume that run, or start a new one from the seeds
   and the URLs the sitemaps and feeds list, configured or discovered (entry.py); what
   discovery could not read is logged and counted (``discovery_failed``), never fatal.
   Each site's template is learned from the state's block counts (site_blocks.py), once: the
   whole run extracts with the same templates.
2. **workers** (``crawl.workers`` of them) take URLs breadth-first until the queue is empty or
   ``max_pages`` were fetched; the Fetcher applies the global and per-host limits.
3. **each page**: conditional GET with the stored validators; a 304 re-queues the links we
   stored last time; otherwise ``analyse`` (article + links) runs in the process pool, given
   the template of the page's site.
4. **capture**: with ``[crawl] warc`` set, the response is written to a WARC file and fsynced
   (warc.py), before anything of the page reaches the sink.
5. **decide** (decide.py): listing/other pages and empty pages are not stored; the same text
   as the stored revision is unchanged; the same text as another URL's record is a duplicate;
   anything else is a record, revision + 1. A stored or unchanged article's blocks are
   counted for its site (they shape the templates of the next runs).
6. **store**: the page's pending state is saved in the frontier, the record written and
   committed to the sink, and only then the page marked done (see frontier.py).
"""

from __future__ import annotations

import asyncio
import logging
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scraper.config import SourceConfig
from scraper.crawl.analyse import Analysis
from scraper.crawl.decide import decide
from scraper.crawl.entry import entry_points
from scraper.crawl.frontier import Frontier, QueuedURL
from scraper.crawl.records import CrawlInfo, build_record
from scraper.crawl.report import Observer, SourceReport
from scraper.crawl.site_blocks import LEARNED_OUTCOMES, SiteBlocks, site_of
from scraper.crawl.state import KnownPage, PageUpdate, State
from scraper.crawl.urls import LinkRules, normalise_url
from scraper.crawl.warc import Capture, WarcWriter
from scraper.errors import FetchError, InvalidURLError
from scraper.extract import SiteTemplate
from scraper.fetch import Fetcher
from scraper.models import Page
from scraper.sink import Sink

__all__ = ["CrawlContext", "crawl_source"]

# The queue length shown in the progress display is refreshed every this many pages.
QUEUE_REPORT_EVERY = 10

_log = logging.getLogger(__name__)


@dataclass
class CrawlContext:
    """What every source's run shares: fetcher, analysis pool, state, sink, observer, and the
    WARC writer when raw capture is on."""

    fetcher: Fetcher
    analyse: Callable[[str, str, SiteTemplate | None], Awaitable[Analysis]]
    state: State
    sink: Sink
    observer: Observer
    workers: int
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    capture: WarcWriter | None = None


async def crawl_source(
    source: SourceConfig, ctx: CrawlContext, report: SourceReport
) -> SourceReport:
    """Run one source until its queue is empty, its page budget spent, or a stop is asked.

    Args:
        source: the [[sources]] entry.
        ctx: the crawl's fetcher, state, sink, pool and observer.
        report: filled as pages finish, so that a caller whose run fails half-way still has
            the counts of what was stored.

    Returns:
        The run's report; ``report.failed`` tells whether the source as a whole failed.

    Raises:
        ScraperError: the state or the sink failed (the caller records the source as failed).
    """
    ctx.observer.source_started(source.name)
    run = _Run(source, ctx, report)
    run_id = await run.open()
    await run.work()
    report.stopped = ctx.stopping.is_set()
    if not report.stopped:
        counts = {k: int(v) for k, v in report.counts.items()}
        ctx.state.finish_run(run_id, _now(), counts, report.reason if report.failed else None)
    ctx.observer.source_finished(report)
    return report


class _Run:
    """The state of one source's run while its workers go."""

    def __init__(self, source: SourceConfig, ctx: CrawlContext, report: SourceReport) -> None:
        self.source = source
        self.ctx = ctx
        self.report = report
        self.rules = LinkRules.from_source(source)
        self.frontier = Frontier(ctx.state, source.name)
        self.site_blocks = SiteBlocks(ctx.state)
        self.templates: dict[str, SiteTemplate] = {}
        self.run_id = 0
        self.in_flight = 0
        self.changed = asyncio.Condition()

    async def open(self) -> int:
        """Recover what a killed run left, then resume it or start a new run."""
        state, name = self.ctx.state, self.source.name
        self.frontier.recover(self.ctx.sink.has)
        self.templates = self.site_blocks.templates()
        unfinished = state.unfinished_run(name)
        if unfinished is not None and self.frontier.queued():
            self.run_id = unfinished
            return unfinished
        self.run_id = unfinished if unfinished is not None else state.start_run(name, _now())
        found = await entry_points(self.ctx.fetcher, self.source, state.last_completed(name))
        for url, reason in found.failures:
            self._fail(url, reason)
        for url, reason in found.discovery_failures:
            _log.warning("%s: discovery skipped %s: %s", name, url, reason)
            self._count(url, "discovery_failed", reason)
        self.frontier.restart(found.queued)
        return self.run_id

    async def work(self) -> None:
        """Run the workers until none has anything left to do; a worker's error is raised."""
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
        """The next URL, waiting while other workers may still queue links."""
        async with self.changed:
            while not self.ctx.stopping.is_set():
                item = self.frontier.claim(self.source.max_pages)
                if item is not None:
                    self.in_flight += 1
                    return item
                if self.in_flight == 0:
                    break
                await self.changed.wait()
            self.changed.notify_all()
            return None

    async def _handle(self, item: QueuedURL) -> None:
        """Fetch, analyse, decide and store one URL."""
        known = self.ctx.state.known(item.url)
        try:
            page = await self.ctx.fetcher.fetch(
                item.url,
                etag=known.etag if known else None,
                last_modified=known.last_modified if known else None,
            )
        except FetchError as exc:
            self._fail(item.url, exc.reason)
            self.frontier.finish(item, None, ())
            return
        self._count(item.url, "fetched", None)
        if page.not_modified and known is not None:
            update = self._update(item, page, "unchanged", known.links, known)
            self.frontier.finish(item, update, self._follow(known.links, item.depth))
            self._count(item.url, "unchanged", None)
            return
        template = self.templates.get(site_of(page.final_url))
        analysis = await self.ctx.analyse(page.text, page.final_url, template)
        self._decide(item, page, analysis, known)

    def _decide(
        self, item: QueuedURL, page: Page, analysis: Analysis, known: KnownPage | None
    ) -> None:
        """Capture the response, then store the article or record why not; queue the links."""
        self._capture(item, page)
        article, links = analysis.article, analysis.links  # normalised in the worker
        holder = self.ctx.state.holder_of(article.content_hash)
        decision = decide(article, item.url, known.content_hash if known else None, holder)
        if decision.outcome in LEARNED_OUTCOMES:
            site = site_of(page.final_url)
            self.site_blocks.record(item.url, site, self.source.name, analysis.prints)
        if decision.outcome == "stored":
            self._store(item, page, analysis, links, known)
            return
        update = self._update(
            item, page, decision.outcome, links, known, duplicate_of=decision.duplicate_of
        )
        self.frontier.finish(item, update, self._follow(links, item.depth))
        self._count(item.url, decision.outcome, decision.duplicate_of)

    def _capture(self, item: QueuedURL, page: Page) -> None:
        """Write the response to the WARC files (fsynced) when raw capture is on."""
        if self.ctx.capture is not None:
            self.ctx.capture.write(
                Capture(
                    item.url, page.final_url, page.status, page.headers, page.content,
                    self.source.name, page.fetched_at,
                )
            )  # fmt: skip

    def _store(
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
        duplicates = [u for u in (item.url,) if u != final] + self.ctx.state.duplicates_of(item.url)
        info = CrawlInfo(
            self.source.name, page.fetched_at, revision, page.status, page.final_url, duplicates
        )
        record = build_record(analysis.article, item.url, info)
        update = self._update(
            item, page, "stored", links, known,
            content_hash=analysis.article.content_hash, record_id=record["id"], revision=revision,
        )  # fmt: skip
        self.frontier.begin_write(item, update, self._follow(links, item.depth))
        self.ctx.sink.write(record)
        self.ctx.sink.commit()
        self.frontier.end_write(item, update)
        self._count(item.url, "stored", None)

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

    def _fail(self, url: str, reason: str) -> None:
        """Count and remember a failed page."""
        self.report.failures.append((url, reason))
        self.ctx.state.record_failure(self.run_id, url, reason)
        self._count(url, "failed", reason)

    def _count(self, url: str, outcome: str, detail: str | None) -> None:
        """Count an outcome and tell the observer."""
        self.report.counts[outcome] += 1
        self.ctx.observer.page_done(self.source.name, url, outcome, detail)
        if self.report.counts.total() % QUEUE_REPORT_EVERY == 0:  # a COUNT(*) query each time
            host = urllib.parse.urlsplit(url).hostname or ""
            self.ctx.observer.queue_size(self.source.name, host, self.frontier.queued())


def _normalise_or_self(url: str) -> str:
    """The URL's normal form, or the URL itself if it has none."""
    try:
        return normalise_url(url)
    except InvalidURLError:
        return url


def _now() -> str:
    """The current time, ISO 8601 UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")
