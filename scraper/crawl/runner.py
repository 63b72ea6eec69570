"""One run of one source on the embedded SQLite frontier: open the run, run the page loop, close.

1. **open the run**: settle what a killed run left (``Frontier.recover``: records the sink has
   are marked done, the rest fetched again); resume that run, or start a new one from the seeds
   and the URLs the sitemaps and feeds list, configured or discovered (entry.py); what
   discovery could not read is logged and counted (``discovery_failed``), never fatal.
   Each site's template is learned from the state's block counts (site_blocks.py), once: the
   whole run extracts with the same templates.
2. **pages**: the page loop (pages.py) over the source's SQLite frontier (store.py).
3. **close**: the run's counts are saved, unless a stop was asked (the next run resumes).

The shared Redis frontier has its own opener (shared/coordinator.py) and the same page loop.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scraper.config import SourceConfig
from scraper.crawl.entry import entry_points
from scraper.crawl.frontier import Frontier
from scraper.crawl.pages import CrawlContext, SourceWork
from scraper.crawl.report import SourceReport
from scraper.crawl.site_blocks import SiteBlocks
from scraper.crawl.state import State
from scraper.crawl.store import SqliteRunStore

__all__ = ["crawl_source", "now_iso"]

_log = logging.getLogger(__name__)


async def crawl_source(
    source: SourceConfig, ctx: CrawlContext, state: State, report: SourceReport
) -> SourceReport:
    """Run one source until its queue is empty, its page budget spent, or a stop is asked.

    Args:
        source: the [[sources]] entry.
        ctx: the crawl's fetcher, sink, pool and observer.
        state: the SQLite state file (frontier and per-URL state).
        report: filled as pages finish, so that a caller whose run fails half-way still has
            the counts of what was stored.

    Returns:
        The run's report; ``report.failed`` tells whether the source as a whole failed.

    Raises:
        ScraperError: the state or the sink failed (the caller records the source as failed).
    """
    ctx.observer.source_started(source.name)
    frontier = Frontier(state, source.name)
    frontier.recover(ctx.sink.has)
    site_blocks = SiteBlocks(state)
    unfinished = state.unfinished_run(source.name)
    resume = unfinished is not None and frontier.queued() > 0  # a killed run left URLs queued
    run_id = unfinished if unfinished is not None else state.start_run(source.name, now_iso())
    work = SourceWork(
        source, ctx, SqliteRunStore(state, frontier, run_id), report,
        site_blocks=site_blocks, templates=site_blocks.templates(),
    )  # fmt: skip
    if not resume:
        await _enter(source, ctx, state, frontier, work)
    await work.work()
    report.stopped = ctx.stopping.is_set()
    if not report.stopped:
        counts = {k: int(v) for k, v in report.counts.items()}
        state.finish_run(run_id, now_iso(), counts, report.reason if report.failed else None)
    ctx.observer.source_finished(report)
    return report


async def _enter(
    source: SourceConfig, ctx: CrawlContext, state: State, frontier: Frontier, work: SourceWork
) -> None:
    """Fill the frontier from the seeds, sitemaps and feeds (configured or discovered)."""
    found = await entry_points(ctx.fetcher, source, state.last_completed(source.name))
    for url, reason in found.failures:
        await work.fail(url, reason)
    for url, reason in found.discovery_failures:
        _log.warning("%s: discovery skipped %s: %s", source.name, url, reason)
        await work.count(url, "discovery_failed", reason)
    frontier.restart(found.queued)


def now_iso() -> str:
    """The current time, ISO 8601 UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")
